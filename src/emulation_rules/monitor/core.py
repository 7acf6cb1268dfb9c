"""What a monitor's parts share: the compiled plan, the schedule, the judge, the engine
and the rules, and the one :class:`~emulation_rules.monitor.state.MonitorState` they
change. The calendar (:mod:`~.calendar`), the judging (:mod:`~.judging`) and the
signalling (:mod:`~.signalling`) each work on a :class:`MonitorCore`; the
:class:`~emulation_rules.monitor.Monitor` holds one and serves the public API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs

from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.monitor.alerts import Alert
from emulation_rules.monitor.engine import Matcher
from emulation_rules.monitor.indicators import Plan
from emulation_rules.monitor.judge import Judge
from emulation_rules.monitor.rules import GeneratedRule
from emulation_rules.monitor.schedule import PhaseWindow, Schedule
from emulation_rules.monitor.state import MonitorState


@attrs.define(eq=False)
class MonitorCore:
    """The shared parts of one monitor, and its state ``s`` (replaced on restore)."""

    definition: CampaignDefinition
    ruleset: RuleSet
    plan: Plan
    schedule: Schedule
    judge: Judge
    engine: Matcher
    rules: dict[str, GeneratedRule]
    on_alert: Callable[[Alert], None] | None = None
    callback_errors: list[str] = attrs.Factory(list)
    s: MonitorState = attrs.Factory(MonitorState)

    @property
    def phase(self) -> PhaseWindow | None:
        """The phase under way, if any."""
        index = self.s.phase_index
        return self.schedule.phases[index] if index is not None else None

    def today(self) -> date:
        """The clock (set: the monitor has started)."""
        assert self.s.clock is not None
        return self.s.clock

    def raise_alert(self, alert: Alert) -> None:
        """Keep an alert and tell ``on_alert`` (its exceptions are recorded, not raised)."""
        self.s.alerts.append(alert)
        if self.on_alert is not None:
            try:
                self.on_alert(alert)
            except Exception as exc:
                self.callback_errors.append(f"{type(exc).__name__}: {exc}")
