"""The signals a monitor's parts pass to each other: small typed classes, each with its
JSON form for the alerting rules (:meth:`message`, the plain object the generated rules
and durable-rules match, keyed ``"t"``) and its text in Vietnamese and English
(:meth:`text`, for a log or a trace).

- :class:`StatusSignal`: a target's status changed (``t: status``);
- :class:`MonthSignal`: a team-month record closed, or is in the last days of its month
  (``t: month``, ``stage``: :class:`MonthStage`), judged on a monthly target;
- :class:`ClockSignal`: a new day began (``t: clock``).

The field names and values of the JSON forms are those :mod:`~.rules` generates
conditions on; this module is the one place that writes them.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any, ClassVar

import attrs

from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor.alerts import STATUS_TEXT, TargetStatus, month_label

Message = dict[str, Any]
"""A signal's JSON form, as the alerting rules match it."""


class MonthStage(enum.Enum):
    """Whether a team-month record closed or is in the last days of its month."""

    CLOSED = "closed"
    ENDING = "ending"


@attrs.frozen
class StatusSignal:
    """A target of a unit changed status on ``on`` (``was`` is ``None`` the first time)."""

    TAG: ClassVar[str] = "status"

    unit: str
    criterion: str
    was: TargetStatus | None
    now: TargetStatus
    on: date

    def message(self) -> Message:
        """The JSON form the rules match."""
        return {
            "t": self.TAG,
            "criterion": self.criterion,
            "unit": self.unit,
            "was": self.was.value if self.was is not None else "none",
            "now": self.now.value,
            "day": self.on.toordinal(),
        }

    def text(self) -> Text:
        """``Xã A: chỉ tiêu 4.1a: Đạt → Có nguy cơ không đạt (16/12/2024)``."""
        was = STATUS_TEXT[self.was] if self.was is not None else Text("chưa đánh giá", "none")
        now = STATUS_TEXT[self.now]
        return Text(
            f"{self.unit}: chỉ tiêu {self.criterion}: {was.vi} → {now.vi} "
            f"({date_text(self.on, 'vi')})",
            f"{self.unit}: target {self.criterion}: {was.en} → {now.en} "
            f"({date_text(self.on, 'en')})",
        )


@attrs.frozen
class MonthSignal:
    """A team's record of ``month`` (its first day) for a monthly fact, judged on one
    monthly target: closed, or ending (``last_day``: the month's close)."""

    TAG: ClassVar[str] = "month"

    stage: MonthStage
    fact: str
    criterion: str
    status: CriterionStatus
    unit: str
    team: str
    month: date
    on: date
    last_day: date | None = None

    @property
    def label(self) -> str:
        """The month as saved and shown in an alert: ``2024-11``."""
        return self.month.isoformat()[:7]

    def message(self) -> Message:
        """The JSON form the rules match."""
        out: Message = {
            "t": self.TAG,
            "stage": self.stage.value,
            "fact": self.fact,
            "criterion": self.criterion,
            "status": self.status.value,
            "unit": self.unit,
            "team": self.team,
            "month": self.label,
            "day": self.on.toordinal(),
        }
        if self.last_day is not None:
            out["last_day"] = self.last_day.toordinal()
        return out

    def text(self) -> Text:
        """``Xã A: Tổ 1, tháng 11/2024, chỉ tiêu 4.7: đã kết thúc (not_met)``."""
        closed = self.stage is MonthStage.CLOSED
        vi_stage, en_stage = ("đã kết thúc", "closed") if closed else ("sắp kết thúc", "ending")
        return Text(
            f"{self.unit}: {self.team}, tháng {month_label(self.month, 'vi')}, chỉ tiêu "
            f"{self.criterion}: {vi_stage} ({self.status.value})",
            f"{self.unit}: {self.team}, {month_label(self.month, 'en')}, target "
            f"{self.criterion}: {en_stage} ({self.status.value})",
        )


@attrs.frozen
class ClockSignal:
    """A day of a phase began."""

    TAG: ClassVar[str] = "clock"

    on: date
    phase: str

    def message(self) -> Message:
        """The JSON form the rules match."""
        return {"t": self.TAG, "day": self.on.toordinal(), "phase": self.phase}

    def text(self) -> Text:
        """``Ngày 27/01/2025 (phase-1)``."""
        return Text(
            f"Ngày {date_text(self.on, 'vi')} ({self.phase})",
            f"Day {date_text(self.on, 'en')} ({self.phase})",
        )


Signal = StatusSignal | MonthSignal | ClockSignal
"""Any signal."""
