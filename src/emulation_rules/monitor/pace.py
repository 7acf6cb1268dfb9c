"""Pace: when a target not met yet is *at risk*, and how far it still has to go.

A target that counts up from zero (members trained, models commended) is not met on the
first day of a phase, and that says nothing: the phase has only begun. A target not met
now but still reachable is therefore either *on track* or *at risk*
(:data:`~emulation_rules.monitor.alerts.TargetStatus.AT_RISK`), by the rule of a
:class:`PacePolicy`:

- **the last stretch** (the final fifth of the phase's days, ``last_stretch``): any
  shortfall is at risk — there is little time left to make it up;
- **the pace**: once ``min_days`` days of the phase have passed (30 by default: fewer
  days tell too little of a rate), each counting fact (a count of events) is projected to
  the end of the phase at the rate seen so far (its value × the phase's days ÷ the days
  passed, rounded down). A target the core evaluator finds not met on the projected
  evidence is at risk: the rate still needed exceeds what the phase has shown. A ratio of
  two counts keeps its value under the projection, so a ratio short now is at risk once
  the pace is judged. A target whose counts are all still zero has shown no rate: it is
  at risk once half the phase's days have passed;
- before that, or for a target that reads no counting fact with a number (a list of
  records), it is on track (until the last stretch).

:func:`shortfall` says what an at-risk alert quotes: the count still needed of one fact
(the smallest increase of it alone that meets the target), the days left, and the rate
so far per month (30 days).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import attrs

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.formatting import english_unit, number_text
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor.events import EventKind
from emulation_rules.monitor.indicators import Plan
from emulation_rules.monitor.schedule import PhaseWindow

_MET, _NOT_MET = CriterionStatus.MET, CriterionStatus.NOT_MET
_SEARCH_LIMIT = 1_000_000
_SCAN = 200


@attrs.frozen
class PacePolicy:
    """When the pace is judged: after ``min_days`` days of the phase; in the final
    ``last_stretch`` of its days (a fraction), any shortfall is at risk."""

    min_days: int = attrs.field(default=30, validator=attrs.validators.ge(1))
    last_stretch: Fraction = attrs.field(default=Fraction(1, 5), converter=Fraction)

    def stage(self, phase: PhaseWindow, today: date) -> str | int:
        """``"early"``, ``"last"`` (the last stretch), or the days passed (pace judged)."""
        if today >= self.last_stretch_from(phase):
            return "last"
        passed = days_passed(phase, today)
        return passed if passed >= self.min_days else "early"

    def last_stretch_from(self, phase: PhaseWindow) -> date:
        """The first day of the phase's last stretch."""
        length = int(phase_days(phase) * self.last_stretch)
        return phase.end - timedelta(days=max(length, 1) - 1)

    def pace_from(self, phase: PhaseWindow) -> date:
        """The first day the pace is judged."""
        return phase.start + timedelta(days=self.min_days - 1)


def phase_days(phase: PhaseWindow) -> int:
    """How many days the phase has."""
    return (phase.end - phase.start).days + 1


def days_passed(phase: PhaseWindow, today: date) -> int:
    """The days of the phase up to ``today`` (today counted)."""
    return (today - phase.start).days + 1


def counting_facts(plan: Plan) -> tuple[str, ...]:
    """The facts that count what the force does (their value grows at a rate): those
    that count events, except the roster's (teams, villages: the force's structure, not
    its progress)."""
    return tuple(
        n for n, a in plan.aggregators.items() if a.counts and a.kinds != {EventKind.ROSTER}
    )


