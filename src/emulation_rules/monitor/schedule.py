"""The monitor's calendar, read from the campaign plan: the phases, the calendar months
each phase touches (the first and the last may be partial), the day each month closes,
and the deadlines inside a phase that a "deadline near" alert warns of."""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from emulation_rules.campaigns.definition import CAMPAIGN, CampaignDefinition, last_day_on_time
from emulation_rules.errors import MonitorError
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text

ONE_DAY = timedelta(days=1)


def month_of(day: date) -> date:
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after ``month``."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@attrs.frozen
class Deadline:
    """A day a phase is judged by: the phase's last day, or the last day on time of a
    report due before the phase ends (an ``early`` deadline). "Deadline near" alerts are
    raised from ``warn_from`` to ``last_day``."""

    id: str
    title: Text
    last_day: date
    warn_from: date


@attrs.frozen
class PhaseWindow:
    """A phase with its dates, months and deadlines; ``near_days`` is the lead time of
    the warnings before a deadline or the end of a month."""

    id: str
    title: Text
    start: date
    end: date
    months: tuple[date, ...]
    deadlines: tuple[Deadline, ...]
    near_days: int = 7

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the phase."""
        return self.start <= day <= self.end

    def month_closes(self, month: date) -> date:
        """The last day of ``month`` that belongs to the phase."""
        return min(next_month(month) - ONE_DAY, self.end)

    def month_warn_from(self, month: date) -> date:
        """The first day a team-month still short is warned of: ``near_days`` before the
        month closes, but not before the month or the phase begins."""
        return max(self.month_closes(month) - timedelta(self.near_days), month, self.start)


@attrs.frozen
class Schedule:
    """The phases of one campaign, for one issue date (plans that start on issuance)."""

    campaign: str
    start: date
    phases: tuple[PhaseWindow, ...]

    @classmethod
    def of(
        cls, definition: CampaignDefinition, *, issued_on: date | None, near_days: int
    ) -> Schedule:
        """Read the schedule from a checked campaign definition."""
        phases: list[PhaseWindow] = []
        spec = definition.spec
        for index, phase in enumerate(spec.phases):
            start = definition.phase_start(index, issued_on)
            if start is None:
                raise MonitorError(
                    f"{definition.id} starts on its issuance: give the issue date",
                    path=("issued_on",),
                    message_vi=f"kế hoạch {definition.id} bắt đầu từ ngày ban hành: "
                    "hãy cho biết ngày ban hành",
                )
            after = phases[-1].end if phases else None
            if start > phase.end or (after is not None and start <= after):
                issued = spec.phases[index].start is None
                raise _out_of_order(definition.id, phase.id, index, start, phase.end, after, issued)
            months: list[date] = []
            month = month_of(start)
            while month <= phase.end:
                months.append(month)
                month = next_month(month)
            deadlines = [
                Deadline(phase.id, phase.title, phase.end, phase.end - timedelta(near_days))
            ]
            is_last = index == len(spec.phases) - 1
            for report in spec.reports:
                applies = report.reports_on == phase.id or (
                    report.reports_on == CAMPAIGN and is_last
                )
                last = last_day_on_time(report)
                if applies and start <= last < phase.end:
                    deadlines.append(
                        Deadline(report.id, report.title, last, last - timedelta(near_days))
                    )
            phases.append(
                PhaseWindow(
                    phase.id,
                    phase.title,
                    start,
                    phase.end,
                    tuple(months),
                    tuple(sorted(deadlines, key=lambda d: (d.last_day, d.id))),
                    near_days,
                )
            )
        return cls(definition.id, phases[0].start, tuple(phases))

    def phase_on(self, day: date) -> PhaseWindow | None:
        """The phase running on ``day``."""
        for phase in self.phases:
            if phase.contains(day):
                return phase
        return None

    def index(self, phase_id: str) -> int:
        """The position of a phase."""
        for i, phase in enumerate(self.phases):
            if phase.id == phase_id:
                return i
        raise MonitorError(
            f"{self.campaign} has no phase {phase_id!r}",
            path=("phase",),
            message_vi=f"kế hoạch {self.campaign} không có đợt {phase_id!r}",
        )


def _out_of_order(
    campaign: str,
    phase: str,
    index: int,
    start: date,
    end: date,
    after: date | None,
    issued: bool,
) -> MonitorError:
    """A phase that starts after it ends, or before the phase before it ends."""
    shown = " (the issue date)" if issued else ""
    own = start > end
    en = f"phase {phase} of {campaign} starts on {start}{shown}, " + (
        f"after it ends on {end}" if own else f"before the phase before it ends on {after}"
    )
    vi = f"đợt {phase} của kế hoạch {campaign} bắt đầu ngày {date_text(start, 'vi')}"
    vi += " (ngày ban hành)" if issued else ""
    if own:
        vi += f", sau ngày kết thúc {date_text(end, 'vi')} của chính nó"
    else:
        vi += (
            f", trước khi đợt liền trước kết thúc (ngày {date_text(after, 'vi') if after else ''})"
        )
    return MonitorError(
        en + ": a monitor needs phases in order, each ending after it starts",
        path=("phases", index),
        message_vi=vi + ": hệ thống theo dõi cần các đợt theo thứ tự, mỗi đợt kết thúc sau khi "
        "bắt đầu",
    )
