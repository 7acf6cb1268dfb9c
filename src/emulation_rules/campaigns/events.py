"""What a host is told about a campaign instance (hooks).

A host registers callbacks per event type (:meth:`Hooks.on`) or a listener object whose
``on_phase_changed``, ``on_report_submitted``, ``on_report_late``, ``on_report_overdue``,
``on_awards_proposed`` and ``on_awards_decided`` methods are called
(:meth:`Hooks.add_listener`). :meth:`SqliteCampaignStore.update` runs them after the
change is stored; a hook that raises never touches the store: the failure is logged on
the ``emulation_rules.campaigns.hooks`` logger and returned (and kept in
:attr:`Hooks.failures` until :meth:`Hooks.take_failures`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import attrs

from emulation_rules.campaigns.deadlines import DeadlineStatus, deadlines
from emulation_rules.campaigns.definition import CampaignDefinition, last_day_on_time
from emulation_rules.campaigns.state import CampaignState

LOGGER = logging.getLogger("emulation_rules.campaigns.hooks")
"""Where a failing hook is reported (level ERROR, with its traceback)."""


@attrs.frozen
class PhaseChanged:
    """The instance moved from ``source`` to ``dest`` by ``trigger``, effective ``on``,
    recorded ``recorded_on``."""

    instance_id: str
    trigger: str
    source: str
    dest: str
    on: date
    recorded_on: date


@attrs.frozen
class ReportSubmitted:
    """A report was sent ``on`` a date (``late``: after its last day on time)."""

    instance_id: str
    report: str
    on: date
    late: bool


@attrs.frozen
class ReportLate:
    """A report was sent after its last day on time."""

    instance_id: str
    report: str
    on: date
    last_day: date


@attrs.frozen
class ReportOverdue:
    """A report's last day on time passed without it (noticed ``on``)."""

    instance_id: str
    report: str
    last_day: date
    on: date


@attrs.frozen
class AwardsProposed:
    """Candidates of an award round were proposed (sent by the host or the awards code
    through :meth:`Hooks.dispatch`)."""

    instance_id: str
    award_round: str
    collectives: int
    individuals: int
    on: date


@attrs.frozen
class AwardsDecided:
    """The awards of a round were decided."""

    instance_id: str
    award_round: str
    collectives: int
    individuals: int
    on: date


CampaignEvent = (
    PhaseChanged | ReportSubmitted | ReportLate | ReportOverdue | AwardsProposed | AwardsDecided
)
"""Every event a hook may be told."""

LISTENER_METHODS: dict[type[Any], str] = {
    PhaseChanged: "on_phase_changed",
    ReportSubmitted: "on_report_submitted",
    ReportLate: "on_report_late",
    ReportOverdue: "on_report_overdue",
    AwardsProposed: "on_awards_proposed",
    AwardsDecided: "on_awards_decided",
}
"""The listener method called for each event type."""


@attrs.frozen
class HookFailure:
    """A hook raised: which event, which hook (its name) and the exception."""

    event: CampaignEvent
    hook: str
    error: Exception


class Hooks:
    """The callbacks a host registered."""

    def __init__(self) -> None:
        self._callbacks: list[tuple[type[Any], Callable[[Any], object]]] = []
        self.failures: list[HookFailure] = []
        """Failures not yet taken (:meth:`take_failures`)."""

    def on(self, kind: type[Any], callback: Callable[[Any], object]) -> Callable[[Any], object]:
        """Call ``callback(event)`` for each event of type ``kind``; returns ``callback``."""
        self._callbacks.append((kind, callback))
        return callback

    def add_listener(self, listener: object) -> None:
        """Call the listener's ``on_…`` method (see :data:`LISTENER_METHODS`) it has for
        each event."""
        for kind, name in LISTENER_METHODS.items():
            method = getattr(listener, name, None)
            if callable(method):
                self.on(kind, method)

    def dispatch(self, events: Iterable[CampaignEvent]) -> list[HookFailure]:
        """Tell the hooks about ``events``, in order; a hook that raises is logged and its
        :class:`HookFailure` returned (the others still run)."""
        failed: list[HookFailure] = []
        for event in events:
            for kind, callback in self._callbacks:
                if not isinstance(event, kind):
                    continue
                try:
                    callback(event)
                except Exception as exc:  # a host's hook must not break the campaign
                    name = getattr(callback, "__qualname__", repr(callback))
                    LOGGER.error("campaign hook %s failed on %r", name, event, exc_info=exc)
                    failed.append(HookFailure(event, name, exc))
        self.failures.extend(failed)
        return failed

    def take_failures(self) -> list[HookFailure]:
        """The failures kept so far, and forget them."""
        taken, self.failures = self.failures, []
        return taken


def events_between(
    definition: CampaignDefinition, before: CampaignState, after: CampaignState
) -> list[CampaignEvent]:
    """The events of the audit entries ``after`` has beyond ``before``, and the reports
    that became overdue between the two (as of the last entry's recording date)."""
    out: list[CampaignEvent] = []
    iid = after.instance_id
    new = after.log[len(before.log) :]
    for t in new:
        recorded = t.recorded_on or t.on
        if t.trigger == "submit_report" and t.subject is not None:
            last = last_day_on_time(definition.report(t.subject))
            out.append(ReportSubmitted(iid, t.subject, t.on, t.on > last))
            if t.on > last:
                out.append(ReportLate(iid, t.subject, t.on, last))
        elif t.trigger == "decide_awards" and t.subject is not None:
            a = next(a for a in after.awards if a.award_round == t.subject)
            out.append(AwardsDecided(iid, a.award_round, a.collectives, a.individuals, t.on))
        elif t.source != t.dest:
            out.append(PhaseChanged(iid, t.trigger, t.source, t.dest, t.on, recorded))
    if new:
        now = max(t.recorded_on or t.on for t in new)
        was = {d.report for d in deadlines(definition, before, before.clock)
               if d.status is DeadlineStatus.OVERDUE}  # fmt: skip
        for d in deadlines(definition, after, now):
            if d.status is DeadlineStatus.OVERDUE and d.report not in was:
                out.append(ReportOverdue(iid, d.report, d.last_day, now))
    return out
