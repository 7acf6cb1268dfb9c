"""The lifecycle of a campaign, compiled once per definition from the table of steps
(:data:`~emulation_rules.campaigns.steps.STEPS`) into one ``transitions`` machine that
drives every instance.

States (worked out once, :attr:`CampaignDefinition.states`): ``draft → issued → launched
→ <phase> → <interim review> → … → <last phase> → <final review> → awarding → closed``, and
``cancelled`` from any state before ``closed``.

The machine holds no model: each trigger runs on an instance's :class:`CampaignState`
(plain data, whose ``state`` attribute the machine reads and sets). Before a trigger is
fired, :meth:`Lifecycle.check` runs the date checks and the step's one guard; a refusal
raises :class:`TransitionRefused` naming the guard and changes nothing. Each transition's
one ``after`` callback runs the step's effect and appends the audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

import attrs
from transitions import Event, EventData, Machine, State

from emulation_rules.campaigns.definition import DRAFT, CampaignDefinition
from emulation_rules.campaigns.state import CampaignState, Transition
from emulation_rules.campaigns.steps import (
    CALENDAR_TRIGGERS,
    STEPS,
    TRIGGERS,
    Ask,
    Edge,
    Refusal,
    Step,
    audit_entry,
    refusal,
)
from emulation_rules.campaigns.wording import state_text
from emulation_rules.errors import Bilingual
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text

__all__ = ["CALENDAR_TRIGGERS", "TRIGGERS", "Lifecycle", "Permission", "lifecycle_of"]


@attrs.frozen
class Permission:
    """Whether a trigger may be fired now: ``allowed``, or the :class:`Refusal` (guard
    and vi/en reason). ``choices`` lists the reports or award rounds it may be fired for
    (for ``submit_report`` and ``decide_awards``)."""

    trigger: str
    label: Text
    refusal: Refusal | None = None
    choices: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        """Whether the trigger may be fired."""
        return self.refusal is None

    @property
    def guard(self) -> str | None:
        """The refusing guard's name (``None`` when allowed)."""
        return self.refusal.guard if self.refusal is not None else None

    def reason(self, lang: str = "vi") -> str:
        """The refusal's reason in ``lang`` (empty when allowed)."""
        return self.refusal.reason.get(lang) if self.refusal is not None else ""


