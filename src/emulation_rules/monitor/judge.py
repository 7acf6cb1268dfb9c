"""Judging a unit's targets with the core evaluator, as a monitor needs it: the status of
each target during the phase, the team-month records as months close, the final status
at the end of the phase, and the reasons alerts quote.

Statuses during a phase (:meth:`Judge.classify`): a target is *missed* when the
evaluator finds it not met even on the best case still reachable, *at risk* when it is
not met on the current evidence, *met* (so far) or *unknown*. A target that reads a
monthly fact ("every team, every month") is judged month by month as the months close
(:meth:`Judge.month`): it is missed once a closed team-month fails it, unknown until
then, and judged whole when the phase ends. That is what evaluating it on the best case
gives, without evaluating every record of every team each time
(``tests/test_monitor_agreement.py`` checks that the two agree).

The caches here are an optimisation, not state: a monitor restored from its saved state
builds them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import CriterionStatus, Verdict
from emulation_rules.monitor.alerts import (
    TargetStatus,
    date_label,
    days_left_text,
    month_alert_text,
    month_label,
)
from emulation_rules.monitor.indicators import MonthlyFact, Plan
from emulation_rules.monitor.pace import (
    PacePolicy,
    Shortfall,
    counting_facts,
    phase_days,
    projected,
    reaching_day,
    shortfall,
    smallest_meeting,
)
from emulation_rules.monitor.schedule import PhaseWindow, month_of
from emulation_rules.monitor.views import MONTHLY_PENDING

_MET, _NOT_MET = CriterionStatus.MET, CriterionStatus.NOT_MET
_CACHE_LIMIT = 4096


def running_status(now: CriterionStatus, best: CriterionStatus) -> TargetStatus:
    """A target's status during the phase, from its status now and on the best case."""
    if best is _NOT_MET:
        return TargetStatus.MISSED
    if now is _NOT_MET:
        return TargetStatus.AT_RISK
    return TargetStatus.MET if now is _MET else TargetStatus.UNKNOWN


def final_status(status: CriterionStatus) -> TargetStatus:
    """A target's status at the end of the phase: met, missed (not met) or unknown."""
    if status is _MET:
        return TargetStatus.MET
    return TargetStatus.MISSED if status is _NOT_MET else TargetStatus.UNKNOWN


