"""The lifecycle of a campaign as one declared table of steps (:data:`STEPS`).

Each :class:`Step` row names a trigger, its words (vi/en), the edges it has in a plan
(where from, where to, and for a calendar step the day it is due), its one guard, its one
effect (what it records) and the arguments a host gives it. Everything else is built from
the table: the ``transitions`` machine (:mod:`~emulation_rules.campaigns.lifecycle`), the
calendar (``next_step`` / ``advance``), ``available`` / ``may`` and the CLI.

A guard returns ``None`` (allowed) or a :class:`Refusal` naming itself with a reason in
Vietnamese and English; firing a refused trigger raises its
:class:`~emulation_rules.errors.TransitionRefused`. Adding a trigger is one row here and
its guard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.campaigns.definition import (
    AWARDING,
    CANCELLED,
    CLOSED,
    DRAFT,
    ISSUED,
    LAUNCHED,
    ONE_DAY,
    CampaignDefinition,
    last_day_on_time,
)
from emulation_rules.campaigns.spec import ReportSpec, ReviewKind
from emulation_rules.campaigns.state import AwardDecision, CampaignState, Submission, Transition
from emulation_rules.errors import CampaignError, TransitionRefused, vi_of
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text


@attrs.frozen
class Refusal:
    """Why a trigger may not be fired now: the guard that refuses and its reason."""

    guard: str
    reason: Text

    def refused(self, trigger: str, state: str) -> TransitionRefused:
        """The :class:`TransitionRefused` that firing the trigger raises."""
        return TransitionRefused(
            self.reason.en,
            trigger=trigger,
            guard=self.guard,
            state=state,
            message_vi=self.reason.vi,
        )


def refusal(guard: str, en: str, vi: str) -> Refusal:
    """A :class:`Refusal` by ``guard`` with its English and Vietnamese reason."""
    return Refusal(guard, Text(vi, en))


@attrs.frozen
class Edge:
    """One transition of a step in a plan: from ``source`` to ``dest`` (``None``: the
    state stays). A calendar edge is due on ``due`` (``None``: the issue date); an
    interim review's edge waits for ``report`` until ``late`` (the day after its last day
    on time)."""

    source: str
    dest: str | None
    due: date | None = None
    report: ReportSpec | None = None
    late: date = date.max
    guard_name: str = "phase_started"
    what: Text | None = None


@attrs.frozen
class Ask:
    """What a guard sees: the plan, the instance's state, the edge, the date and the
    arguments given."""

    definition: CampaignDefinition
    state: CampaignState
    edge: Edge
    on: date
    kwargs: Mapping[str, Any]


Guard = Callable[[Ask], Refusal | None]
Effect = Callable[[CampaignState, Mapping[str, Any]], str | None]
"""Records what a step changes besides the state (a submission, an award decision, the
issue date); returns the audit entry's subject."""


@attrs.frozen
class Step:
    """One row of the lifecycle table."""

    trigger: str
    label: Text
    edges: Callable[[CampaignDefinition], list[Edge]]
    guard: Guard
    effect: Effect | None = None
    calendar: bool = False
    params: tuple[str, ...] = ()
    then: Callable[[Ask], str | None] | None = None
    """A step fired right after this one, on the same date (its guard is checked first)."""


# -- edges -----------------------------------------------------------------------------
def _fixed(source: str, dest: str) -> Callable[[CampaignDefinition], list[Edge]]:
    return lambda d: [Edge(source, dest)]


def _stay(first: str, last: str) -> Callable[[CampaignDefinition], list[Edge]]:
    """In place, from ``first`` to the state before ``last`` (a state's name, or the
    first phase with ``"<phase>"``)."""

    def edges(d: CampaignDefinition) -> list[Edge]:
        states = d.states
        start = states.index(d.spec.phases[0].id if first == "<phase>" else first)
        return [Edge(s, None) for s in states[start : states.index(last)]]

    return edges


def _phase_beginnings(d: CampaignDefinition) -> list[Edge]:
    """``begin_phase``: from ``launched`` to the first phase, then from each phase with
    no review, or each interim review, to the next phase."""
    phases = d.spec.phases
    out = [Edge(LAUNCHED, phases[0].id, phases[0].start, what=phases[0].title)]
    for i, phase in enumerate(phases[:-1]):
        nxt = phases[i + 1]
        review = d.review_after(phase.id)
        if review is None:
            out.append(Edge(phase.id, nxt.id, nxt.start, guard_name="phase_ended", what=nxt.title))
        elif review.kind is ReviewKind.INTERIM:
            report = d.report(review.report) if review.report is not None else None
            late = last_day_on_time(report) + ONE_DAY if report is not None else date.max
            out.append(Edge(review.id, nxt.id, nxt.start, report, late, what=nxt.title))
    return out


