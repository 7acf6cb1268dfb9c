"""Judging, as the calendar calls for it: the units that changed at the end of a day,
every team-month when a month closes, every unit when the phase ends. What changed
becomes signals (:mod:`~.signals`) for :func:`~.signalling.signal`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor.alerts import TargetStatus
from emulation_rules.monitor.core import MonitorCore
from emulation_rules.monitor.indicators import MonthlyFact
from emulation_rules.monitor.judge import Ending
from emulation_rules.monitor.keys import ending_key
from emulation_rules.monitor.schedule import PhaseWindow
from emulation_rules.monitor.signalling import signal
from emulation_rules.monitor.signals import MonthSignal, MonthStage, StatusSignal
from emulation_rules.monitor.state import plain_evidence

_NOT_MET = CriterionStatus.NOT_MET


def judge_dirty(core: MonitorCore) -> None:
    """Judge the units that changed: the months of teams new since months closed, the
    teams short in a month about to close, then every target."""
    phase = core.phase
    if phase is None or not core.s.dirty:
        core.s.dirty = set()
        return
    month_signals: list[MonthSignal] = []
    endings: dict[str, Ending | None] = {}
    for unit in sorted(core.s.dirty):
        month_signals.extend(_judge_new_keys(core, unit, phase))
        ending = endings[unit] = ending_of(core, unit, phase)
        if ending is not None:
            month_signals.extend(_ending_signals(core, unit, ending))
    signal(core, month_signals, phase)
    statuses: list[StatusSignal] = []
    for unit in sorted(core.s.dirty):
        judged = classify(core, unit, phase, endings[unit])
        statuses.extend(_transitions(core, unit, judged, core.today()))
    core.s.dirty = set()
    signal(core, statuses, phase)


def classify(
    core: MonitorCore, unit: str, phase: PhaseWindow, ending: Ending | None
) -> dict[str, TargetStatus]:
    """Each target's status of a unit today."""
    return core.judge.classify(
        unit,
        core.s.units[unit],
        phase,
        core.s.closed_until,
        core.s.failed.get(unit, {}),
        ending.short if ending is not None else {},
        core.today(),
    )


def ending_of(core: MonitorCore, unit: str, phase: PhaseWindow) -> Ending | None:
    """The open month, if in its last days, with the teams short in it."""
    return core.judge.ending(core.s.units[unit], phase, core.today(), core.s.closed_until)


def _transitions(
    core: MonitorCore, unit: str, statuses: Mapping[str, TargetStatus], today: date
) -> list[StatusSignal]:
    old = core.s.statuses.setdefault(unit, {})
    out: list[StatusSignal] = []
    for criterion, status in statuses.items():
        was = old.get(criterion)
        if was is status:
            continue
        old[criterion] = status
        out.append(StatusSignal(unit, criterion, was, status, today))
    return out


def close_month(core: MonitorCore, phase: PhaseWindow, month: date) -> None:
    """A month closes today: judge each team's record of it, then the units."""
    core.s.closed_until = core.today()
    signals: list[MonthSignal] = []
    for unit in sorted(core.s.units):
        state = core.s.units[unit]
        judged = core.s.judged.setdefault(unit, {})
        for monthly in core.plan.monthly:
            keys = monthly.aggregator.keys_of(state["facts"][monthly.name])
            signals.extend(_month_signals(core, unit, monthly, phase, [month], keys))
            judged[monthly.name] = keys
        core.s.dirty.add(unit)
    signal(core, signals, phase)
    judge_dirty(core)


def _judge_new_keys(core: MonitorCore, unit: str, phase: PhaseWindow) -> list[MonthSignal]:
    """The closed months of keys (teams) that appeared after their months closed: their
    records are final (no event of a closed month is taken), so judge them now."""
    if core.s.closed_until is None:
        return []
    closed = [m for m in phase.months if phase.month_closes(m) <= core.s.closed_until]
    state = core.s.units[unit]
    judged = core.s.judged.setdefault(unit, {})
    signals: list[MonthSignal] = []
    for monthly in core.plan.monthly:
        keys = monthly.aggregator.keys_of(state["facts"][monthly.name])
        new = [k for k in keys if k not in judged.get(monthly.name, ())]
        if new:
            signals.extend(_month_signals(core, unit, monthly, phase, closed, new))
            judged[monthly.name] = keys
    return signals


def _month_signals(
    core: MonitorCore,
    unit: str,
    monthly: MonthlyFact,
    phase: PhaseWindow,
    months: list[date],
    keys: list[str],
) -> list[MonthSignal]:
    """Each closed team-month judged on each monthly target (the first failure kept)."""
    state = core.s.units[unit]["facts"][monthly.name]
    today = core.today()
    out: list[MonthSignal] = []
    for key in keys:
        for month in months:
            record = monthly.aggregator.month_record(state, key, month)
            for criterion, status in core.judge.month(monthly, phase, month, record).items():
                if status is _NOT_MET:
                    failed = core.s.failed.setdefault(unit, {})
                    failed.setdefault(criterion, [key, month.isoformat()[:7]])
                out.append(
                    MonthSignal(
                        MonthStage.CLOSED, monthly.name, criterion, status, unit, key, month, today
                    )
                )
    return out


def _ending_signals(core: MonitorCore, unit: str, ending: Ending) -> list[MonthSignal]:
    """A month signal (stage ``ending``) for each team short in a month about to close,
    once per team, month and criterion."""
    today = core.today()
    out: list[MonthSignal] = []
    for monthly in core.plan.monthly:
        for criterion in monthly.criteria:
            for team in ending.short.get(criterion, ()):
                if ending_key(unit, criterion, team, ending.month) in core.s.raised:
                    continue
                out.append(
                    MonthSignal(
                        MonthStage.ENDING,
                        monthly.name,
                        criterion,
                        _NOT_MET,
                        unit,
                        team,
                        ending.month,
                        today,
                        ending.last_day,
                    )
                )
    return out


def close_phase(core: MonitorCore, phase: PhaseWindow) -> None:
    """The phase ends today: every unit's final statuses, then the next phase."""
    today = core.today()
    results: dict[str, dict[str, Any]] = {}
    signals: list[StatusSignal] = []
    for unit in sorted(core.s.units):
        evidence = core.plan.evidence(core.s.units[unit], phase, phase.end)
        final = core.judge.final(evidence)
        signals.extend(_transitions(core, unit, final, today))
        results[unit] = {
            "evidence": plain_evidence(evidence),
            "statuses": {c: s.value for c, s in final.items()},
        }
    signal(core, signals, phase)
    s = core.s
    s.results[phase.id] = results
    # the next phase: the units carry on, with their campaign-wide facts
    s.units = {u: core.plan.new_phase(state) for u, state in s.units.items()}
    s.statuses = {}
    core.judge.forget()
    s.dirty, s.judged, s.failed = set(), {}, {}
    s.closed_until = None
    s.phase_seq = s.seq
    nxt = (s.phase_index or 0) + 1
    s.phase_index = nxt if nxt < len(core.schedule.phases) else None
