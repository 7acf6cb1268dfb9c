"""Running indicators: the facts of a targets rule set, kept up to date event by event.

:func:`compile_plan` turns a mapping (data) and a rule set into a :class:`Plan`: one
aggregator per fact, the event kinds each listens to, and the checks an event's payload
must pass for the facts it feeds (an enumeration level the rule set knows, a percentage
from 0 to 100). A unit's state is plain data (dicts, lists, numbers), so it can be saved
and restored as JSON.

Two views of a unit's facts feed the evaluator:

- **current**: the values so far; a monthly record of a month that is still open has its
  counts unknown (a month is judged when it closes, not on its first day);
- **best case**: each fact at the most favourable value it can still reach, or unknown.
  A count (or distinct count) only grows, so for a fact declared ``better: lower`` its
  current value is the best it can be; ``all`` stays false once false; the records of a
  closed month are final. Every other fact is unknown. A criterion not met even on the
  best case can no longer be met in this phase: it is *missed*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.errors import Bilingual, PathPart, Problem, vi_of
from emulation_rules.evaluation.evidence import BadValue, make_coercer
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.kinds import kind as fact_kind
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec, FactType
from emulation_rules.monitor.aggregators import (
    Aggregator,
    Keyed,
    make_aggregator,
    plain,
)
from emulation_rules.monitor.events import Event, EventKind, bilingual_problem, payload_fields
from emulation_rules.monitor.mapping import (
    Aggregate,
    FactMapping,
    Filter,
    MonitorMapping,
    Scope,
)
from emulation_rules.monitor.schedule import PhaseWindow


@attrs.frozen
class MonthlyFact:
    """A monthly list fact, the criteria that read it, and its closing alert."""

    name: str
    aggregator: Keyed
    criteria: tuple[str, ...]
    mapping: FactMapping


class Plan:
    """The compiled mapping of one rule set: aggregators, dispatch and payload checks."""

    def __init__(self, mapping: MonitorMapping, ruleset: RuleSet) -> None:
        mapping.check_against(ruleset)
        self.mapping = mapping
        self.ruleset = ruleset
        self.facts: dict[str, FactSpec] = ruleset.facts
        enums = ruleset.enumerations
        self.phase_start = mapping.spec.phase_start
        self.phase_end = mapping.spec.phase_end
        self.aggregators: dict[str, Aggregator] = {}
        for name, m in mapping.facts.items():
            spec = self.facts.get(name)
            if spec is not None:
                self.aggregators[name] = make_aggregator(name, m, spec, enums)
        self.by_kind: dict[EventKind, list[tuple[str, Aggregator]]] = {}
        for name, agg in self.aggregators.items():
            for kind in agg.kinds:
                self.by_kind.setdefault(kind, []).append((name, agg))
        self.checks = _payload_checks(mapping, self.facts, enums)
        self.coercers = {n: make_coercer(self.facts[n], enums) for n in self.aggregators}
        self._bounded: dict[EventKind, list[tuple[str, Aggregator]]] = {
            kind: [(n, a) for n, a in fed if not a.counts or _declares_max(self.facts[n])]
            for kind, fed in self.by_kind.items()
        }
        self.monthly: tuple[MonthlyFact, ...] = tuple(
            MonthlyFact(
                name,
                agg,
                tuple(c.id for c in ruleset.criteria if name in c.facts),
                mapping.facts[name],
            )
            for name, agg in self.aggregators.items()
            if isinstance(agg, Keyed) and agg.monthly
        )
        self.campaign_scope = frozenset(
            n for n, a in self.aggregators.items() if a.mapping.scope is Scope.CAMPAIGN
        )

    # -- state ----------------------------------------------------------------------------
    def new_state(self) -> dict[str, Any]:
        """An empty unit state: one entry per fact, and the team counts."""
        return {"facts": {n: a.new() for n, a in self.aggregators.items()}, "teams": {}}

    def new_phase(self, state: dict[str, Any]) -> dict[str, Any]:
        """The state for the next phase: campaign-wide facts carry over, and so do the
        keys of a monthly or grouped fact whose keys are campaign-wide (the roster)."""
        fresh = self.new_state()
        for name in self.campaign_scope:
            fresh["facts"][name] = state["facts"][name]
        for name, agg in self.aggregators.items():
            if isinstance(agg, Keyed) and agg.keys.scope is Scope.CAMPAIGN:
                fresh["facts"][name]["keys"] = list(state["facts"][name]["keys"])
        return fresh

    def check(self, event: Event) -> list[Problem]:
        """The problems of an event's payload for the facts it feeds."""
        problems: list[Problem] = []
        for field, coerce in self.checks.get(event.kind, ()):
            value = event.field(field)
            if value is None:
                continue
            try:
                coerce(plain(value))
            except BadValue as exc:
                for sub, message in exc.problems:
                    problems.append(Problem(("payload", field, *sub), bilingual_problem(message)))
        return problems

    def refusals(
        self,
        state: dict[str, Any],
        event: Event,
        seq: int,
        phase: PhaseWindow,
        closed: date | None,
    ) -> list[Problem]:
        """The problems of the facts ``event`` would bring out of their range (the sum of
        the rosters over the largest count the rule set takes), found before the unit's
        ``state`` changes: a monitor refuses such an event and stays as it was."""
        problems: list[Problem] = []
        facts = state["facts"]
        for name, agg in self._bounded.get(event.kind, ()):
            spec = self.facts[name]
            value = within_bounds(spec, agg.trial(facts[name], event, seq, phase, closed))
            if value is None:
                continue
            try:
                self.coercers[name](value)
            except BadValue as exc:
                field = getattr(agg, "field", "")
                path: tuple[PathPart, ...] = ("payload", field) if field else ("payload",)
                for sub, message in exc.problems[:1]:
                    what = f"{name}.{sub[-1]}" if sub else name
                    problems.append(
                        Problem(
                            path,
                            Bilingual(
                                f"taking this event would bring {what} out of range: {message}",
                                f"nếu nhận sự kiện này, {what} sẽ ra ngoài phạm vi cho phép: "
                                f"{vi_of(message) or bilingual_problem(message).vi}",
                            ),
                        )
                    )
        return problems

    def add(self, state: dict[str, Any], event: Event, seq: int) -> None:
        """Feed one (checked) event to the unit's state."""
        facts = state["facts"]
        for name, agg in self.by_kind.get(event.kind, ()):
            agg.add(facts[name], event, seq)
        if event.team is not None:
            kinds = state["teams"].setdefault(event.team, {})
            kinds[event.kind.value] = kinds.get(event.kind.value, 0) + 1

    # -- evidence ----------------------------------------------------------------------------
    def evidence(
        self,
        state: dict[str, Any],
        phase: PhaseWindow,
        closed: date | None,
        *,
        best: bool = False,
        unit: str | None = None,
        only: frozenset[str] | None = None,
    ) -> dict[str, Any]:
        """The unit's evidence (current, or the best case) for the rule set; ``only``
        some facts (and the phase dates)."""
        out: dict[str, Any] = {}
        if unit is not None:
            out["unit_id"] = unit
        out[self.phase_start] = phase.start.isoformat()
        out[self.phase_end] = phase.end.isoformat()
        facts = state["facts"]
        for name, agg in self.aggregators.items():
            if only is not None and name not in only:
                continue
            value = (
                agg.best(facts[name], phase, closed)
                if best
                else agg.value(facts[name], phase, closed)
            )
            out[name] = within_bounds(self.facts[name], value)
        return out