def _phase_endings(d: CampaignDefinition) -> list[Edge]:
    """``end_phase``: from each phase with a review to its review."""
    out = []
    for phase in d.spec.phases:
        review = d.review_after(phase.id)
        if review is not None:
            due = phase.end + ONE_DAY
            out.append(Edge(phase.id, review.id, due, guard_name="phase_ended", what=review.title))
    return out


def _before_closed(d: CampaignDefinition) -> list[Edge]:
    return [Edge(s, CANCELLED) for s in d.states if s not in (CLOSED, CANCELLED)]


# -- guards ----------------------------------------------------------------------------
def _none(ask: Ask) -> Refusal | None:
    """No condition but the date (checked for every step)."""
    return None


def _issue(ask: Ask) -> Refusal | None:
    spec = ask.definition.spec
    first = spec.phases[0]
    if spec.period.starts_on_issuance and ask.on > first.end:
        return refusal(
            "issue_date",
            f"the plan starts on issuance, so it must be issued by the end of {first.id} "
            f"({first.end}), not {ask.on}",
            f"kế hoạch bắt đầu từ ngày ban hành nên phải ban hành trước khi hết "
            f"{first.title.vi} ({date_text(first.end, 'vi')}), không phải ngày "
            f"{date_text(ask.on, 'vi')}",
        )
    return None


def _calendar_due(ask: Ask) -> Refusal | None:
    """A calendar step: its day has come; leaving an interim review, its report is in or
    late."""
    edge, on = ask.edge, ask.on
    due = edge.due if edge.due is not None else ask.state.issued_on
    if due is None or on < due:
        when_en = str(due) if due is not None else "the issue date"
        when_vi = date_text(due, "vi") if due is not None else "ngày ban hành"
        what = edge.what or Text(edge.dest or "", edge.dest or "")
        return refusal(
            edge.guard_name,
            f"{edge.dest} begins on {when_en}, not before ({on})",
            f"{what.vi} bắt đầu từ ngày {when_vi}, chưa đến (ngày {date_text(on, 'vi')})",
        )
    report = edge.report
    if report is not None and on < edge.late and ask.state.submission(report.id) is None:
        last = edge.late - ONE_DAY
        return refusal(
            "review_done",
            f"the review waits for report {report.id} until {last} ({report.wording})",
            f"sơ kết còn chờ {report.title.vi} đến hết ngày {date_text(last, 'vi')}",
        )
    return None


def _named(ask: Ask, key: str, find: Callable[[str], Any], en: str, vi: str) -> Any:
    """What the id given as ``key`` names (via ``find``), or a :class:`Refusal`."""
    ident = ask.kwargs.get(key)
    if not isinstance(ident, str):
        return refusal(key, f"name the {en} ({key}=...)", f"chưa nêu {vi} ({key}=...)")
    try:
        return find(ident)
    except CampaignError as exc:
        return refusal(key, exc.message, vi_of(exc.message, exc.message_vi) or exc.message)


def _report(ask: Ask) -> Refusal | None:
    d, on = ask.definition, ask.on
    report = _named(ask, "report", d.report, "report", "báo cáo")
    if isinstance(report, Refusal):
        return report
    if ask.state.submission(report.id) is not None:
        return refusal(
            "report_once",
            f"report {report.id} was already submitted",
            f"{report.title.vi} đã được gửi",
        )
    opens = d.opens(report, ask.state.issued_on)
    if opens is None or on < opens:
        opens_vi = date_text(opens, "vi") if opens is not None else "khi kế hoạch được ban hành"
        return refusal(
            "report_open",
            f"report {report.id} on {report.reports_on} can be sent from {opens}, not {on}",
            f"{report.title.vi} được gửi từ ngày {opens_vi}, chưa gửi được ngày "
            f"{date_text(on, 'vi')}",
        )
    return None


def _final_report(ask: Ask) -> Refusal | None:
    report = ask.definition.final_report
    if report is not None and ask.state.submission(report.id) is None:
        return refusal(
            "final_report",
            f"the final report {report.id} has not been submitted ({report.wording})",
            f"chưa gửi báo cáo tổng kết ({report.title.vi})",
        )
    return None


def _award(ask: Ask) -> Refusal | None:
    d, on, state = ask.definition, ask.on, ask.state
    award = _named(ask, "award_round", d.award_round, "award round", "đợt khen thưởng")
    if isinstance(award, Refusal):
        return award
    rank = d.rank
    if rank.get(state.state, -1) < rank[award.review]:
        review = d.review(award.review)
        return refusal(
            "review_reached",
            f"round {award.id} is decided at review {award.review}, not in {state.state}",
            f"đợt khen thưởng {award.id} được xét khi {review.title.vi}, chưa đến lúc đó",
        )
    if any(a.award_round == award.id for a in state.awards):
        return refusal(
            "award_once",
            f"round {award.id} was already decided",
            f"đợt khen thưởng {award.id} đã được quyết định",
        )
    until = award.authority_valid_until
    if until is not None and on > until:
        return refusal(
            "authority",
            f"{award.authority.en} no longer exists after {until}",
            f"{award.authority.vi} không còn tồn tại sau ngày {date_text(until, 'vi')}",
        )
    if award.review == d.final_review.id and state.state == d.final_review.id:
        found = _final_report(ask)
        if found is not None:
            return found
    return _award_counts(ask, award)


