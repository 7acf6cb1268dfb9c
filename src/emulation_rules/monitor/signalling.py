"""Signalling: signals in, alerts out. The signals of a batch are matched by the engine
against the generated rules (:mod:`~.rules`); each rule that fires hands its signal to
the handler of its alert kind (:data:`HANDLERS`, one per :class:`AlertKind`), which
makes the alerts. A new alert kind is a rule generator and a handler."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from emulation_rules.model.common import Text
from emulation_rules.monitor.alerts import (
    Alert,
    AlertKind,
    TargetStatus,
    deadline_alert_text,
    month_alert_text,
    status_alert_text,
)
from emulation_rules.monitor.core import MonitorCore
from emulation_rules.monitor.keys import deadline_key, ending_key
from emulation_rules.monitor.rules import GeneratedRule
from emulation_rules.monitor.schedule import PhaseWindow
from emulation_rules.monitor.signals import ClockSignal, MonthSignal, Signal, StatusSignal


class Batch:
    """The signals of one batch that fired rules, and what their handlers share: the
    reasons of the status alerts, worked out once per unit for all its targets."""

    def __init__(
        self, core: MonitorCore, phase: PhaseWindow, fired: list[tuple[Signal, GeneratedRule]]
    ) -> None:
        self.core = core
        self.phase = phase
        self.fired = fired
        self._reasons: dict[str, dict[str, Text]] = {}

    def reason(self, unit: str, criterion: str) -> Text:
        """Why a target of a unit is at risk or missed (the evaluator's explanation)."""
        if unit not in self._reasons:
            criteria = {
                s.criterion
                for s, r in self.fired
                if isinstance(s, StatusSignal) and s.unit == unit and r.kind in STATUS_KINDS
            }
            core = self.core
            self._reasons[unit] = core.judge.reasons(
                unit,
                core.s.units[unit],
                self.phase,
                core.s.closed_until,
                core.s.failed.get(unit, {}),
                criteria,
            )
        return self._reasons[unit][criterion]


class Handler(Protocol):
    """Makes the alerts of one kind from a signal that fired one of its rules."""

    def __call__(self, batch: Batch, signal: Signal, rule: GeneratedRule) -> list[Alert]:
        """The alerts of ``signal`` (it fired ``rule``)."""
        ...


def _status(batch: Batch, signal: Signal, rule: GeneratedRule) -> list[Alert]:
    """At risk or missed: the target, the pace (at risk) and the evaluator's reason."""
    if not isinstance(signal, StatusSignal):
        return []
    core, unit, criterion = batch.core, signal.unit, signal.criterion
    title = core.judge.criteria[criterion].spec.title
    pace = None
    if rule.kind is AlertKind.AT_RISK:
        shortfall = core.judge.shortfall(
            core.s.units[unit], batch.phase, core.s.closed_until, criterion, signal.on
        )
        pace = shortfall.text()
    reason = batch.reason(unit, criterion)
    text = status_alert_text(rule.kind, unit, criterion, title, reason, pace)
    return [Alert(rule.kind, unit, signal.on, batch.phase.id, criterion, text)]


def _month(batch: Batch, signal: Signal, rule: GeneratedRule) -> list[Alert]:
    """A team-month closed short, or about to (marked raised, once per team-month)."""
    if not isinstance(signal, MonthSignal) or rule.criterion is None:
        return []
    core = batch.core
    monthly = next(m for m in core.plan.monthly if m.name == signal.fact)
    ends: tuple[date, int] | None = None
    if rule.kind is AlertKind.MONTH_ENDING:
        assert signal.last_day is not None
        template = monthly.mapping.ending_alert
        ends = (signal.last_day, (signal.last_day - signal.on).days)
        core.s.raised.add(ending_key(signal.unit, rule.criterion, signal.team, signal.month))
    else:
        template = monthly.mapping.closing_alert
    text = month_alert_text(
        template, signal.unit, signal.team, signal.month, rule.criterion, ends=ends
    )
    return [
        Alert(
            rule.kind,
            signal.unit,
            signal.on,
            batch.phase.id,
            rule.criterion,
            text,
            team=signal.team,
            month=signal.label,
        )
    ]


def _deadline(batch: Batch, signal: Signal, rule: GeneratedRule) -> list[Alert]:
    """A deadline near: each target at risk of each unit, once per deadline."""
    phase, core = batch.phase, batch.core
    deadlines = {d.id: d for d in phase.deadlines}
    if not isinstance(signal, ClockSignal) or rule.phase != phase.id:
        return []
    if rule.deadline not in deadlines:
        return []
    deadline, today = deadlines[rule.deadline], signal.on
    out = []
    for unit in sorted(core.s.units):
        for criterion, status in core.s.statuses.get(unit, {}).items():
            key = deadline_key(deadline.id, unit, criterion)
            if status is not TargetStatus.AT_RISK or key in core.s.raised:
                continue
            core.s.raised.add(key)
            title = core.judge.criteria[criterion].spec.title
            days = (deadline.last_day - today).days
            text = deadline_alert_text(
                unit, criterion, title, status, deadline.title, deadline.last_day, days
            )
            out.append(
                Alert(
                    AlertKind.DEADLINE_NEAR,
                    unit,
                    today,
                    phase.id,
                    criterion,
                    text,
                    deadline=deadline.id,
                )
            )
    return out


STATUS_KINDS = frozenset({AlertKind.AT_RISK, AlertKind.MISSED})

HANDLERS: dict[AlertKind, Handler] = {
    AlertKind.AT_RISK: _status,
    AlertKind.MISSED: _status,
    AlertKind.MONTH_CLOSED: _month,
    AlertKind.MONTH_ENDING: _month,
    AlertKind.DEADLINE_NEAR: _deadline,
}
"""The handler of each alert kind."""


def signal(core: MonitorCore, signals: Sequence[Signal], phase: PhaseWindow) -> None:
    """Match the signals against the rules and raise the alerts their handlers make, in
    the order of the signals and, for one signal, of the rules."""
    if not signals:
        return
    matched = core.engine.match([s.message() for s in signals])
    fired = [
        (s, core.rules[name]) for s, names in zip(signals, matched, strict=True) for name in names
    ]
    batch = Batch(core, phase, fired)
    for s, rule in fired:
        for alert in HANDLERS[rule.kind](batch, s, rule):
            core.raise_alert(alert)
