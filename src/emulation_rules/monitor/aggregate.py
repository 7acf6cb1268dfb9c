"""Events → evidence in one pass, for the end of a phase: what the core evaluator takes.

:func:`aggregate_evidence` folds a list of events into one evidence mapping per unit,
reading the same mapping (data) as the monitor but written independently of the
monitor's incremental aggregators, so that the two check each other: at the end of a
phase, the monitor's facts and statuses must equal the core evaluator's verdict on this
evidence (``tests/test_monitor_agreement.py``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec
from emulation_rules.monitor.aggregators import enum_coercer
from emulation_rules.monitor.events import Event, EventKind
from emulation_rules.monitor.mapping import (
    Aggregate,
    FactMapping,
    Filter,
    MonitorMapping,
    Scope,
    mapping_for,
)
from emulation_rules.monitor.schedule import PhaseWindow, Schedule


def aggregate_evidence(
    events: Iterable[Event],
    ruleset: RuleSet,
    campaign: CampaignDefinition,
    phase: str,
    *,
    mapping: MonitorMapping | None = None,
    issued_on: date | None = None,
) -> dict[str, dict[str, Any]]:
    """The evidence of every unit for one phase, from the events (in the order recorded:
    of two events of the same date, the later one is the latest)."""
    mapping = mapping or mapping_for(ruleset)
    mapping.check_against(ruleset)
    schedule = Schedule.of(campaign, issued_on=issued_on, near_days=mapping.spec.deadline_near_days)
    window = schedule.phases[schedule.index(phase)]
    log = list(events)
    units = sorted({e.unit for e in log if schedule.start <= e.date <= window.end})
    enums = ruleset.enumerations
    facts = ruleset.facts
    out: dict[str, dict[str, Any]] = {}
    for unit in units:
        positioned = [(i, e) for i, e in enumerate(log) if e.unit == unit]
        evidence: dict[str, Any] = {
            mapping.spec.phase_start: window.start.isoformat(),
            mapping.spec.phase_end: window.end.isoformat(),
        }
        for name, spec in facts.items():
            m = mapping.facts.get(name)
            if m is None:
                continue
            so_far = [(i, e) for i, e in positioned if schedule.start <= e.date <= window.end]
            in_phase = [(i, e) for i, e in so_far if window.contains(e.date)]
            mine = so_far if m.scope is Scope.CAMPAIGN else in_phase
            if m.aggregate in (Aggregate.MONTHLY, Aggregate.GROUPED):
                value = _keyed(m, mine, so_far, window, enums)
            else:
                value = _fact(m, mine, enums)
            evidence[name] = _bounded(spec, value)
        out[unit] = evidence
    return out


def _bounded(spec: FactSpec, value: Any) -> Any:
    return None if kind(spec.type).below_minimum(spec, value) else value


def _read(event: Event, field: str) -> Any:
    value = event.team if field == "team" else getattr(event.payload, field)
    return value.value if isinstance(value, enum.Enum) else value


def _test(where: Filter | None, event: Event, enums: Mapping[str, EnumerationSpec]) -> Any:
    """True, False, or None (the field was not recorded)."""
    if where is None:
        return True
    value = _read(event, where.field)
    if value is None:
        return None
    if where.at_least is not None:
        assert where.enum is not None
        rank = enum_coercer(where.enum, enums)
        return rank(value) >= rank(where.at_least)
    if where.equals is not None:
        return value == where.equals
    return bool(value)


def _latest(items: list[tuple[int, Event]]) -> Event:
    return max(items, key=lambda pe: (pe[1].date, pe[0]))[1]


def _fact(
    m: FactMapping, events: list[tuple[int, Event]], enums: Mapping[str, EnumerationSpec]
) -> Any:
    agg = m.aggregate
    kind = EventKind(m.kind)
    mine = [(i, e) for i, e in events if e.kind is kind]
    tests = [_test(m.where, e, enums) for _, e in mine]
    if agg is Aggregate.COUNT:
        return None if None in tests else tests.count(True)
    if agg is Aggregate.DISTINCT:
        assert m.field is not None
        values: set[Any] = set()
        for (_, e), ok in zip(mine, tests, strict=True):
            raw = _read(e, m.field)
            if ok is None or raw is None:
                return None
            if ok:
                values.update(
                    (v.value if isinstance(v, enum.Enum) else v for v in raw)
                    if isinstance(raw, tuple)
                    else [raw]
                )
        return len(values)
    if agg is Aggregate.LATEST:
        assert m.field is not None
        return _read(_latest(mine), m.field) if mine else None
    if agg is Aggregate.SUM_LATEST:
        assert m.field is not None and m.by is not None
        groups: dict[Any, list[tuple[int, Event]]] = {}
        for i, e in mine:
            groups.setdefault(_read(e, m.by), []).append((i, e))
        if not groups or None in groups:
            return None
        latest = [_read(_latest(g), m.field) for g in groups.values()]
        return None if None in latest else sum(latest)
    if agg is Aggregate.ALL:
        if False in tests:
            return False
        return None if None in tests else True
    # records: the latest event of each key
    assert m.key is not None
    by_key: dict[str, list[tuple[int, Event]]] = {}
    for i, e in mine:
        by_key.setdefault(str(_read(e, m.key)), []).append((i, e))
    records = []
    for key in sorted(by_key):
        e = _latest(by_key[key])
        records.append({n: _read(e, f.field) for n, f in m.fields.items() if f.field})
    return records


def _keyed(
    m: FactMapping,
    events: list[tuple[int, Event]],
    so_far: list[tuple[int, Event]],
    window: PhaseWindow,
    enums: Mapping[str, EnumerationSpec],
) -> list[dict[str, Any]]:
    """Records per key (and month): the keys from the key events of the phase (or of the
    campaign so far), and those of the counted events."""
    assert m.keys is not None and m.key_field is not None
    keys_kind = EventKind(m.keys.kind)
    key_events = so_far if m.keys.scope is Scope.CAMPAIGN else events
    keys = {_read(e, m.keys.field) for _, e in key_events if e.kind is keys_kind} - {None}
    for f in m.fields.values():
        kind = EventKind(f.count)
        keys |= {_read(e, f.key) for _, e in events if e.kind is kind} - {None}
    monthly = m.aggregate is Aggregate.MONTHLY
    periods: list[date | None] = list(window.months) if monthly else [None]
    records = []
    for key in sorted(keys):
        for period in periods:
            record: dict[str, Any] = {m.key_field: key}
            if period is not None and m.month_field is not None:
                record[m.month_field] = period.isoformat()
            for name, f in m.fields.items():
                kind = EventKind(f.count)
                tests = [
                    _test(f.where, e, enums)
                    for _, e in events
                    if e.kind is kind
                    and _read(e, f.key) == key
                    and (
                        period is None or (e.date.year, e.date.month) == (period.year, period.month)
                    )
                ]
                record[name] = None if None in tests else tests.count(True)
            records.append(record)
    return records
