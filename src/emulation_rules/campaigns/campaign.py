"""One campaign instance: a definition plus the instance's plain-data state.

>>> campaign = Campaign.new(definition, "xa-binh-luong", on=date(2024, 9, 20))  # doctest: +SKIP
>>> campaign.trigger("issue", on=date(2024, 9, 20), by="BCĐ ANTT xã")      # doctest: +SKIP
>>> campaign.advance(to=date(2025, 2, 10))                                # doctest: +SKIP
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from emulation_rules.campaigns.deadlines import (
    Deadline,
    DeadlineStatus,
    TimelineEntry,
    deadlines,
    timeline,
)
from emulation_rules.campaigns.definition import DRAFT, CampaignDefinition
from emulation_rules.campaigns.lifecycle import TRIGGERS, Lifecycle, Permission, lifecycle_of
from emulation_rules.campaigns.spec import PhaseSpec
from emulation_rules.campaigns.state import (
    CampaignState,
    Transition,
    state_from_data,
    state_from_json,
    state_to_data,
    state_to_json,
)
from emulation_rules.errors import CampaignError
from emulation_rules.model.common import Text


class Campaign:
    """An instance of a campaign definition. Its whole state is :attr:`data` (plain
    data); the definition's one compiled machine runs the triggers on it."""

    __slots__ = ("_data", "definition", "lifecycle")

    def __init__(self, definition: CampaignDefinition, data: CampaignState) -> None:
        if data.definition_id != definition.id:
            raise CampaignError(
                f"state of campaign {data.definition_id!r} given to definition {definition.id!r}",
                message_vi=f"trạng thái của phong trào {data.definition_id!r} không thuộc "
                f"kế hoạch {definition.id!r}",
            )
        if data.definition_sha256 != definition.sha256:
            raise CampaignError(
                f"the state was saved under another version of {definition.id} "
                f"(sha256 {data.definition_sha256[:12]}…, now {definition.sha256[:12]}…)",
                message_vi=f"trạng thái được lưu theo một phiên bản khác của {definition.id} "
                f"(sha256 {data.definition_sha256[:12]}…, nay {definition.sha256[:12]}…)",
            )
        lifecycle = lifecycle_of(definition)
        if data.state not in lifecycle.rank:
            raise CampaignError(
                f"{definition.id} has no state {data.state!r}",
                message_vi=f"{definition.id} không có trạng thái {data.state!r}",
            )
        self.definition = definition
        self.lifecycle: Lifecycle = lifecycle
        self._data = data

    @classmethod
    def new(
        cls, definition: CampaignDefinition, instance_id: str, *, on: date, by: str = "system"
    ) -> Campaign:
        """A new instance in state ``draft`` (its first audit entry records the start)."""
        if not instance_id:
            raise CampaignError("an instance needs an id", message_vi="phong trào cần có mã")
        refused = lifecycle_of(definition).date_refused("start", on)
        if refused is not None:
            raise CampaignError(refused, path=("on",))
        data = CampaignState(
            definition.spec.id, definition.sha256, instance_id, DRAFT, on, on, revision=1
        )
        data.log.append(Transition(0, on, by, "start", "", DRAFT, recorded_on=on))
        return cls(definition, data)

    # -- state -----------------------------------------------------------------------
    @property
    def instance_id(self) -> str:
        """The host's id of this instance."""
        return self._data.instance_id

    @property
    def state(self) -> str:
        """The current lifecycle state."""
        return self._data.state

    @property
    def log(self) -> tuple[Transition, ...]:
        """The audit log, oldest first."""
        return tuple(self._data.log)

    @property
    def revision(self) -> int:
        """How many changes the instance has seen."""
        return self._data.revision

    def to_state(self) -> CampaignState:
        """A copy of the instance's state (plain data)."""
        return self._data.copy()

    @classmethod
    def from_state(cls, definition: CampaignDefinition, data: CampaignState) -> Campaign:
        """Restore an instance from its state, without replaying its history."""
        return cls(definition, data.copy())

    def to_data(self) -> dict[str, object]:
        """The state as JSON-ready plain data."""
        return state_to_data(self._data)

    @classmethod
    def from_data(cls, definition: CampaignDefinition, data: object) -> Campaign:
        """Restore from :meth:`to_data` output."""
        return cls(definition, state_from_data(data))

    def to_json(self) -> str:
        """The state as compact JSON (byte-identical after a round trip)."""
        return state_to_json(self._data)

    @classmethod
    def from_json(cls, definition: CampaignDefinition, text: str | bytes) -> Campaign:
        """Restore from :meth:`to_json` output."""
        return cls(definition, state_from_json(text))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Campaign):
            return NotImplemented
        return self.definition is other.definition and self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Campaign {self.definition.id}/{self.instance_id} {self.state}>"

    # -- triggers ----------------------------------------------------------------------
    def trigger(
        self, name: str, *, on: date, by: str = "system", note: str | None = None, **kwargs: Any
    ) -> Transition:
        """Fire a named trigger (``issue``, ``launch``, ``submit_report``,
        ``decide_awards``, ``start_awarding``, ``close``, ``cancel``, or the calendar's
        ``begin_phase`` / ``end_phase``) and return its audit entry. A guard's refusal
        raises :class:`~emulation_rules.errors.TransitionRefused` and changes nothing
        (guards run before any change). ``recorded_on=`` dates the recording when it is
        not the day the step takes effect (see :attr:`Transition.recorded_on`)."""
        return self.lifecycle.fire(self._data, name, on=on, by=by, note=note, **kwargs)

    def issue(self, *, on: date, by: str = "system", note: str | None = None) -> Transition:
        """The plan is issued (for a plan that starts on issuance, this date starts it)."""
        return self.lifecycle.fire(self._data, "issue", on=on, by=by, note=note)

    def launch(self, *, on: date, by: str = "system", note: str | None = None) -> Transition:
        """The launch ceremony (lễ phát động)."""
        return self.lifecycle.fire(self._data, "launch", on=on, by=by, note=note)

    def submit_report(
        self, report: str, *, on: date, by: str = "system", note: str | None = None
    ) -> Transition:
        """A report is sent."""
        return self.lifecycle.fire(
            self._data, "submit_report", on=on, by=by, note=note, report=report
        )

    def decide_awards(
        self,
        award_round: str,
        *,
        collectives: int,
        individuals: int,
        on: date,
        by: str = "system",
        note: str | None = None,
    ) -> Transition:
        """The awards of a round are decided (refused over its quota)."""
        return self.lifecycle.fire(
            self._data,
            "decide_awards",
            on=on,
            by=by,
            note=note,
            award_round=award_round,
            collectives=collectives,
            individuals=individuals,
        )

    def close(self, *, on: date, by: str = "system", note: str | None = None) -> Transition:
        """Close the campaign (refused without the final report)."""
        return self.lifecycle.fire(self._data, "close", on=on, by=by, note=note)

    def cancel(self, *, on: date, by: str = "system", note: str | None = None) -> Transition:
        """Cancel the campaign (any state before ``closed``)."""
        return self.lifecycle.fire(self._data, "cancel", on=on, by=by, note=note)

    def advance(self, *, to: date, by: str = "calendar") -> list[Transition]:
        """Perform every transition the calendar implies up to ``to`` (phases begin and
        end, reviews open and, once their report is in or late, give way to the next
        phase) and return them. Human steps (issue, launch, awards, close) are not
        taken. Each step is dated on the day it takes effect and recorded on ``to``, so
        an instance left idle is caught up with the true dates."""
        return self.lifecycle.advance(self._data, to, by)

    def available(self, *, on: date | None = None) -> list[Permission]:
        """Every trigger, with whether it may be fired ``on`` a date (default: the date
        of the instance's last event) or the guard refusing it and why (vi/en): what a
        host builds its buttons from."""
        when = self._data.clock if on is None else on
        return [self.lifecycle.permission(self._data, t, when) for t in TRIGGERS]

    def may(self, trigger: str, *, on: date | None = None, **kwargs: Any) -> Permission:
        """Whether ``trigger`` may be fired ``on`` a date (default: the last event's);
        with its arguments (``report=``, ``award_round=`` …) for exactly those, else for
        any report or round (:attr:`Permission.choices`)."""
        when = self._data.clock if on is None else on
        if trigger not in TRIGGERS:  # refused by guard "trigger", naming the triggers
            found = self.lifecycle.check(self._data, trigger, {"on": when})
            return Permission(trigger, Text(trigger, trigger), found)
        if not kwargs:
            return self.lifecycle.permission(self._data, trigger, when)
        step = self.lifecycle.steps[trigger]
        found = self.lifecycle.check(self._data, trigger, {**kwargs, "on": when})
        subject = kwargs.get(step.params[0]) if step.params else None
        choices = (str(subject),) if found is None and subject is not None else ()
        return Permission(trigger, step.label, found, choices)

    def allowed(self, *, on: date | None = None) -> list[str]:
        """The triggers that may be fired ``on`` a date (default: the last event's),
        guards included (``submit_report`` is not offered once every report is in)."""
        return [p.trigger for p in self.available(on=on) if p.allowed]

    # -- queries -------------------------------------------------------------------------
    def phase_on(self, day: date) -> PhaseSpec | None:
        """The phase running on ``day`` (``None`` outside the phases)."""
        return self.definition.phase_on(day, self._data.issued_on)

    def deadlines(self, *, on: date) -> list[Deadline]:
        """Every report deadline with its status on ``on``."""
        return deadlines(self.definition, self._data, on)

    def due_within(self, days: int, *, on: date) -> list[Deadline]:
        """Pending reports whose last day on time falls within ``days`` days of ``on``."""
        horizon = on + timedelta(days=days)
        return [
            d
            for d in self.deadlines(on=on)
            if d.status is DeadlineStatus.PENDING and d.last_day <= horizon
        ]

    def overdue(self, *, on: date) -> list[Deadline]:
        """Reports not submitted whose last day on time has passed."""
        return [d for d in self.deadlines(on=on) if d.status is DeadlineStatus.OVERDUE]

    def timeline(self) -> list[TimelineEntry]:
        """The plan's dates in order (with this instance's issue date, if it matters)."""
        return timeline(self.definition, self._data.issued_on)