def lifecycle_of(definition: CampaignDefinition) -> Lifecycle:
    """The definition's compiled lifecycle (compiled on first use, then kept with the
    definition)."""
    found = definition.memo.get("lifecycle")
    if isinstance(found, Lifecycle):
        return found
    made = Lifecycle(definition)
    definition.memo["lifecycle"] = made
    return made


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
    """The compiled lifecycle of one definition: its states in order, its edges (from the
    table of steps), and the one ``transitions.Machine`` that runs them on any number of
    instances."""

    def __init__(self, definition: CampaignDefinition) -> None:
        self.definition = definition
        self.states: tuple[str, ...] = definition.states
        """Every state, in lifecycle order (``cancelled`` last)."""
        self.rank = definition.rank
        self.steps: dict[str, Step] = {s.trigger: s for s in STEPS}
        self.edges: dict[tuple[str, str], Edge] = {}
        """Each (trigger, source state)'s one edge."""
        self.transitions: list[dict[str, Any]] = []
        """The transitions as given to ``transitions.Machine`` (for diagrams)."""
        for step in STEPS:
            after = self._after(step)
            for edge in step.edges(definition):
                key = (step.trigger, edge.source)
                assert key not in self.edges, key  # one edge per trigger and state
                self.edges[key] = edge
                self.transitions.append(
                    {
                        "trigger": step.trigger,
                        "source": edge.source,
                        "dest": edge.dest,
                        "after": [after],
                    }
                )
        self._calendar: dict[str, tuple[str, Edge]] = {
            source: (trigger, edge)
            for (trigger, source), edge in self.edges.items()
            if trigger in CALENDAR_TRIGGERS
        }
        first, last = definition.dated_window()
        self._window = (first, last, definition.spec.period.end)
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

    # -- guards ----------------------------------------------------------------------
    def check(
        self, state: CampaignState, trigger: str, kwargs: Mapping[str, Any]
    ) -> Refusal | None:
        """Why ``trigger`` with ``kwargs`` (``on=`` its date, and its arguments) may not be
        fired on an instance now (``None``: it may). Nothing is changed."""
        step = self.steps.get(trigger)
        if step is None:
            return refusal(
                "trigger",
                f"unknown trigger {trigger!r} (triggers: {', '.join(TRIGGERS)})",
                f"không có thao tác {trigger!r} (các thao tác: {', '.join(TRIGGERS)})",
            )
        on = kwargs.get("on")
        if not isinstance(on, date):
            return refusal("date", "give the date of the event (on=...)", "chưa nêu ngày (on=...)")
        refused = self.date_refused(trigger, on)
        if refused is not None:
            return refusal("period", str(refused), getattr(refused, "vi", str(refused)))
        edge = self.edges.get((trigger, state.state))
        if edge is None:
            return refusal(
                "state",
                f"{trigger} is not possible in state {state.state}",
                f"không thể {step.label.vi.lower()} khi đang ở trạng thái "
                f"“{state_text(self.definition, state.state).vi}”",
            )
        if on < state.clock:
            return refusal(
                "chronology",
                f"{on} is before the campaign's last event ({state.clock})",
                f"ngày {date_text(on, 'vi')} trước sự kiện gần nhất của phong trào "
                f"({date_text(state.clock, 'vi')})",
            )
        return step.guard(Ask(self.definition, state, edge, on, kwargs))

    def permission(self, state: CampaignState, trigger: str, on: date) -> Permission:
        """Whether ``trigger`` may be fired ``on`` a date; for a step that names a report
        or an award round, whether any may (those that may are its ``choices``)."""
        step = self.steps[trigger]
        if not step.params:
            return Permission(trigger, step.label, self.check(state, trigger, {"on": on}))
        key = step.params[0]
        d = self.definition
        ids = (
            [r.id for r in d.spec.reports]
            if key == "report"
            else [a.id for a in d.spec.award_rounds]
        )
        refusals = []
        choices = []
        for ident in ids:
            found = self.check(state, trigger, {"on": on, key: ident})
            if found is None:
                choices.append(ident)
            else:
                refusals.append(found)
        if choices:
            return Permission(trigger, step.label, None, tuple(choices))
        return Permission(trigger, step.label, _most_telling(refusals, trigger))

    def date_refused(self, operation: str, on: date) -> Bilingual | None:
        """Why ``operation`` (``start`` or a trigger) may not be dated ``on`` (``None``:
        it may); see :meth:`CampaignDefinition.check_date`."""
        first, last, period_end = self._window
        if first <= on <= (period_end if operation in ("start", "issue", "launch") else last):
            return None
        return self.definition.check_date(on, operation)

    # -- running -------------------------------------------------------------------
    def fire(self, state: CampaignState, trigger: str, **kwargs: Any) -> Transition:
        """Run ``trigger`` on an instance's state (changed in place on success); return the
        audit entry. A refusal raises :class:`TransitionRefused` and changes nothing.

        A calendar trigger fired by hand takes effect on the calendar's day (it is
        recorded on the day given)."""
        if trigger in CALENDAR_TRIGGERS and "recorded_on" not in kwargs:
            kwargs = self._effective(state, trigger, kwargs)
        found = self.check(state, trigger, kwargs)
        if found is not None:
            raise found.refused(trigger, state.state)
        step = self.steps[trigger]
        follow = None
        if step.then is not None:
            edge = self.edges[(trigger, state.state)]
            follow = step.then(Ask(self.definition, state, edge, kwargs["on"], kwargs))
        self._events[trigger].trigger(state, **kwargs)
        entry = state.log[-1]
        if follow is not None:
            self.fire(state, follow, **{k: v for k, v in kwargs.items() if k in _COMMON})
        return entry

    def _effective(
        self, state: CampaignState, trigger: str, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        """``kwargs`` dated on the calendar's day of ``trigger`` (when it is due by the
        date given), recorded on the date given."""
        on = kwargs.get("on")
        due = self.next_step(state, on) if isinstance(on, date) else None
        if due is None or due[0] != trigger:
            return kwargs
        return {**kwargs, "on": due[1], "recorded_on": on}

    def next_step(self, state: CampaignState, to: date) -> tuple[str, date] | None:
        """The calendar transition due next for an instance, up to ``to``: its trigger and
        the day it takes effect (never before the instance's clock); ``None`` when nothing
        is due."""
        found = self._calendar.get(state.state)
        if found is None:
            return None
        trigger, edge = found
        when = edge.due if edge.due is not None else state.issued_on
        if when is None:  # the first phase of a plan that starts on issuance, not issued
            return None
        if edge.report is not None:  # an interim review waits for its report
            sub = state.submission(edge.report.id)
            ready = sub.on if sub is not None else edge.late
            when = max(when, ready)
        when = max(when, state.clock)
        return (trigger, when) if when <= to else None

    def advance(self, state: CampaignState, to: date, by: str) -> list[Transition]:
        """Fire every calendar transition due up to ``to`` (see :meth:`next_step`), each
        dated on the day it takes effect and recorded on ``to``; return the audit
        entries."""
        done: list[Transition] = []
        while (step := self.next_step(state, to)) is not None:
            trigger, when = step
            done.append(self.fire(state, trigger, on=when, by=by, recorded_on=to))
        return done

    def allowed(self, state: str) -> list[str]:
        """The triggers that have a transition from ``state`` (their guards may still
        refuse: see :meth:`permission`)."""
        return [t for t in TRIGGERS if (t, state) in self.edges]

    # -- audit (each transition's one ``after`` callback) ------------------------------
    @staticmethod
    def _after(step: Step) -> Any:
        effect = step.effect

        def after(event: EventData) -> None:
            model: CampaignState = event.model  # type: ignore[assignment]
            kwargs = event.kwargs
            transition = event.transition
            assert transition is not None
            subject = effect(model, kwargs) if effect is not None else None
            source: str = transition.source
            entry = audit_entry(
                model, step.trigger, source, transition.dest or source, kwargs, subject
            )
            model.log.append(entry)
            model.clock = kwargs["on"]
            model.revision += 1

        return after


_COMMON = ("on", "by", "note", "recorded_on")


def _most_telling(refusals: list[Refusal], trigger: str) -> Refusal:
    """Of the refusals of every report (award round), one that says why none may be
    fired: the first that is not "already done", or "all done"."""
    for found in refusals:
        if found.guard not in ("report_once", "award_once"):
            return found
    if refusals:
        guard = refusals[0].guard
        if guard == "report_once":
            return refusal(guard, "every report was submitted", "đã gửi đủ các báo cáo")
        return refusal(
            guard, "every award round was decided", "đã quyết định hết các đợt khen thưởng"
        )
    return refusal(trigger, "the plan sets none", "kế hoạch không quy định")
