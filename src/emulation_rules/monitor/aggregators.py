"""The aggregators: how one fact is kept up to date, event by event, in plain data (dicts,
lists, numbers, texts), with its current value and its best case still reachable (see
:mod:`emulation_rules.monitor.indicators`). One class per aggregate of the mapping."""

from __future__ import annotations

import bisect
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

    counts = False
    """Whether the fact counts events (one event adds at most its own few items): such a
    fact can leave its range only when the rule set declares a ``max``."""

    def __init__(self, name: str, mapping: FactMapping, spec: FactSpec) -> None:
        self.name = name
        self.mapping = mapping
        self.spec = spec
        self.kinds: frozenset[EventKind] = frozenset()

    def new(self) -> Any:
        """An empty state."""
        raise NotImplementedError

    def well_formed(self, state: Any) -> bool:
        """Whether ``state`` has the shape :meth:`new` and :meth:`add` give it (a saved
        state read back is checked with this)."""
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

    def trial(
        self, state: Any, event: Event, seq: int, phase: PhaseWindow, closed: date | None
    ) -> Any:
        """The value the fact would have after taking ``event``, ``state`` left as it is
        (a monitor checks an event this way before it takes it)."""
        copy = _copy(state)
        self.add(copy, event, seq)
        return self.value(copy, phase, closed)


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
    counts = True

    def new(self) -> list[Any]:
        return [0, False]  # count, unknown

    def well_formed(self, state: Any) -> bool:
        return _pair(state, _count, _flag)

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
    counts = True

    def new(self) -> list[Any]:
        return [[], False]  # sorted distinct values, unknown

    def well_formed(self, state: Any) -> bool:
        return _pair(state, _sorted_texts, _flag)

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

    def trial(
        self, state: list[Any], event: Event, seq: int, phase: PhaseWindow, closed: date | None
    ) -> Any:
        ok = self.pred(event)
        values = _values(event, self.field)
        if state[1] or ok is None or values is None:
            return None
        known: list[Any] = state[0]
        if not ok:
            return len(known)
        new = {v for v in values if not _has(known, v)}
        return len(known) + len(new)

    def best(self, state: list[Any], phase: PhaseWindow, closed: date | None) -> Any:
        return self.value(state, phase, closed) if self.spec.better is Direction.LOWER else None


class _Latest(_OneKind):
    def __init__(self, name: str, m: FactMapping, spec: FactSpec) -> None:
        super().__init__(name, m, spec)
        assert m.kind is not None and m.field is not None
        self.decimal = payload_fields(EventKind(m.kind))[m.field] is Decimal

    def new(self) -> list[Any]:
        return []  # [date, seq, value] once an event came (a decimal as text)

    def well_formed(self, state: Any) -> bool:
        return isinstance(state, list) and (not state or _entry(state))

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

    def well_formed(self, state: Any) -> bool:
        return (
            isinstance(state, dict)
            and set(state) == {"latest", "unknown"}
            and _flag(state["unknown"])
            and isinstance(state["latest"], dict)
            and all(_entry(v) for v in state["latest"].values())
        )

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

    def well_formed(self, state: Any) -> bool:
        return _pair(state, _flag, _flag)

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

    def well_formed(self, state: Any) -> bool:
        return isinstance(state, dict) and all(
            _entry(v) and isinstance(v[2], dict) for v in state.values()
        )

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

    counts = True

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

    def well_formed(self, state: Any) -> bool:
        if not isinstance(state, dict) or set(state) != {"keys", "counts"}:
            return False
        keys, counts = state["keys"], state["counts"]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            return False
        return isinstance(counts, dict) and all(
            isinstance(periods, dict)
            and all(
                isinstance(cell, dict)
                and all(n in self.counted and _pair(c, _count, _flag) for n, c in cell.items())
                for cell in periods.values()
            )
            for periods in counts.values()
        )

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

    def trial(
        self,
        state: dict[str, Any],
        event: Event,
        seq: int,
        phase: PhaseWindow,
        closed: date | None,
    ) -> Any:
        """The records ``event`` would change (each as if settled), ``state`` left as it
        is; only those records are copied, not the whole fact."""
        period = month_of(event.date).isoformat() if self.monthly else ""
        touched: set[str] = set()
        copy: dict[str, Any] = {"keys": state["keys"], "counts": {}}
        for kind, key_name, _ in self.counted.values():
            key = event.field(key_name) if event.kind is kind else None
            if key is not None and key not in touched:
                touched.add(key)
                cell = state["counts"].get(key, {}).get(period)
                copy["counts"][key] = {} if cell is None else {period: _copy(cell)}
        self.add(copy, event, seq)
        when = month_of(event.date) if self.monthly else None
        return [self._record(copy, key, when, True) for key in sorted(touched)]

    def month_record(self, state: dict[str, Any], key: str, month: date) -> dict[str, Any]:
        """The final record of one key and month."""
        return self._record(state, key, month, True)

    def keys_of(self, state: dict[str, Any]) -> list[str]:
        """Every key seen so far."""
        return self._all_keys(state)


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _pair(state: Any, first: Callable[[Any], bool], second: Callable[[Any], bool]) -> bool:
    return isinstance(state, list) and len(state) == 2 and first(state[0]) and second(state[1])


def _sorted_texts(values: Any) -> bool:
    """A sorted list of distinct texts or numbers (what a distinct count keeps)."""
    if not isinstance(values, list):
        return False
    if not (
        all(isinstance(v, str) for v in values)
        or all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    ):
        return False
    return bool(values == sorted(set(values)))


def _entry(value: Any) -> bool:
    """``[date, seq, value]``: what the latest of something is kept as."""
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and _count(value[1])
    )


def _has(ordered: list[Any], value: Any) -> bool:
    """Whether a sorted list holds ``value`` (a binary search)."""
    i = bisect.bisect_left(ordered, value)
    return i < len(ordered) and bool(ordered[i] == value)


def _copy(data: Any) -> Any:
    """A deep copy of an aggregator's plain-data state."""
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


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
