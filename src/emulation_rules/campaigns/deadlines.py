"""Report deadlines as of a date: pending, submitted on time, submitted late, overdue;
and the campaign's timeline."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.campaigns.definition import CampaignDefinition, last_day_on_time
from emulation_rules.campaigns.state import CampaignState
from emulation_rules.campaigns.steps import STEPS
from emulation_rules.model.common import Text


class DeadlineStatus(enum.Enum):
    """Where a report stands on a date."""

    PENDING = "pending"
    SUBMITTED_ON_TIME = "submitted_on_time"
    SUBMITTED_LATE = "submitted_late"
    OVERDUE = "overdue"


@attrs.frozen
class Deadline:
    """A report deadline as of a date. ``last_day`` is the last day on time (the day
    before ``due`` for "trước ngày"); ``opens`` the first day the report may be sent."""

    report: str
    title: Text
    due: date
    wording: str
    last_day: date
    opens: date | None
    status: DeadlineStatus
    submitted_on: date | None = None


def deadlines(definition: CampaignDefinition, state: CampaignState, on: date) -> list[Deadline]:
    """Every report deadline of the plan, with its status on ``on`` (submissions after
    that date do not count yet)."""
    out = []
    for report in definition.spec.reports:
        last = last_day_on_time(report)
        sub = state.submission(report.id)
        if sub is not None and sub.on > on:
            sub = None
        if sub is not None:
            status = (
                DeadlineStatus.SUBMITTED_ON_TIME
                if sub.on <= last
                else DeadlineStatus.SUBMITTED_LATE
            )
        else:
            status = DeadlineStatus.OVERDUE if on > last else DeadlineStatus.PENDING
        out.append(
            Deadline(
                report.id,
                report.title,
                report.due,
                report.wording,
                last,
                definition.opens(report, state.issued_on),
                status,
                sub.on if sub is not None else None,
            )
        )
    return out


class TimelineEntryKind(enum.Enum):
    """What a timeline entry marks."""

    PERIOD_START = "period_start"
    PERIOD_END = "period_end"
    PHASE_START = "phase_start"
    PHASE_END = "phase_end"
    REVIEW = "review"
    REPORT_DUE = "report_due"
    AUTHORITY_ENDS = "authority_ends"


@attrs.frozen
class TimelineEntry:
    """A dated step of the plan. ``day`` is ``None`` when it depends on the issue date
    and the instance was not issued yet."""

    day: date | None
    kind: TimelineEntryKind
    ref: str
    title: Text


def timeline(definition: CampaignDefinition, issued_on: date | None) -> list[TimelineEntry]:
    """The plan's dates in order: period, phases, reviews, report deadlines (their last
    day on time) and the end of the issuing authority. A phase begins and a review opens
    on the day the table of steps' calendar edges are due (:data:`~.steps.STEPS`)."""
    spec = definition.spec
    calendar = {s.trigger: s.edges(definition) for s in STEPS if s.calendar}
    begins = {e.dest: e for e in calendar["begin_phase"]}
    reviews = {e.source: e for e in calendar["end_phase"]}
    out: list[TimelineEntry] = []
    start = definition.phase_start(0, issued_on)
    out.append(TimelineEntry(start, TimelineEntryKind.PERIOD_START, spec.id, spec.title))
    for phase in spec.phases:
        due = begins[phase.id].due
        day = due if due is not None else issued_on
        out.append(TimelineEntry(day, TimelineEntryKind.PHASE_START, phase.id, phase.title))
        out.append(TimelineEntry(phase.end, TimelineEntryKind.PHASE_END, phase.id, phase.title))
        review = reviews.get(phase.id)
        if review is not None and review.dest is not None and review.what is not None:
            kind = TimelineEntryKind.REVIEW
            out.append(TimelineEntry(review.due, kind, review.dest, review.what))
    out.append(TimelineEntry(spec.period.end, TimelineEntryKind.PERIOD_END, spec.id, spec.title))
    for report in spec.reports:
        out.append(
            TimelineEntry(
                last_day_on_time(report), TimelineEntryKind.REPORT_DUE, report.id, report.title
            )
        )
    until = spec.authority.valid_until
    if until is not None:
        out.append(
            TimelineEntry(until, TimelineEntryKind.AUTHORITY_ENDS, spec.id, spec.authority.name)
        )
    return sorted(out, key=lambda e: (e.day is not None, e.day or date.min))
