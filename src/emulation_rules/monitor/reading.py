"""Reading a monitor: the indicator tables of the current phase (each target's status
and reason, the facts, the teams) and of a phase that ended, built from the shared
:class:`~emulation_rules.monitor.core.MonitorCore`."""

from __future__ import annotations

from typing import Any

from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor.alerts import TargetStatus
from emulation_rules.monitor.core import MonitorCore
from emulation_rules.monitor.judging import classify, ending_of
from emulation_rules.monitor.schedule import PhaseWindow
from emulation_rules.monitor.state import evidence_from_plain
from emulation_rules.monitor.views import TargetIndicator, UnitIndicators, team_indicators

_NOT_MET = CriterionStatus.NOT_MET


def unit_indicators(
    core: MonitorCore, unit: str, state: dict[str, Any], phase: PhaseWindow, explain: bool
) -> UnitIndicators:
    """A unit's running indicators today (``explain``: the evaluator's full reasons)."""
    failed = core.s.failed.get(unit, {})
    judge = core.judge
    ending = ending_of(core, unit, phase)
    statuses = classify(core, unit, phase, ending)
    closed = core.s.closed_until
    current, best = judge.verdicts(state, phase, closed, judge.whole_ids, explain=explain)
    targets = []
    for c in core.ruleset.criteria:
        status = statuses[c.id]
        if c.id in judge.monthly_criteria:
            reason = judge.monthly_reason(unit, c.id, failed, ending)
        else:
            result = current.criterion(c.id)
            if status is TargetStatus.MISSED and result.status is not _NOT_MET:
                result = best.criterion(c.id)
            reason = result.reason
        targets.append(TargetIndicator(c.id, c.spec.title, status, reason))
    return UnitIndicators(
        unit,
        phase.id,
        core.today(),
        False,
        tuple(targets),
        core.plan.evidence(state, phase, closed),
        team_indicators(core.plan, state),
    )


def phase_results(core: MonitorCore, phase: str) -> list[UnitIndicators]:
    """The final indicators of a phase that ended (empty if it has not)."""
    window = core.schedule.phases[core.schedule.index(phase)]
    out = []
    for unit, result in sorted(core.s.results.get(phase, {}).items()):
        evidence = evidence_from_plain(core.plan.facts, result["evidence"])
        verdict = core.ruleset.evaluate(evidence, explain=True)
        targets = tuple(
            TargetIndicator(
                c.id,
                core.judge.criteria[c.id].spec.title,
                TargetStatus(result["statuses"][c.id]),
                c.reason,
            )
            for c in verdict.criteria
        )
        out.append(UnitIndicators(unit, phase, window.end, True, targets, evidence, ()))
    return out