def projected(
    evidence: Mapping[str, Any],
    counting: tuple[str, ...],
    phase: PhaseWindow,
    today: date,
    to: date | None = None,
) -> dict[str, Any]:
    """The evidence with each counting fact projected to ``to`` (default: the end of the
    phase) at the rate seen so far (rounded down)."""
    scale = Fraction(days_passed(phase, to or phase.end), max(days_passed(phase, today), 1))
    out = dict(evidence)
    for name in counting:
        value = out.get(name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            out[name] = int(Fraction(value) * scale)
        elif isinstance(value, Decimal):
            out[name] = Decimal(int(Fraction(value) * scale))
    return out


@attrs.frozen
class Shortfall:
    """What an at-risk target still needs: ``needed`` more of ``fact`` (``None`` when no
    single count meets it), in ``days_left`` days, at ``per_month`` so far."""

    fact: str | None
    needed: int | None
    days_left: int
    per_month: Decimal | None
    unit: Text | None = None
    label: Text | None = None

    def text(self) -> Text:
        """``cần thêm 4 người (…) trong 20 ngày còn lại, tốc độ đến nay 1,5/tháng``."""
        days = self.days_left
        if self.needed is None or self.per_month is None or self.label is None:
            return Text(f"Còn {days} ngày đến hết đợt.", f"{days} days left in the phase.")
        unit = self.unit or Text("", "")
        vi_unit = f" {unit.vi}" if unit.vi else ""
        en_unit = f" {english_unit(unit.en, self.needed)}" if unit.en else ""
        rate_vi, rate_en = number_text(self.per_month, "vi"), number_text(self.per_month, "en")
        return Text(
            f"Cần thêm {self.needed}{vi_unit} ({self.label.vi}) trong {days} ngày còn lại, "
            f"tốc độ đến nay {rate_vi}/tháng.",
            f"{self.needed} more{en_unit} ({self.label.en}) needed in the {days} days left; "
            f"the pace so far is {rate_en}/month.",
        )


def reaching_day(phase: PhaseWindow, today: date, value: int, target: int) -> date:
    """The day a count of ``value`` so far reaches ``target`` at the same rate."""
    passed = max(days_passed(phase, today), 1)
    needed = -(-target * passed // value)  # ceil
    return phase.start + timedelta(days=needed - 1)


def shortfall(
    ruleset: RuleSet,
    plan: Plan,
    criterion: str,
    evidence: Mapping[str, Any],
    phase: PhaseWindow,
    today: date,
    *,
    whole: bool = False,
) -> Shortfall:
    """How far an at-risk target is from being met: the first counting fact it reads
    whose increase alone meets it, by how much (found with the evaluator; ``whole``: the
    evidence is complete)."""
    days_left = (phase.end - today).days
    passed = max(days_passed(phase, today), 1)
    facts = next(c.facts for c in ruleset.criteria if c.id == criterion)
    for name in counting_facts(plan):
        value = evidence.get(name)
        if name not in facts or not isinstance(value, int) or isinstance(value, bool):
            continue
        target = smallest_meeting(ruleset, criterion, evidence, name, value, whole=whole)
        if target is None:
            continue
        rate = (Decimal(value) * 30 / passed).quantize(Decimal("0.1"), ROUND_HALF_UP)
        spec = plan.facts[name]
        return Shortfall(name, target - value, days_left, rate.normalize(), spec.unit, spec.label)
    return Shortfall(None, None, days_left, None)


def _meets(
    ruleset: RuleSet, criterion: str, evidence: Mapping[str, Any], name: str, v: int
) -> bool:
    trial = dict(evidence)
    trial[name] = v
    return ruleset.evaluate(trial).criterion(criterion).status is _MET


def smallest_meeting(
    ruleset: RuleSet,
    criterion: str,
    evidence: Mapping[str, Any],
    name: str,
    value: int,
    limit: int | None = None,
    *,
    whole: bool = False,
) -> int | None:
    """The smallest value of ``name`` up to ``limit`` (others as they are) that meets the
    criterion: one by one over the next ``_SCAN`` values (a condition may cap the fact by
    another, as ``trained <= members``), then by doubling and halving (a lower bound
    only). Only the facts the criterion reads are given to the evaluator, unless the
    evidence is ``whole`` (complete: the evaluator's fast path)."""
    spec = ruleset.facts[name]
    cap = int(spec.max) if spec.max is not None else _SEARCH_LIMIT
    if limit is not None:
        cap = min(cap, limit)
    if cap <= value:
        return None
    if not whole:
        reads = next(c.facts for c in ruleset.criteria if c.id == criterion)
        evidence = {f: v for f, v in evidence.items() if f in reads}  # the others: not read
    for v in range(value + 1, min(value + _SCAN, cap) + 1):
        if _meets(ruleset, criterion, evidence, name, v):
            return v
    hi = max(value * 2, value + _SCAN + 1)
    while not _meets(ruleset, criterion, evidence, name, min(hi, cap)):
        if hi >= cap:
            return None
        hi *= 2
    hi, lo = min(hi, cap), value
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _meets(ruleset, criterion, evidence, name, mid):
            hi = mid
        else:
            lo = mid
    return hi
