"""How a campaign's states, deadline statuses and timeline steps read to a person: a
Vietnamese text and an English one (the English is the id, as hosts and JSON know it).

A phase or review state reads as its title in the plan (``Đợt thi đua thứ hai``); the
fixed states (draft, issued …) and the kinds of step have their own words here.
"""

from __future__ import annotations

from datetime import date

from emulation_rules.campaigns.deadlines import DeadlineStatus, TimelineEntryKind
from emulation_rules.campaigns.definition import (
    AWARDING,
    CANCELLED,
    CLOSED,
    DRAFT,
    ISSUED,
    LAUNCHED,
    CampaignDefinition,
)
from emulation_rules.campaigns.spec import Reading
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text

__all__ = [
    "DEADLINE_STATUS_TEXT",
    "TIMELINE_HEADINGS",
    "TIMELINE_KIND_TEXT",
    "deadline_text",
    "state_text",
]

_FIXED_STATES = {
    DRAFT: Text("Dự thảo", DRAFT),
    ISSUED: Text("Đã ban hành", ISSUED),
    LAUNCHED: Text("Đã phát động", LAUNCHED),
    AWARDING: Text("Xét khen thưởng", AWARDING),
    CLOSED: Text("Đã kết thúc", CLOSED),
    CANCELLED: Text("Đã hủy", CANCELLED),
}

DEADLINE_STATUS_TEXT = {
    DeadlineStatus.PENDING: Text("Chưa đến hạn", DeadlineStatus.PENDING.value),
    DeadlineStatus.SUBMITTED_ON_TIME: Text(
        "Đã gửi đúng hạn", DeadlineStatus.SUBMITTED_ON_TIME.value
    ),
    DeadlineStatus.SUBMITTED_LATE: Text("Đã gửi muộn", DeadlineStatus.SUBMITTED_LATE.value),
    DeadlineStatus.OVERDUE: Text("Quá hạn, chưa gửi", DeadlineStatus.OVERDUE.value),
}
"""A report deadline's status as words (English: the status id, as before)."""

TIMELINE_KIND_TEXT = {
    TimelineEntryKind.PERIOD_START: Text("Bắt đầu phong trào", "period_start"),
    TimelineEntryKind.PERIOD_END: Text("Kết thúc phong trào", "period_end"),
    TimelineEntryKind.PHASE_START: Text("Bắt đầu đợt", "phase_start"),
    TimelineEntryKind.PHASE_END: Text("Kết thúc đợt", "phase_end"),
    TimelineEntryKind.REVIEW: Text("Sơ kết/tổng kết", "review"),
    TimelineEntryKind.REPORT_DUE: Text("Hạn gửi báo cáo", "report_due"),
    TimelineEntryKind.AUTHORITY_ENDS: Text("Cấp ban hành chấm dứt hoạt động", "authority_ends"),
}
"""What a timeline step marks, as words (English: the kind's id, as before)."""

TIMELINE_HEADINGS = {
    "vi": ("Ngày", "Mốc", "Nội dung"),
    "en": ("Date", "Event", "Id", "Title"),
}
"""The timeline table's headings: Vietnamese leaves the ids out (the title says it)."""


def state_text(definition: CampaignDefinition, state: str) -> Text:
    """A lifecycle state as words: a phase's or review's title, or a fixed state's."""
    if state in _FIXED_STATES:
        return _FIXED_STATES[state]
    for phase in definition.spec.phases:
        if phase.id == state:
            return Text(phase.title.vi, state)
    for review in definition.spec.reviews:
        if review.id == state:
            return Text(review.title.vi, state)
    return Text(state, state)


def deadline_text(reading: Reading, due: date) -> Text:
    """A report deadline in one writing: ``trước ngày 25/08/2025`` or ``đến hết ngày …``
    (the plans write the same date 25/8/2025, 25/08/2025 or 25 tháng 8 năm 2025)."""
    if reading is Reading.BEFORE:
        return Text(f"trước ngày {date_text(due, 'vi')}", f"before {date_text(due, 'en')}")
    return Text(f"đến hết ngày {date_text(due, 'vi')}", f"by {date_text(due, 'en')}")