def _declares_max(spec: FactSpec) -> bool:
    """Whether the rule set caps the fact (or a field of its records)."""
    return spec.max is not None or any(f.max is not None for f in (spec.fields or {}).values())


def within_bounds(spec: FactSpec, value: Any) -> Any:
    """``value``, or ``None`` when it is below the fact's declared minimum (no roster yet:
    zero teams, where the rule set needs at least one) — not known yet, not wrong."""
    return None if fact_kind(spec.type).below_minimum(spec, value) else value


def _payload_checks(
    mapping: MonitorMapping, facts: Mapping[str, FactSpec], enums: Mapping[str, EnumerationSpec]
) -> dict[EventKind, list[tuple[str, Callable[[Any], Any]]]]:
    """For each kind, the payload fields to check with the coercer of the fact (or record
    field) they feed, and the enumeration fields filters read."""
    checks: dict[EventKind, dict[str, Callable[[Any], Any]]] = {}

    def add(kind: EventKind, field: str, coerce: Callable[[Any], Any]) -> None:
        if field in payload_fields(kind):
            checks.setdefault(kind, {}).setdefault(field, coerce)

    for name, m in mapping.facts.items():
        spec = facts.get(name)
        if spec is None:
            continue
        if m.aggregate is Aggregate.LATEST and m.kind and m.field:
            add(EventKind(m.kind), m.field, make_coercer(spec, enums))
        if m.aggregate is Aggregate.RECORDS and m.kind and spec.fields:
            for fname, f in m.fields.items():
                if f.field is not None and fname in spec.fields:
                    add(EventKind(m.kind), f.field, make_coercer(spec.fields[fname], enums))
        for kind_name, where in _wheres(m):
            if where.enum is not None:
                enum_spec = enums[where.enum]
                field_spec = FactSpec(type=FactType.ENUM, label=enum_spec.title, enum=where.enum)
                add(EventKind(kind_name), where.field, make_coercer(field_spec, enums))
    return {k: sorted(v.items()) for k, v in checks.items()}


def _wheres(m: FactMapping) -> Iterable[tuple[str, Filter]]:
    if m.where is not None and m.kind is not None:
        yield m.kind, m.where
    for f in m.fields.values():
        if f.where is not None and f.count is not None:
            yield f.count, f.where


def compile_plan(mapping: MonitorMapping, ruleset: RuleSet) -> Plan:
    """Check the mapping against the rule set and compile it."""
    return Plan(mapping, ruleset)
