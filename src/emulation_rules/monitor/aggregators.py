"""The aggregators: how one fact is kept up to date, event by event, in plain data (dicts,
lists, numbers, texts), with its current value and its best case still reachable (see
:mod:`emulation_rules.monitor.indicators`). One class per aggregate of the mapping."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from emulation_rules.evaluation.evidence import make_coercer
from emulation_rules.model.ruleset import Direction, EnumerationSpec, FactSpec, FactType
from emulation_rules.monitor.events import Event, EventKind, payload_fields
from emulation_rules.monitor.mapping import Aggregate, FactMapping, Filter, KeySource
from emulation_rules.monitor.schedule import PhaseWindow, month_of

Predicate = Callable[[Event], bool | None]
"""True, false, or ``None`` when the event did not record the field the filter reads."""


def plain(value: Any) -> Any:
    """A payload value in its evidence form (an enumeration member by its value)."""
    return value.value if isinstance(value, enum.Enum) else value


def make_predicate(where: Filter | None, enums: Mapping[str, EnumerationSpec]) -> Predicate:
    """The test a filter stands for."""
    if where is None:
        return lambda e: True
    field = where.field
    if where.at_least is not None:
        assert where.enum is not None
        rank = enum_coercer(where.enum, enums)
        floor = rank(where.at_least)

        def at_least(e: Event) -> bool | None:
            v = e.field(field)
            return None if v is None else bool(rank(v) >= floor)

        return at_least
    if where.equals is not None:
        wanted = where.equals

        def equals(e: Event) -> bool | None:
            v = plain(e.field(field))
            return None if v is None else v == wanted

        return equals

    def true(e: Event) -> bool | None:
        v = e.field(field)
        return None if v is None else bool(v)

    return true


def enum_coercer(enum_id: str, enums: Mapping[str, EnumerationSpec]) -> Callable[[Any], Any]:
    """The rank of a level of an enumeration, from any accepted spelling."""
    spec = FactSpec(type=FactType.ENUM, label=enums[enum_id].title, enum=enum_id)
    return make_coercer(spec, enums)


def _values(event: Event, field: str) -> list[Any] | None:
    """The values a (distinct) field contributes: the items of a list, or the value."""
    v = event.field(field)
    if v is None:
        return None
    return [plain(x) for x in v] if isinstance(v, tuple) else [plain(v)]


# -- aggregators --------------------------------------------------------------------------------
class Aggregator:
    """How one fact is kept. Subclasses implement one aggregate each."""

    def __init__(self, name: str, mapping: FactMapping, spec: FactSpec) -> None:
        self.name = name
        self.mapping = mapping
        self.spec = spec
        self.kinds: frozenset[EventKind] = frozenset()

    def new(self) -> Any:
        """An empty state."""
        raise NotImplementedError

    def add(self, state: Any, event: Event, seq: int) -> None:
        """Take one event of a kind in :attr:`kinds` (``seq`` orders equal dates)."""
        raise NotImplementedError

    def value(self, state: Any, phase: PhaseWindow, closed: date | None) -> Any:
        """The current value (evidence form); months after ``closed`` are open."""
        raise NotImplementedError

    def best(self, state: Any, phase: PhaseWindow, closed: date | None) -> Any:
        """The best value still reachable, or ``None`` (unknown)."""
        return None


class _OneKind(Aggregator):
    """An aggregate over the events of one kind (the mapping's ``kind``), filtered by
    ``pred``, reading the mapping's ``field`` where it has one."""

    def __init__(
        self, name: str, m: FactMapping, spec: FactSpec, pred: Predicate = lambda e: True
    ) -> None:
        super().__init__(name, m, spec)
        assert m.kind is not None
        self.kinds = frozenset({EventKind(m.kind)})
        self.field = m.field or ""
        self.pred = pred


class _Count(_OneKind):
    def new(self) -> list[Any]:
        return [0, False]  # count, unknown

    def add(self, state: list[Any], event: Event, seq: int) -> None:
        ok = self.pred(event)
        if ok is None:
            state[1] = True
        elif ok:
            state[0] += 1

    def value(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        return None if state[1] else state[0]

    def best(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        return self.value(state, phase, closed) if self.spec.better is Direction.LOWER else None


class _Distinct(_OneKind):
    def new(self) -> list[Any]:
        return [[], False]  # sorted distinct values, unknown

    def add(self, state: list[Any], event: Event, seq: int) -> None:
        ok = self.pred(event)
        values = _values(event, self.field)
        if ok is None or values is None:
            state[1] = True
            return
        if ok:
            state[0] = sorted(set(state[0]).union(values))

    def value(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        return None if state[1] else len(state[0])

    def best(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        return self.value(state, phase, closed) if self.spec.better is Direction.LOWER else None


class _Latest(_OneKind):
    def __init__(self, name: str, m: FactMapping, spec: FactSpec) -> None:
        super().__init__(name, m, spec)
        assert m.kind is not None and m.field is not None
        self.decimal = payload_fields(EventKind(m.kind))[m.field] is Decimal

    def new(self) -> list[Any]:
        return []  # [date, seq, value] once an event came (a decimal as text)

    def add(self, state: list[Any], event: Event, seq: int) -> None:
        key = [event.date.isoformat(), seq]
        if not state or key >= state[:2]:
            value = plain(event.field(self.field))
            state[:] = [*key, str(value) if isinstance(value, Decimal) else value]

    def value(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        if not state:
            return None
        return Decimal(state[2]) if self.decimal and state[2] is not None else state[2]


class _SumLatest(_OneKind):
    def __init__(self, name: str, m: FactMapping, spec: FactSpec) -> None:
        super().__init__(name, m, spec)
        assert m.by is not None
        self.by = m.by

    def new(self) -> dict[str, Any]:
        return {"latest": {}, "unknown": False}  # key -> [date, seq, value]

    def add(self, state: dict[str, Any], event: Event, seq: int) -> None:
        key = event.field(self.by)
        if key is None:
            state["unknown"] = True
            return
        entry = [event.date.isoformat(), seq]
        old = state["latest"].get(key)
        if old is None or entry >= old[:2]:
            state["latest"][key] = [*entry, event.field(self.field)]

    def value(self, state: dict[str, Any], phase: PhaseWindow, closed: date | None) -> Any:
        latest = state["latest"].values()
        if state["unknown"] or not latest or any(v[2] is None for v in latest):
            return None
        return sum(v[2] for v in latest)


class _All(_OneKind):
    def new(self) -> list[Any]:
        return [True, False]  # all so far, unknown

    def add(self, state: list[Any], event: Event, seq: int) -> None:
        ok = self.pred(event)
        if ok is None:
            state[1] = True
        elif not ok:
            state[0] = False

    def value(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        if state[0] is False:
            return False
        return None if state[1] else True

    def best(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        return False if state[0] is False else None


class _Records(_OneKind):
    def __init__(self, name: str, m: FactMapping, spec: FactSpec) -> None:
        super().__init__(name, m, spec)
        assert m.key is not None
        self.key = m.key
        self.fields = {n: f.field for n, f in m.fields.items()}

    def new(self) -> dict[str, Any]:
        return {}  # key -> [date, seq, record]

    def add(self, state: dict[str, Any], event: Event, seq: int) -> None:
        key = str(event.field(self.key))
        entry = [event.date.isoformat(), seq]
        old = state.get(key)
        if old is None or entry >= old[:2]:
            record = {n: plain(event.field(f)) for n, f in self.fields.items() if f is not None}
            state[key] = [*entry, record]

    def value(self, state: dict[str, Any], phase: PhaseWindow, closed: date | None) -> Any:
        return [dict(state[k][2]) for k in sorted(state)]


class Keyed(Aggregator):
    """Monthly (one record per key and month) and grouped (one per key) records."""

    def __init__(
        self,
        name: str,
        m: FactMapping,
        spec: FactSpec,
        preds: Mapping[str, Predicate],
    ) -> None:
        super().__init__(name, m, spec)
        assert m.keys is not None and m.key_field is not None
        self.monthly = m.aggregate is Aggregate.MONTHLY
        self.keys: KeySource = m.keys
        self.key_field = m.key_field
        self.month_field = m.month_field
        self.counted = {
            n: (EventKind(f.count), f.key, preds[n])
            for n, f in m.fields.items()
            if f.count is not None
        }
        self.keys_kind = EventKind(m.keys.kind)
        self.kinds = frozenset({self.keys_kind} | {k for k, _, _ in self.counted.values()})
        spec_fields = spec.fields or {}
        self.lower = {n for n, f in spec_fields.items() if f.better is Direction.LOWER}

    def new(self) -> dict[str, Any]:
        # keys: sorted key list; counts: key -> period ("" or "YYYY-MM-01") -> field -> [n, unk]
        return {"keys": [], "counts": {}}

    def add(self, state: dict[str, Any], event: Event, seq: int) -> None:
        if event.kind is self.keys_kind:
            key = event.field(self.keys.field)
            if key is not None and key not in state["keys"]:
                state["keys"] = sorted([*state["keys"], key])
        period = month_of(event.date).isoformat() if self.monthly else ""
        for name, (kind, key_name, pred) in self.counted.items():
            if event.kind is not kind:
                continue
            key = event.field(key_name)
            if key is None:
                continue
            cell = state["counts"].setdefault(key, {}).setdefault(period, {})
            count = cell.setdefault(name, [0, False])
            ok = pred(event)
            if ok is None:
                count[1] = True
            elif ok:
                count[0] += 1

    def _all_keys(self, state: dict[str, Any]) -> list[str]:
        return sorted(set(state["keys"]) | set(state["counts"]))

    def _periods(self, phase: PhaseWindow) -> list[date | None]:
        return list(phase.months) if self.monthly else [None]

    def _record(
        self, state: dict[str, Any], key: str, period: date | None, known: bool
    ) -> dict[str, Any]:
        record: dict[str, Any] = {self.key_field: key}
        if period is not None and self.month_field is not None:
            record[self.month_field] = period.isoformat()
        cell = state["counts"].get(key, {}).get("" if period is None else period.isoformat(), {})
        for name in self.counted:
            n, unknown = cell.get(name, [0, False])
            record[name] = None if unknown or not known else n
        return record

    def is_closed(self, phase: PhaseWindow, period: date | None, closed: date | None) -> bool:
        """Whether a month (or the whole phase, for grouped records) is settled."""
        if closed is None:
            return False
        if period is None:
            return closed >= phase.end
        return phase.month_closes(period) <= closed

    def value(self, state: dict[str, Any], phase: PhaseWindow, closed: date | None) -> Any:
        return [
            self._record(state, key, period, self.is_closed(phase, period, closed))
            if self.monthly
            else self._record(state, key, period, True)
            for key in self._all_keys(state)
            for period in self._periods(phase)
        ]

    def best(self, state: dict[str, Any], phase: PhaseWindow, closed: date | None) -> Any:
        out = []
        for key in self._all_keys(state):
            for period in self._periods(phase):
                settled = self.is_closed(phase, period, closed)
                record = self._record(state, key, period, settled)
                if not settled:
                    for name in self.counted:
                        if name not in self.lower:
                            record[name] = None
                out.append(record)
        return out

    def month_record(self, state: dict[str, Any], key: str, month: date) -> dict[str, Any]:
        """The final record of one key and month."""
        return self._record(state, key, month, True)

    def keys_of(self, state: dict[str, Any]) -> list[str]:
        """Every key seen so far."""
        return self._all_keys(state)


def make_aggregator(
    name: str, m: FactMapping, spec: FactSpec, enums: Mapping[str, EnumerationSpec]
) -> Aggregator:
    """The aggregator of one fact mapping."""
    agg = m.aggregate
    if agg is Aggregate.COUNT:
        return _Count(name, m, spec, make_predicate(m.where, enums))
    if agg is Aggregate.DISTINCT:
        return _Distinct(name, m, spec, make_predicate(m.where, enums))
    if agg is Aggregate.LATEST:
        return _Latest(name, m, spec)
    if agg is Aggregate.SUM_LATEST:
        return _SumLatest(name, m, spec)
    if agg is Aggregate.ALL:
        return _All(name, m, spec, make_predicate(m.where, enums))
    if agg is Aggregate.RECORDS:
        return _Records(name, m, spec)
    preds = {n: make_predicate(f.where, enums) for n, f in m.fields.items()}
    return Keyed(name, m, spec, preds)
