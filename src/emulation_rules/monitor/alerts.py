"""What a monitor tells the commune police, and in which words (Vietnamese and English).

A target's status during a phase is one of :class:`TargetStatus`; an :class:`Alert` is
raised when a target becomes at risk or missed, when a month closes with a team-month
record failing a target, and when a deadline of the phase is near while targets are not
yet met. Every alert names the unit, the criterion it concerns and the day it was raised.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text


class TargetStatus(enum.Enum):
    """Where a target stands. During a phase, ``met`` means met so far; ``on_track`` not
    met yet, with nothing to say it will not be; ``at_risk`` not met, and the pace so far
    or the time left says it will not be (:mod:`~emulation_rules.monitor.pace`);
    ``missed`` that it can no longer be met in this phase; at the end of the phase every
    target is met, missed or unknown."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    UNKNOWN = "unknown"


STATUS_TEXT: dict[TargetStatus, Text] = {
    TargetStatus.MET: Text("Đạt", "Met"),
    TargetStatus.ON_TRACK: Text("Chưa đạt, đúng tiến độ", "Not yet met, on pace"),
    TargetStatus.AT_RISK: Text("Có nguy cơ không đạt", "At risk"),
    TargetStatus.MISSED: Text("Không đạt", "Missed"),
    TargetStatus.UNKNOWN: Text("Chưa xác định", "Unknown"),
}


class AlertKind(enum.Enum):
    """Why an alert was raised."""

    AT_RISK = "at_risk"
    MISSED = "missed"
    MONTH_CLOSED = "month_closed"
    MONTH_ENDING = "month_ending"
    DEADLINE_NEAR = "deadline_near"


KIND_TEXT: dict[AlertKind, Text] = {
    AlertKind.AT_RISK: Text("Có nguy cơ không đạt", "At risk"),
    AlertKind.MISSED: Text("Không thể đạt", "Missed"),
    AlertKind.MONTH_CLOSED: Text("Tháng không đạt", "Month failed"),
    AlertKind.MONTH_ENDING: Text("Tháng sắp kết thúc", "Month ending"),
    AlertKind.DEADLINE_NEAR: Text("Sắp đến hạn", "Deadline near"),
}
"""How an alert's kind reads in a table."""


@attrs.frozen
class Alert:
    """One alert. ``month`` (``2024-11``) and ``team`` for a month closed or about to
    close short; ``deadline`` (a phase or report id) for a deadline; ``text`` in
    Vietnamese and English."""

    kind: AlertKind
    unit: str
    on: date
    phase: str
    criterion: str
    text: Text
    team: str | None = None
    month: str | None = None
    deadline: str | None = None


def month_label(month: date, lang: str) -> str:
    """``11/2024`` in Vietnamese, ``2024-11`` in English."""
    return f"{month.month:02d}/{month.year}" if lang == "vi" else f"{month.year}-{month.month:02d}"


def date_label(day: date, lang: str) -> str:
    """``03/02/2025`` in Vietnamese, ``2025-02-03`` in English."""
    return date_text(day, lang)


def status_alert_text(
    kind: AlertKind, unit: str, criterion: str, title: Text, reason: Text, pace: Text | None = None
) -> Text:
    """The text of an at-risk or missed alert: the target, the pace (at risk: what is
    still needed, in how many days, at what rate so far) and the evaluator's reason."""
    if kind is AlertKind.AT_RISK:
        vi = f"{unit}: chỉ tiêu {criterion} ({title.vi}) có nguy cơ không đạt. "
        en = f"{unit}: target {criterion} ({title.en}) is at risk. "
        if pace is not None:
            vi, en = vi + pace.vi + " ", en + pace.en + " "
        vi, en = vi + reason.vi, en + reason.en
    else:
        vi = f"{unit}: chỉ tiêu {criterion} ({title.vi}) không thể đạt trong đợt này. "
        vi += reason.vi
        en = f"{unit}: target {criterion} ({title.en}) can no longer be met in this phase. "
        en += reason.en
    return Text(vi, en)


def days_left_text(days: int) -> Text:
    """``còn 7 ngày`` / ``in 7 days``, or today; a day already past is said so (``đã
    qua 2 ngày`` / ``2 days ago``), never as a negative count."""
    if days == 0:
        return Text("hôm nay", "today")
    if days < 0:
        return Text(f"đã qua {-days} ngày", f"{-days} day{'s' if days != -1 else ''} ago")
    return Text(f"còn {days} ngày", f"in {days} day{'s' if days != 1 else ''}")


def deadline_alert_text(
    unit: str,
    criterion: str,
    title: Text,
    status: TargetStatus,
    deadline_title: Text,
    last_day: date,
    days_left: int,
) -> Text:
    """The text of a deadline-near alert for one target not yet met."""
    state = STATUS_TEXT[status]
    when = days_left_text(days_left)
    vi = (
        f"{unit}: {deadline_title.vi} kết thúc ngày {date_label(last_day, 'vi')} ({when.vi}); "
        f"chỉ tiêu {criterion} ({title.vi}): {state.vi.lower()}."
    )
    en = (
        f"{unit}: {deadline_title.en} ends on {date_label(last_day, 'en')} ({when.en}); "
        f"target {criterion} ({title.en}): {state.en.lower()}."
    )
    return Text(vi, en)


CLOSING_DEFAULT = Text(
    "{unit}: trong tháng {month}, {team} không đạt chỉ tiêu {criterion}.",
    "{unit}: the {month} record of {team} fails target {criterion}.",
)
"""A closed month's text when the mapping gives none."""

ENDING_DEFAULT = Text(
    "{unit}: trong tháng {month}, {team} chưa đạt chỉ tiêu {criterion}; tháng kết thúc"
    " ngày {last_day} ({days}).",
    "{unit}: the {month} record of {team} does not yet meet target {criterion}; the month"
    " ends on {last_day} ({days}).",
)
"""A month about to close short, when the mapping gives no text."""


def month_alert_text(
    template: Text | None,
    unit: str,
    team: str,
    month: date,
    criterion: str,
    *,
    ends: tuple[date, int] | None = None,
) -> Text:
    """The text of a team-month that closed short, or (``ends``: the month's last day and
    the days left) is about to, from the mapping's template or a plain default."""
    if template is None:
        template = CLOSING_DEFAULT if ends is None else ENDING_DEFAULT
    texts = []
    for lang, text in (("vi", template.vi), ("en", template.en)):
        names = {"unit": unit, "team": team, "month": month_label(month, lang)}
        names["criterion"] = criterion
        if ends is not None:
            names["last_day"] = date_label(ends[0], lang)
            names["days"] = getattr(days_left_text(ends[1]), lang)
        texts.append(text.format_map(names))
    return Text(*texts)
