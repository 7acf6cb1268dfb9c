"""The lifecycle of a campaign, compiled once per definition into one ``transitions``
machine that drives every instance.

States: ``draft → issued → launched → <phase> → <interim review> → … → <last phase> →
<final review> → awarding → closed``, and ``cancelled`` from any state before ``closed``.
A phase with no review goes straight on to the next phase.

The machine holds no model: each trigger runs on an instance's :class:`CampaignState`
(plain data, whose ``state`` attribute the machine reads and sets). Guards are
``transitions`` conditions that raise :class:`TransitionRefused` naming the guard; an
``after_state_change`` callback appends the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from transitions import EventData, Machine, MachineError

from emulation_rules.campaigns.definition import ONE_DAY, last_day_on_time
from emulation_rules.campaigns.spec import ReviewKind
from emulation_rules.campaigns.state import AwardDecision, CampaignState, Submission, Transition
from emulation_rules.errors import CampaignError, TransitionRefused

if TYPE_CHECKING:
    from emulation_rules.campaigns.definition import CampaignDefinition

DRAFT, ISSUED, LAUNCHED = "draft", "issued", "launched"
AWARDING, CLOSED, CANCELLED = "awarding", "closed", "cancelled"

TRIGGERS = (
    "issue",
    "launch",
    "begin_phase",
    "end_phase",
    "submit_report",
    "decide_awards",
    "start_awarding",
    "close",
    "cancel",
)
"""Every trigger name a campaign accepts."""

CALENDAR_TRIGGERS = frozenset({"begin_phase", "end_phase"})
"""The triggers :meth:`Campaign.advance` fires when the calendar says so."""

Guard = Callable[[EventData], bool]


def _kw(event: EventData, name: str) -> Any:
    return event.kwargs.get(name)


def _model(event: EventData) -> CampaignState:
    model: CampaignState = event.model  # type: ignore[assignment]
    return model


class Lifecycle:
    """The compiled lifecycle of one definition: its states in order, its transitions, and
    the one ``transitions.Machine`` that runs them on any number of instances."""

    def __init__(self, definition: CampaignDefinition) -> None:
        self.definition = definition
        spec = definition.spec
        order: list[str] = [DRAFT, ISSUED, LAUNCHED]
        for phase in spec.phases:
            order.append(phase.id)
            review = definition.review_after(phase.id)
            if review is not None:
                order.append(review.id)
        order += [AWARDING, CLOSED]
        self.states: tuple[str, ...] = (*order, CANCELLED)
        """Every state, in lifecycle order (``cancelled`` last)."""
        self.rank = {name: i for i, name in enumerate(order)}
        self._calendar = self._calendar_table()
        self.transitions: list[dict[str, Any]] = self._transitions(order)
        """The transitions as given to ``transitions.Machine`` (for diagrams)."""
        self.machine = Machine(
            model=None,
            states=list(self.states),
            transitions=self.transitions,
            initial=DRAFT,
            auto_transitions=False,
            send_event=True,
            prepare_event=[self._check_chronology],
            after_state_change=[self._record],
            name=definition.id,
        )

    # -- building ----------------------------------------------------------------
    def _transitions(self, order: list[str]) -> list[dict[str, Any]]:
        d = self.definition
        spec = d.spec
        final = d.final_review
        out: list[dict[str, Any]] = [
            {"trigger": "issue", "source": DRAFT, "dest": ISSUED, "conditions": [self._g_issue]},
            {"trigger": "launch", "source": ISSUED, "dest": LAUNCHED},
            {
                "trigger": "begin_phase",
                "source": LAUNCHED,
                "dest": spec.phases[0].id,
                "conditions": [self._g_phase_started(0)],
            },
        ]
        for i, phase in enumerate(spec.phases):
            review = d.review_after(phase.id)
            if review is not None:
                out.append(
                    {
                        "trigger": "end_phase",
                        "source": phase.id,
                        "dest": review.id,
                        "conditions": [self._g_phase_ended(i)],
                    }
                )
                if review.kind is ReviewKind.INTERIM:
                    out.append(
                        {
                            "trigger": "begin_phase",
                            "source": review.id,
                            "dest": spec.phases[i + 1].id,
                            "conditions": [
                                self._g_phase_started(i + 1),
                                self._g_review_done(review.report),
                            ],
                        }
                    )
            elif i + 1 < len(spec.phases):
                out.append(
                    {
                        "trigger": "begin_phase",
                        "source": phase.id,
                        "dest": spec.phases[i + 1].id,
                        "conditions": [self._g_phase_ended(i)],
                    }
                )
        report_states = order[order.index(ISSUED) : order.index(CLOSED)]
        out.append(
            {
                "trigger": "submit_report",
                "source": report_states,
                "dest": None,
                "conditions": [self._g_report],
            }
        )
        award_states = order[order.index(spec.phases[0].id) : order.index(CLOSED)]
        out.append(
            {
                "trigger": "decide_awards",
                "source": final.id,
                "dest": AWARDING,
                "conditions": [self._is_final_round, self._g_final_report, self._g_award],
            }
        )
        out.append(
            {
                "trigger": "decide_awards",
                "source": award_states,
                "dest": None,
                "conditions": [self._g_award],
            }
        )
        out.append(
            {
                "trigger": "start_awarding",
                "source": final.id,
                "dest": AWARDING,
                "conditions": [self._g_final_report],
            }
        )
        out.append(
            {
                "trigger": "close",
                "source": AWARDING,
                "dest": CLOSED,
                "conditions": [self._g_final_report],
            }
        )
        out.append(
            {"trigger": "cancel", "source": [s for s in order if s != CLOSED], "dest": CANCELLED}
        )
        return out

    def _calendar_table(self) -> dict[str, tuple[str, int, str | None]]:
        """For each state the calendar moves on from: the trigger, the phase it waits on
        (its index), and for an interim review the report it waits for."""
        d = self.definition
        phases = d.spec.phases
        table: dict[str, tuple[str, int, str | None]] = {LAUNCHED: ("begin_phase", -1, None)}
        for i, phase in enumerate(phases):
            review = d.review_after(phase.id)
            if review is not None:
                table[phase.id] = ("end_phase", i, None)
                if review.kind is ReviewKind.INTERIM:
                    table[review.id] = ("begin_phase", i, review.report)
            elif i + 1 < len(phases):
                table[phase.id] = ("begin_phase", i, None)
        return table

    def next_step(self, state: CampaignState, to: date) -> tuple[str, date] | None:
        """The calendar transition due next for an instance, up to ``to``: its trigger and
        the day it happens (never before the instance's clock); ``None`` when nothing is
        due."""
        entry = self._calendar.get(state.state)
        if entry is None:
            return None
        trigger, index, report_id = entry
        d = self.definition
        when: date | None
        if index < 0:
            when = d.phase_start(0, state.issued_on)
            if when is None:
                return None
        elif trigger == "end_phase" or report_id is None:
            when = d.spec.phases[index].end + ONE_DAY
        else:
            report = d.report(report_id)
            sub = state.submission(report_id)
            ready = sub.on if sub is not None else last_day_on_time(report) + ONE_DAY
            when = max(d.spec.phases[index].end + ONE_DAY, ready)
        if when < state.clock:
            when = state.clock
        return (trigger, when) if when <= to else None

    # -- running -------------------------------------------------------------------
    def fire(self, state: CampaignState, trigger: str, **kwargs: Any) -> Transition:
        """Run ``trigger`` on an instance's state (changed in place on success); return the
        audit entry. A refusal raises :class:`TransitionRefused` and changes nothing."""
        event = self.machine.events.get(trigger)
        if event is None:
            raise TransitionRefused(
                f"unknown trigger {trigger!r} (triggers: {', '.join(TRIGGERS)})",
                trigger=trigger,
                guard="trigger",
                state=state.state,
            )
        before = len(state.log)
        try:
            done = event.trigger(state, **kwargs)
        except MachineError:
            done = False
        if not done or len(state.log) == before:
            raise TransitionRefused(
                f"{trigger} is not possible in state {state.state}",
                trigger=trigger,
                guard="state",
                state=state.state,
            )
        return state.log[-1]

    def allowed(self, state: str) -> list[str]:
        """The triggers that have a transition from ``state`` (their guards may still
        refuse)."""
        return [t for t in TRIGGERS if self.machine.events[t].transitions.get(state)]

    # -- callbacks ---------------------------------------------------------------------
    def _check_chronology(self, event: EventData) -> None:
        model = _model(event)
        on = _kw(event, "on")
        if not isinstance(on, date):
            raise TransitionRefused(
                "give the date of the event (on=...)",
                trigger=event.event.name,
                guard="date",
                state=model.state,
            )
        if on < model.clock:
            raise TransitionRefused(
                f"{on} is before the campaign's last event ({model.clock})",
                trigger=event.event.name,
                guard="chronology",
                state=model.state,
            )

    def _record(self, event: EventData) -> None:
        model = _model(event)
        trigger = event.event.name
        on: date = event.kwargs["on"]
        by = str(event.kwargs.get("by") or "system")
        note = event.kwargs.get("note")
        subject: str | None = None
        if trigger == "submit_report":
            subject = event.kwargs["report"]
            model.submissions.append(Submission(subject, on, by, note))
        elif trigger == "decide_awards":
            subject = event.kwargs["award_round"]
            model.awards.append(
                AwardDecision(
                    subject,
                    on,
                    by,
                    int(event.kwargs.get("collectives") or 0),
                    int(event.kwargs.get("individuals") or 0),
                )
            )
        elif trigger == "issue":
            model.issued_on = on
        transition = event.transition
        assert transition is not None
        source: str = transition.source
        dest: str = transition.dest or source
        model.log.append(Transition(len(model.log), on, by, trigger, source, dest, subject, note))
        model.clock = on
        model.revision += 1

    # -- guards --------------------------------------------------------------------------
    def _refuse(self, event: EventData, guard: str, message: str) -> TransitionRefused:
        return TransitionRefused(
            message, trigger=event.event.name, guard=guard, state=_model(event).state
        )

    def _g_issue(self, event: EventData) -> bool:
        spec = self.definition.spec
        on: date = event.kwargs["on"]
        first = spec.phases[0]
        if spec.period.starts_on_issuance and on > first.end:
            raise self._refuse(
                event,
                "issue_date",
                f"the plan starts on issuance, so it must be issued by the end of "
                f"{first.id} ({first.end}), not {on}",
            )
        return True

    def _g_phase_started(self, index: int) -> Guard:
        def guard(event: EventData) -> bool:
            on: date = event.kwargs["on"]
            start = self.definition.phase_start(index, _model(event).issued_on)
            phase = self.definition.spec.phases[index]
            if start is None or on < start:
                raise self._refuse(
                    event, "phase_started", f"{phase.id} starts on {start}, not before ({on})"
                )
            return True

        return guard

    def _g_phase_ended(self, index: int) -> Guard:
        phase = self.definition.spec.phases[index]

        def guard(event: EventData) -> bool:
            on: date = event.kwargs["on"]
            if on <= phase.end:
                raise self._refuse(
                    event,
                    "phase_ended",
                    f"{phase.id} runs until {phase.end}: no review before it has ended ({on})",
                )
            return True

        return guard

    def _g_review_done(self, report_id: str | None) -> Guard:
        def guard(event: EventData) -> bool:
            if report_id is None:
                return True
            on: date = event.kwargs["on"]
            report = self.definition.report(report_id)
            sub = _model(event).submission(report_id)
            if sub is None and on <= last_day_on_time(report):
                raise self._refuse(
                    event,
                    "review_done",
                    f"the review waits for report {report_id} until {last_day_on_time(report)} "
                    f"({report.wording})",
                )
            return True

        return guard

    def _g_report(self, event: EventData) -> bool:
        report_id = _kw(event, "report")
        if not isinstance(report_id, str):
            raise self._refuse(event, "report", "name the report (report=...)")
        try:
            report = self.definition.report(report_id)
        except CampaignError as exc:
            raise self._refuse(event, "report", exc.message) from None
        if _model(event).submission(report_id) is not None:
            raise self._refuse(event, "report_once", f"report {report_id} was already submitted")
        on: date = event.kwargs["on"]
        opens = self.definition.opens(report, _model(event).issued_on)
        if opens is None or on < opens:
            raise self._refuse(
                event,
                "report_open",
                f"report {report_id} on {report.reports_on} can be sent from {opens}, not {on}",
            )
        return True

    def _is_final_round(self, event: EventData) -> bool:
        round_id = _kw(event, "award_round")
        rounds = {a.id: a for a in self.definition.spec.award_rounds}
        award = rounds.get(round_id) if isinstance(round_id, str) else None
        return award is not None and award.review == self.definition.final_review.id

    def _g_final_report(self, event: EventData) -> bool:
        report = self.definition.final_report
        if report is not None and _model(event).submission(report.id) is None:
            raise self._refuse(
                event,
                "final_report",
                f"the final report {report.id} has not been submitted ({report.wording})",
            )
        return True

    def _g_award(self, event: EventData) -> bool:
        round_id = _kw(event, "award_round")
        if not isinstance(round_id, str):
            raise self._refuse(event, "award_round", "name the award round (award_round=...)")
        try:
            award = self.definition.award_round(round_id)
        except CampaignError as exc:
            raise self._refuse(event, "award_round", exc.message) from None
        model = _model(event)
        if self.rank.get(model.state, -1) < self.rank[award.review]:
            raise self._refuse(
                event,
                "review_reached",
                f"round {round_id} is decided at review {award.review}, not in {model.state}",
            )
        if any(a.award_round == round_id for a in model.awards):
            raise self._refuse(event, "award_once", f"round {round_id} was already decided")
        on: date = event.kwargs["on"]
        if award.authority_valid_until is not None and on > award.authority_valid_until:
            raise self._refuse(
                event,
                "authority",
                f"{award.authority.en} no longer exists after {award.authority_valid_until}",
            )
        for name in ("collectives", "individuals"):
            value = event.kwargs.get(name, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise self._refuse(event, "award_count", f"{name} must be a whole number ≥ 0")
            limit = getattr(award.quota, name) if award.quota is not None else None
            if limit is not None and value > limit:
                raise self._refuse(
                    event,
                    "quota",
                    f"round {round_id} allows at most {limit} {name}, not {value}",
                )
        return True
