"""The lifecycle of a campaign, compiled once per definition into one ``transitions``
machine that drives every instance.

States: ``draft → issued → launched → <phase> → <interim review> → … → <last phase> →
<final review> → awarding → closed``, and ``cancelled`` from any state before ``closed``.
A phase with no review goes straight on to the next phase.

The machine holds no model: each trigger runs on an instance's :class:`CampaignState`
(plain data, whose ``state`` attribute the machine reads and sets). Every transition has
exactly one ``transitions`` condition, its guard, which first checks the date (given, and
not before the instance's last event) and then what the transition needs; a guard that
fails raises :class:`TransitionRefused` naming it. Every transition has exactly one
``after`` callback, which appends the audit entry (and the submission or award decision it
records).

Everything a guard or the calendar needs from the plan (phase dates, report deadlines,
reports and award rounds by id) is looked up once, when the lifecycle is compiled: the
definition is immutable. Error messages are built only when a guard refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from transitions import Event, EventData, Machine, MachineError, State

from emulation_rules.campaigns.definition import ONE_DAY, last_day_on_time
from emulation_rules.campaigns.spec import AwardRoundSpec, ReportSpec, ReviewKind
from emulation_rules.campaigns.state import AwardDecision, CampaignState, Submission, Transition
from emulation_rules.errors import CampaignError, TransitionRefused
from emulation_rules.formatting import date_text

_T = TypeVar("_T")

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
Record = Callable[[EventData], None]

CalendarStep = tuple[str, date | None, str | None, date]
"""For a state the calendar moves on from: the trigger; the day it is due (``None``: the
issue date, for the first phase of a plan that starts on issuance); for an interim review
that waits for a report, the report and the day after its last day on time."""


def _named(
    event: EventData,
    key: str,
    what: str,
    table: Mapping[str, _T],
    find: Callable[[str], object],
) -> tuple[str, _T]:
    """The id given as ``key`` and what it names in ``table``; a refusal (guard ``key``)
    when it is missing or unknown, with ``find``'s message naming the known ids."""
    ident = event.kwargs.get(key)
    if not isinstance(ident, str):
        raise _refuse(event, key, f"name the {what} ({key}=...)")
    found = table.get(ident)
    if found is None:
        try:
            find(ident)  # raises, naming the known ids
        except CampaignError as exc:
            raise _refuse(event, key, exc.message) from None
        raise AssertionError(ident)  # pragma: no cover
    return ident, found


def _refuse(
    event: EventData, guard: str, message: str, message_vi: str | None = None
) -> TransitionRefused:
    model: CampaignState = event.model  # type: ignore[assignment]
    return TransitionRefused(
        message, trigger=event.event.name, guard=guard, state=model.state, message_vi=message_vi
    )


def _when(event: EventData) -> date:
    """The date of the event: given (``on=``) and not before the instance's last event."""
    on = event.kwargs.get("on")
    model: CampaignState = event.model  # type: ignore[assignment]
    if not isinstance(on, date):
        raise _refuse(event, "date", "give the date of the event (on=...)")
    if on < model.clock:
        raise _refuse(
            event, "chronology", f"{on} is before the campaign's last event ({model.clock})"
        )
    return on


def _date_only(event: EventData) -> bool:
    """The guard of a transition with no condition but the date (:func:`_when`)."""
    on = event.kwargs.get("on")
    model: CampaignState = event.model  # type: ignore[assignment]
    if not isinstance(on, date) or on < model.clock:
        _when(event)  # raises, naming the guard
    return True


class _State(State):
    """A ``transitions`` state named by a string, whose name is a plain attribute: the
    base class's ``name`` is a property that checks for an ``Enum`` on each of the six
    times the machine reads it per trigger."""

    name: str = ""  # shadows the property: set per instance

    def __init__(self, name: str | Enum, *args: Any, **kwargs: Any) -> None:
        super().__init__(name, *args, **kwargs)
        self.name = name.name if isinstance(name, Enum) else name