class Judge:
    """The evaluator's judgements for one monitor (one rule set, one mapping)."""

    def __init__(self, ruleset: RuleSet, plan: Plan, pace: PacePolicy | None = None) -> None:
        self.ruleset = ruleset
        self.plan = plan
        self.pace = pace or PacePolicy()
        self._counting = counting_facts(plan)
        self.criteria = {c.id: c for c in ruleset.criteria}
        self.monthly_criteria = frozenset(c for m in plan.monthly for c in m.criteria)
        """The targets judged month by month."""
        self.whole_ids = tuple(c.id for c in ruleset.criteria if c.id not in self.monthly_criteria)
        """The targets judged on the whole evidence during the phase."""
        monthly_facts = {m.name for m in plan.monthly}
        self._whole_facts = frozenset(plan.aggregators) - monthly_facts
        # The monthly facts are given as empty lists to the evaluations whose monthly
        # targets are not read (they are judged month by month): complete evidence takes
        # the evaluator's fast path, about twice as fast as evidence with facts missing.
        self._placeholders: dict[str, list[Any]] = {n: [] for n in sorted(monthly_facts)}
        self._units: dict[str, tuple[Any, dict[str, TargetStatus]]] = {}
        self._months: dict[tuple[str, tuple[Any, ...]], dict[str, CriterionStatus]] = {}
        self._reasons: dict[tuple[Any, ...], Text] = {}
        self._thresholds: dict[tuple[Any, ...], int | None] = {}

    def forget(self) -> None:
        """Drop what was kept of the units (a new phase begins)."""
        self._units.clear()

    def classify(
        self,
        unit: str,
        state: dict[str, Any],
        phase: PhaseWindow,
        closed: date | None,
        failed: Mapping[str, list[str]],
        short: Mapping[str, object] = {},
        today: date | None = None,
    ) -> dict[str, TargetStatus]:
        """Each target's status on ``today`` (default: the phase's last day) —
        ``failed``: the monthly targets a closed month failed; ``short``: those a
        team-month about to close fails so far, at risk. The evidence is evaluated again
        only when it (or the stage of the pace) changed."""
        only = self._whole_facts
        current = self.plan.evidence(state, phase, closed, only=only)
        best = self.plan.evidence(state, phase, closed, best=True, only=only)
        current.update(self._placeholders)
        best.update(self._placeholders)
        day = today or phase.end
        stage = self.pace.stage(phase, day)
        cached = self._units.get(unit)
        if cached is None or cached[0] != (current, best, stage):
            now = self.ruleset.evaluate(current)
            then = now if best == current else self.ruleset.evaluate(best)
            statuses = {
                a.id: running_status(a.status, b.status)
                for a, b in zip(now.criteria, then.criteria, strict=True)
                if a.id not in self.monthly_criteria
            }
            self._judge_pace(statuses, current, phase, day, stage)
            cached = self._units[unit] = ((current, best, stage), statuses)
        return {
            c: self._monthly_status(c, failed, short)
            if c in self.monthly_criteria
            else cached[1][c]
            for c in self.criteria
        }

    def _judge_pace(
        self,
        statuses: dict[str, TargetStatus],
        current: dict[str, Any],
        phase: PhaseWindow,
        today: date,
        stage: str | int,
    ) -> None:
        """Not met now: at risk in the last stretch, or when the evidence projected at the
        pace so far does not meet it; else on track (:mod:`~.pace`)."""
        behind = [c for c, s in statuses.items() if s is TargetStatus.AT_RISK]
        if not behind or stage == "last":
            return
        if stage == "early":
            statuses.update(dict.fromkeys(behind, TargetStatus.ON_TRACK))
            return
        half_gone = 2 * int(stage) >= phase_days(phase)
        for c in behind:
            counts = self._counts_of(c, current)
            if not counts:
                at_risk = False  # no rate to judge: the last stretch will
            elif not any(counts.values()):
                at_risk = half_gone  # nothing counted yet: no rate shown
            else:
                at_risk = not self._on_pace(c, counts, current, phase, today)
            if not at_risk:
                statuses[c] = TargetStatus.ON_TRACK

    def _counts_of(self, criterion: str, current: Mapping[str, Any]) -> dict[str, int]:
        values = {f: current.get(f) for f in self.criteria[criterion].facts}
        return {
            f: v
            for f, v in values.items()
            if f in self._counting and isinstance(v, int) and not isinstance(v, bool)
        }

    def _on_pace(
        self,
        criterion: str,
        counts: Mapping[str, int],
        current: dict[str, Any],
        phase: PhaseWindow,
        today: date,
    ) -> bool:
        """Whether the target is met, at the pace so far, at the end of the phase or on
        the day one of its counts reaches the value that meets it."""
        at_end = projected(current, self._counting, phase, today)
        if self._meets(criterion, at_end):
            return True
        for name, value in counts.items():
            target = self._threshold(criterion, current, name, value, phase)
            if value and target is not None and target <= at_end[name]:
                day = min(reaching_day(phase, today, value, target), phase.end)
                if self._meets(criterion, projected(current, self._counting, phase, today, day)):
                    return True
        return False

    def _meets(self, criterion: str, evidence: Mapping[str, Any]) -> bool:
        return self.ruleset.evaluate(evidence).criterion(criterion).status is _MET

    def _threshold(
        self, criterion: str, current: Mapping[str, Any], name: str, value: int, phase: PhaseWindow
    ) -> int | None:
        """The value of a count that meets the target (``current``: complete evidence),
        searched up to the most the pace could project (from its first day)."""
        facts = _freeze(tuple(current.get(f) for f in self.criteria[criterion].facts))
        key = (criterion, name, facts)
        if key not in self._thresholds:
            if len(self._thresholds) > _CACHE_LIMIT:
                self._thresholds.clear()
            limit = value * phase_days(phase) // self.pace.min_days + 1
            self._thresholds[key] = smallest_meeting(
                self.ruleset, criterion, current, name, value, limit, whole=True
            )
        return self._thresholds[key]

    def shortfall(
        self,
        state: dict[str, Any],
        phase: PhaseWindow,
        closed: date | None,
        criterion: str,
        today: date,
    ) -> Shortfall:
        """What an at-risk target still needs, in how many days, at what rate so far
        (on complete evidence: the monthly facts as placeholders, the evaluator's fast
        path; a monthly target is never told at risk this way)."""
        current = self.plan.evidence(state, phase, closed, only=self._whole_facts)
        current.update(self._placeholders)
        return shortfall(self.ruleset, self.plan, criterion, current, phase, today, whole=True)

    @staticmethod
    def _monthly_status(
        criterion: str, failed: Mapping[str, object], short: Mapping[str, object]
    ) -> TargetStatus:
        if criterion in failed:
            return TargetStatus.MISSED
        return TargetStatus.AT_RISK if criterion in short else TargetStatus.UNKNOWN

    def month(
        self, monthly: MonthlyFact, phase: PhaseWindow, month: date, record: dict[str, Any]
    ) -> dict[str, CriterionStatus]:
        """Each criterion reading a monthly fact, judged on one team-month record alone
        (a phase of that one month, one record): not met means the record fails it."""
        key = (monthly.name, tuple(record[n] for n in monthly.aggregator.counted))
        cached = self._months.get(key)
        if cached is not None:
            return cached
        evidence = {
            self.plan.phase_start: max(month, phase.start).isoformat(),
            self.plan.phase_end: phase.month_closes(month).isoformat(),
            monthly.name: [record],
        }
        verdict = self.ruleset.evaluate(evidence)
        result = {c: verdict.criterion(c).status for c in monthly.criteria}
        self._months[key] = result
        return result

    def ending(
        self, state: dict[str, Any], phase: PhaseWindow, today: date, closed: date | None
    ) -> Ending | None:
        """The open month, if ``today`` is in its last days (``month_warn_from``), with
        the teams whose record of it would fail a monthly target were it to close today."""
        month = month_of(today)
        if not self.plan.monthly or today < phase.month_warn_from(month):
            return None
        if closed is not None and phase.month_closes(month) <= closed:
            return None
        facts = state["facts"]
        short: dict[str, list[str]] = {}
        for monthly in self.plan.monthly:
            for key in monthly.aggregator.keys_of(facts[monthly.name]):
                record = monthly.aggregator.month_record(facts[monthly.name], key, month)
                for criterion, status in self.month(monthly, phase, month, record).items():
                    if status is _NOT_MET:
                        short.setdefault(criterion, []).append(key)
        return Ending(month, phase.month_closes(month), today, short)

    def final(self, evidence: Mapping[str, Any]) -> dict[str, TargetStatus]:
        """The final status of every target on the evidence of a phase that has ended."""
        verdict = self.ruleset.evaluate(evidence)
        return {c.id: final_status(c.status) for c in verdict.criteria}

    def verdicts(
        self,
        state: dict[str, Any],
        phase: PhaseWindow,
        closed: date | None,
        criteria: Iterable[str] | None = None,
        *,
        explain: bool = True,
    ) -> tuple[Verdict, Verdict]:
        """The evaluator's verdicts (current, best case) of a unit, explained unless
        ``explain=False``; with ``criteria``, only their facts are given (the other
        criteria are left unknown, which is cheaper)."""
        current = self.plan.evidence(state, phase, closed)
        best = self.plan.evidence(state, phase, closed, best=True)
        if criteria is not None:
            needed = {f for c in criteria for f in self.criteria[c].facts}
            needed |= {self.plan.phase_start, self.plan.phase_end}
            current = {f: v for f, v in current.items() if f in needed}
            best = {f: v for f, v in best.items() if f in needed}
        now = self.ruleset.evaluate(current, explain=explain)
        then = now if best == current else self.ruleset.evaluate(best, explain=explain)
        return now, then

    def reasons(
        self,
        unit: str,
        state: dict[str, Any],
        phase: PhaseWindow,
        closed: date | None,
        failed: Mapping[str, list[str]],
        criteria: set[str],
    ) -> dict[str, Text]:
        """Why targets are at risk or missed: the first short month of a monthly target,
        else the evaluator's explanation, computed once for the targets alerted together
        (and kept for the same values of their facts)."""
        out = {c: self.monthly_reason(unit, c, failed) for c in criteria if c in failed}
        current = self.plan.evidence(state, phase, closed)
        best = self.plan.evidence(state, phase, closed, best=True)
        keys = {
            c: (
                c,
                _freeze(tuple(current.get(f) for f in self.criteria[c].facts)),
                _freeze(tuple(best.get(f) for f in self.criteria[c].facts)),
            )
            for c in criteria - set(out)
        }
        missing = [c for c, key in keys.items() if key not in self._reasons]
        if missing:
            now, then = self.verdicts(state, phase, closed, missing)
            if len(self._reasons) > _CACHE_LIMIT:
                self._reasons.clear()
            for c in missing:
                result = now.criterion(c)
                if result.status is not _NOT_MET:
                    result = then.criterion(c)
                self._reasons[keys[c]] = result.reason
        out.update({c: self._reasons[key] for c, key in keys.items()})
        return out

    def monthly_reason(
        self,
        unit: str,
        criterion: str,
        failed: Mapping[str, list[str]],
        ending: Ending | None = None,
    ) -> Text:
        """The reason of a monthly target: its first short month; else the teams short so
        far in a month about to close; else not judged yet."""
        entry = failed.get(criterion)
        if entry is None:
            if ending is not None and criterion in ending.short:
                return ending.reason(criterion)
            return MONTHLY_PENDING
        team, month = entry
        monthly = next(m for m in self.plan.monthly if criterion in m.criteria)
        return month_alert_text(
            monthly.mapping.closing_alert, unit, team, date.fromisoformat(f"{month}-01"), criterion
        )


@attrs.frozen
class Ending:
    """A month in its last days (from ``month_warn_from`` to its close) and, per monthly
    criterion, the teams whose record of it would fail the criterion were it to close
    now."""

    month: date
    last_day: date
    today: date
    short: dict[str, list[str]]

    def reason(self, criterion: str) -> Text:
        """Why a monthly target is at risk: the teams short so far."""
        teams = ", ".join(self.short[criterion])
        days = days_left_text((self.last_day - self.today).days)
        return Text(
            f"Tháng {month_label(self.month, 'vi')} kết thúc ngày "
            f"{date_label(self.last_day, 'vi')} ({days.vi}); chưa đạt trong tháng: {teams}.",
            f"{month_label(self.month, 'en')} ends on {date_label(self.last_day, 'en')} "
            f"({days.en}); not yet met this month: {teams}.",
        )


def _freeze(value: Any) -> Any:
    """A hashable copy of plain data."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value