_COUNT_VI = {"collectives": "tập thể", "individuals": "cá nhân"}


def _award_counts(ask: Ask, award: Any) -> Refusal | None:
    for name in ("collectives", "individuals"):
        value = ask.kwargs.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return refusal(
                "award_count",
                f"{name} must be a whole number ≥ 0",
                f"số {_COUNT_VI[name]} phải là số nguyên không âm",
            )
        limit = getattr(award.quota, name) if award.quota is not None else None
        if limit is not None and value > limit:
            return refusal(
                "quota",
                f"round {award.id} allows at most {limit} {name}, not {value}",
                f"đợt khen thưởng {award.id} chỉ được tối đa {limit} {_COUNT_VI[name]}, "
                f"không phải {value}",
            )
    return None


def _after_award(ask: Ask) -> str | None:
    """A round of the final review decided in the final review opens the awarding."""
    final = ask.definition.final_review.id
    if ask.state.state == final and ask.kwargs.get("award_round") in {
        a.id for a in ask.definition.spec.award_rounds if a.review == final
    }:
        return "start_awarding"
    return None


# -- effects ---------------------------------------------------------------------------
def _record_issue(state: CampaignState, kwargs: Mapping[str, Any]) -> str | None:
    state.issued_on = kwargs["on"]
    return None


def _record_report(state: CampaignState, kwargs: Mapping[str, Any]) -> str | None:
    report: str = kwargs["report"]
    by = str(kwargs.get("by") or "system")
    state.submissions.append(Submission(report, kwargs["on"], by, kwargs.get("note")))
    return report


def _record_award(state: CampaignState, kwargs: Mapping[str, Any]) -> str | None:
    round_id: str = kwargs["award_round"]
    state.awards.append(
        AwardDecision(
            round_id,
            kwargs["on"],
            str(kwargs.get("by") or "system"),
            int(kwargs.get("collectives") or 0),
            int(kwargs.get("individuals") or 0),
        )
    )
    return round_id


STEPS: tuple[Step, ...] = (
    Step("issue", Text("Ban hành kế hoạch", "Issue the plan"), _fixed(DRAFT, ISSUED), _issue,
         _record_issue),
    Step("launch", Text("Phát động thi đua", "Launch"), _fixed(ISSUED, LAUNCHED), _none),
    Step("begin_phase", Text("Bắt đầu đợt thi đua", "Begin the phase"), _phase_beginnings,
         _calendar_due, calendar=True),
    Step("end_phase", Text("Kết thúc đợt thi đua", "End the phase"), _phase_endings,
         _calendar_due, calendar=True),
    Step("submit_report", Text("Gửi báo cáo", "Submit a report"), _stay(ISSUED, CLOSED),
         _report, _record_report, params=("report",)),
    Step("decide_awards", Text("Quyết định khen thưởng", "Decide the awards"),
         _stay("<phase>", CLOSED), _award, _record_award,
         params=("award_round", "collectives", "individuals"), then=_after_award),
    Step("start_awarding", Text("Bắt đầu xét khen thưởng", "Start awarding"),
         lambda d: [Edge(d.final_review.id, AWARDING)], _final_report),
    Step("close", Text("Kết thúc phong trào", "Close the campaign"), _fixed(AWARDING, CLOSED),
         _final_report),
    Step("cancel", Text("Hủy phong trào", "Cancel the campaign"), _before_closed, _none),
)  # fmt: skip
"""The lifecycle: one row per trigger, in the order triggers are listed."""

TRIGGERS: tuple[str, ...] = tuple(s.trigger for s in STEPS)
"""Every trigger name a campaign accepts."""

CALENDAR_TRIGGERS = frozenset(s.trigger for s in STEPS if s.calendar)
"""The triggers :meth:`Campaign.advance` fires when the calendar says so."""


def audit_entry(
    state: CampaignState, trigger: str, source: str, dest: str, kwargs: Mapping[str, Any],
    subject: str | None,
) -> Transition:  # fmt: skip
    """The audit entry of a transition just made (appended by the caller)."""
    on: date = kwargs["on"]
    by = kwargs.get("by") or "system"
    recorded = kwargs.get("recorded_on")
    return Transition(
        len(state.log),
        on,
        by if by.__class__ is str else str(by),
        trigger,
        source,
        dest,
        subject,
        kwargs.get("note"),
        recorded if isinstance(recorded, date) else on,
    )