class _Machine(Machine):
    """``transitions.Machine`` with :class:`_State` states, whose ``get_state`` (five
    calls per trigger) looks a string name up directly. Nothing else differs: every
    trigger runs through the machine's events, conditions and callbacks."""

    state_cls = _State

    def get_state(self, state: str | Enum) -> State:
        if state.__class__ is str:
            found = self.states.get(state)
            if found is not None:
                return found
        return super().get_state(state)


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
        # the plan is immutable: look everything up once
        self._reports: dict[str, ReportSpec] = {r.id: r for r in spec.reports}
        self._rounds: dict[str, AwardRoundSpec] = {a.id: a for a in spec.award_rounds}
        self._final_review = definition.final_review.id
        self._final_report = definition.final_report
        self._calendar: dict[str, CalendarStep] = self._calendar_table()
        first, last = definition.dated_window()
        self._window = (first, last, spec.period.end)  # start/issue/launch end with the period
        self.transitions: list[dict[str, Any]] = self._transitions(order)
        """The transitions as given to ``transitions.Machine`` (for diagrams)."""
        self.machine: Machine = _Machine(
            model=None,
            states=list(self.states),
            transitions=self.transitions,
            initial=DRAFT,
            auto_transitions=False,
            send_event=True,
            name=definition.id,
        )
        self._events: dict[str, Event] = dict(self.machine.events)

    # -- building ----------------------------------------------------------------
    def _transitions(self, order: list[str]) -> list[dict[str, Any]]:
        d = self.definition
        spec = d.spec
        final = d.final_review

        def t(
            trigger: str, source: str | list[str], dest: str | None, guard: Guard, after: Record
        ) -> dict[str, Any]:
            return {
                "trigger": trigger,
                "source": source,
                "dest": dest,
                "conditions": [guard],
                "after": [after],
            }

        record = self._record
        out = [
            t("issue", DRAFT, ISSUED, self._g_issue, self._record_issue),
            t("launch", ISSUED, LAUNCHED, _date_only, record),
            t("begin_phase", LAUNCHED, spec.phases[0].id, self._g_begin_phase(0, None), record),
        ]
        for i, phase in enumerate(spec.phases):
            review = d.review_after(phase.id)
            if review is not None:
                out.append(t("end_phase", phase.id, review.id, self._g_phase_ended(i), record))
                if review.kind is ReviewKind.INTERIM:
                    guard = self._g_begin_phase(i + 1, review.report)
                    out.append(t("begin_phase", review.id, spec.phases[i + 1].id, guard, record))
            elif i + 1 < len(spec.phases):
                guard = self._g_phase_ended(i)
                out.append(t("begin_phase", phase.id, spec.phases[i + 1].id, guard, record))
        report_states = order[order.index(ISSUED) : order.index(CLOSED)]
        out.append(t("submit_report", report_states, None, self._g_report, self._record_report))
        award_states = order[order.index(spec.phases[0].id) : order.index(CLOSED)]
        record_award = self._record_award
        out.append(t("decide_awards", final.id, AWARDING, self._g_final_award, record_award))
        out.append(t("decide_awards", award_states, None, self._g_award, record_award))
        out.append(t("start_awarding", final.id, AWARDING, self._g_final_report, record))
        out.append(t("close", AWARDING, CLOSED, self._g_final_report, record))
        out.append(t("cancel", [s for s in order if s != CLOSED], CANCELLED, _date_only, record))
        return out

    def _calendar_table(self) -> dict[str, CalendarStep]:
        """For each state the calendar moves on from, its :data:`CalendarStep`."""
        d = self.definition
        phases = d.spec.phases
        never = date.max
        table: dict[str, CalendarStep] = {LAUNCHED: ("begin_phase", phases[0].start, None, never)}
        for i, phase in enumerate(phases):
            review = d.review_after(phase.id)
            after = phase.end + ONE_DAY
            if review is not None:
                table[phase.id] = ("end_phase", after, None, never)
                if review.kind is ReviewKind.INTERIM:
                    report_id = review.report
                    late = never
                    if report_id is not None:
                        late = last_day_on_time(d.report(report_id)) + ONE_DAY
                    table[review.id] = ("begin_phase", after, report_id, late)
            elif i + 1 < len(phases):
                table[phase.id] = ("begin_phase", after, None, never)
        return table

    def next_step(self, state: CampaignState, to: date) -> tuple[str, date] | None:
        """The calendar transition due next for an instance, up to ``to``: its trigger and
        the day it happens (never before the instance's clock); ``None`` when nothing is
        due."""
        entry = self._calendar.get(state.state)
        if entry is None:
            return None
        trigger, when, report_id, late = entry
        if when is None:  # the first phase of a plan that starts on issuance
            when = state.issued_on
            if when is None:
                return None
        elif report_id is not None:  # an interim review waits for its report
            sub = state.submission(report_id)
            ready = sub.on if sub is not None else late
            if ready > when:
                when = ready
        if when < state.clock:
            when = state.clock
        return (trigger, when) if when <= to else None

    # -- running -------------------------------------------------------------------
    def fire(self, state: CampaignState, trigger: str, **kwargs: Any) -> Transition:
        """Run ``trigger`` on an instance's state (changed in place on success); return the
        audit entry. A refusal raises :class:`TransitionRefused` and changes nothing."""
        event = self._events.get(trigger)
        if event is None:
            raise TransitionRefused(
                f"unknown trigger {trigger!r} (triggers: {', '.join(TRIGGERS)})",
                trigger=trigger,
                guard="trigger",
                state=state.state,
            )
        on = kwargs.get("on")
        if isinstance(on, date):
            refused = self.date_refused(trigger, on)
            if refused is not None:
                raise TransitionRefused(refused, trigger=trigger, guard="period", state=state.state)
        log = state.log
        before = len(log)
        try:
            done = event.trigger(state, **kwargs)
        except MachineError:
            done = False
        if not done or len(log) == before:
            raise self._not_possible(trigger, state)
        return log[-1]

    def date_refused(self, operation: str, on: date) -> str | None:
        """Why ``operation`` (``start`` or a trigger) may not be dated ``on`` (``None``:
        it may); see :meth:`CampaignDefinition.check_date`."""
        first, last, period_end = self._window
        if first <= on <= (period_end if operation in ("start", "issue", "launch") else last):
            return None
        return self.definition.check_date(on, operation)

    def advance(self, state: CampaignState, to: date, by: str) -> list[Transition]:
        """Fire every calendar transition due up to ``to`` (see :meth:`next_step`) through
        the machine; return their audit entries."""
        done: list[Transition] = []
        log = state.log
        calendar = self._calendar
        events = self._events
        while (entry := calendar.get(state.state)) is not None:
            # next_step, inlined (this loop runs once per calendar transition)
            trigger, when, report_id, late = entry
            if when is None:
                when = state.issued_on
                if when is None:
                    break
            elif report_id is not None:
                sub = state.submission(report_id)
                ready = sub.on if sub is not None else late
                if ready > when:
                    when = ready
            if when < state.clock:
                when = state.clock
            if when > to:
                break
            before = len(log)
            try:
                ok = events[trigger].trigger(state, on=when, by=by)
            except MachineError:
                ok = False
            if not ok or len(log) == before:
                raise self._not_possible(trigger, state)
            done.append(log[-1])
        return done

    def allowed(self, state: str) -> list[str]:
        """The triggers that have a transition from ``state`` (their guards may still
        refuse)."""
        return [t for t in TRIGGERS if self._events[t].transitions.get(state)]

    @staticmethod
    def _not_possible(trigger: str, state: CampaignState) -> TransitionRefused:
        return TransitionRefused(
            f"{trigger} is not possible in state {state.state}",
            trigger=trigger,
            guard="state",
            state=state.state,
        )

    # -- audit (each transition's one ``after`` callback) ------------------------------
    def _record(self, event: EventData, subject: str | None = None) -> None:
        model: CampaignState = event.model  # type: ignore[assignment]
        kwargs = event.kwargs
        on: date = kwargs["on"]
        transition = event.transition
        assert transition is not None
        source: str = transition.source
        by = kwargs.get("by") or "system"
        if by.__class__ is not str:
            by = str(by)
        log = model.log
        log.append(
            Transition(
                len(log),
                on,
                by,
                event.event.name,
                source,
                transition.dest or source,
                subject,
                kwargs.get("note"),
            )
        )
        model.clock = on
        model.revision += 1

    def _record_issue(self, event: EventData) -> None:
        model: CampaignState = event.model  # type: ignore[assignment]
        model.issued_on = event.kwargs["on"]
        self._record(event)

    def _record_report(self, event: EventData) -> None:
        model: CampaignState = event.model  # type: ignore[assignment]
        kwargs = event.kwargs
        report: str = kwargs["report"]
        by = str(kwargs.get("by") or "system")
        model.submissions.append(Submission(report, kwargs["on"], by, kwargs.get("note")))
        self._record(event, report)

    def _record_award(self, event: EventData) -> None:
        model: CampaignState = event.model  # type: ignore[assignment]
        kwargs = event.kwargs
        round_id: str = kwargs["award_round"]
        model.awards.append(
            AwardDecision(
                round_id,
                kwargs["on"],
                str(kwargs.get("by") or "system"),
                int(kwargs.get("collectives") or 0),
                int(kwargs.get("individuals") or 0),
            )
        )
        self._record(event, round_id)

    # -- guards (each transition's one condition) ---------------------------------------
    def _g_issue(self, event: EventData) -> bool:
        on = _when(event)
        spec = self.definition.spec
        first = spec.phases[0]
        if spec.period.starts_on_issuance and on > first.end:
            raise _refuse(
                event,
                "issue_date",
                f"the plan starts on issuance, so it must be issued by the end of "
                f"{first.id} ({first.end}), not {on}",
            )
        return True

    def _g_begin_phase(self, index: int, report_id: str | None) -> Guard:
        """Phase ``index`` has started; leaving an interim review, its report is in or
        late."""
        phase = self.definition.spec.phases[index]
        fixed_start = phase.start
        report = self.definition.report(report_id) if report_id is not None else None
        last = last_day_on_time(report) if report is not None else date.min

        def guard(event: EventData) -> bool:
            on = _when(event)
            model: CampaignState = event.model  # type: ignore[assignment]
            start = fixed_start if fixed_start is not None else model.issued_on
            if start is None or on < start:
                raise _refuse(
                    event, "phase_started", f"{phase.id} starts on {start}, not before ({on})"
                )
            if report is not None and on <= last and model.submission(report.id) is None:
                raise _refuse(
                    event,
                    "review_done",
                    f"the review waits for report {report.id} until {last} ({report.wording})",
                )
            return True

        return guard

    def _g_phase_ended(self, index: int) -> Guard:
        phase = self.definition.spec.phases[index]
        end = phase.end

        def guard(event: EventData) -> bool:
            on = _when(event)
            if on <= end:
                raise _refuse(
                    event,
                    "phase_ended",
                    f"{phase.id} runs until {end}: no review before it has ended ({on})",
                )
            return True

        return guard

    def _g_report(self, event: EventData) -> bool:
        on = _when(event)
        report_id, report = _named(event, "report", "report", self._reports, self.definition.report)
        model: CampaignState = event.model  # type: ignore[assignment]
        if model.submission(report_id) is not None:
            raise _refuse(event, "report_once", f"report {report_id} was already submitted")
        opens = self.definition.opens(report, model.issued_on)
        if opens is None or on < opens:
            raise _refuse(
                event,
                "report_open",
                f"report {report_id} on {report.reports_on} can be sent from {opens}, not {on}",
            )
        return True

    def _check_final_report(self, event: EventData) -> None:
        report = self._final_report
        model: CampaignState = event.model  # type: ignore[assignment]
        if report is not None and model.submission(report.id) is None:
            raise _refuse(
                event,
                "final_report",
                f"the final report {report.id} has not been submitted ({report.wording})",
            )

    def _g_final_report(self, event: EventData) -> bool:
        _when(event)
        self._check_final_report(event)
        return True

    def _g_final_award(self, event: EventData) -> bool:
        """``decide_awards`` from the final review moves on to ``awarding`` when the round
        is one of the final review's (else the award is decided in place)."""
        _when(event)
        round_id = event.kwargs.get("award_round")
        award = self._rounds.get(round_id) if isinstance(round_id, str) else None
        if award is None or award.review != self._final_review:
            return False
        self._check_final_report(event)
        return self._g_award(event)

    def _g_award(self, event: EventData) -> bool:
        on = _when(event)
        kwargs = event.kwargs
        round_id, award = _named(
            event, "award_round", "award round", self._rounds, self.definition.award_round
        )
        model: CampaignState = event.model  # type: ignore[assignment]
        if self.rank.get(model.state, -1) < self.rank[award.review]:
            raise _refuse(
                event,
                "review_reached",
                f"round {round_id} is decided at review {award.review}, not in {model.state}",
            )
        if any(a.award_round == round_id for a in model.awards):
            raise _refuse(event, "award_once", f"round {round_id} was already decided")
        if award.authority_valid_until is not None and on > award.authority_valid_until:
            raise _refuse(
                event,
                "authority",
                f"{award.authority.en} no longer exists after {award.authority_valid_until}",
                f"{award.authority.vi} không còn tồn tại sau ngày "
                f"{date_text(award.authority_valid_until, 'vi')}",
            )
        for name in ("collectives", "individuals"):
            value = kwargs.get(name, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise _refuse(event, "award_count", f"{name} must be a whole number ≥ 0")
            limit = getattr(award.quota, name) if award.quota is not None else None
            if limit is not None and value > limit:
                raise _refuse(
                    event,
                    "quota",
                    f"round {round_id} allows at most {limit} {name}, not {value}",
                )
        return True
