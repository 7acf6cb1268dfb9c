"""The monitor's calendar: where a date falls (which phase, which months closed), the
clock moved day by day, and what each day's start and end bring — the months that
close, the phase that ends, the deadline days, the days the pace is judged again."""

from __future__ import annotations

from datetime import date

from emulation_rules.errors import Bilingual, EventError, PathPart, Problem
from emulation_rules.formatting import date_text
from emulation_rules.monitor.alerts import TargetStatus
from emulation_rules.monitor.core import MonitorCore
from emulation_rules.monitor.judging import close_month, close_phase, judge_dirty
from emulation_rules.monitor.schedule import ONE_DAY, PhaseWindow, month_of
from emulation_rules.monitor.signalling import signal
from emulation_rules.monitor.signals import ClockSignal


def no_phase(core: MonitorCore, day: date) -> Bilingual:
    """``2023-01-01 is in no phase of …``, in English and Vietnamese."""
    campaign = core.definition.id
    return Bilingual(
        f"{day} is in no phase of {campaign}",
        f"ngày {date_text(day, 'vi')} không thuộc đợt nào của kế hoạch {campaign}",
    )


def calendar_on(core: MonitorCore, day: date, where: str | None) -> tuple[int | None, date | None]:
    """The phase (its index) and the last day of the months closed in it, once the clock
    has moved on to ``day`` — worked out without moving it."""
    if core.s.clock is None:
        phase = core.schedule.phase_on(day)
        if phase is None:
            raise EventError([Problem(("date",), no_phase(core, day))], where=where)
        index: int | None = core.schedule.index(phase.id)
        closed, today = None, phase.start
    else:
        index, closed, today = core.s.phase_index, core.s.closed_until, core.s.clock
    phases = core.schedule.phases
    while today < day and index is not None:
        window = phases[index]
        if any(window.month_closes(m) == today for m in window.months):
            closed = today
        if today == window.end:
            index = index + 1 if index + 1 < len(phases) else None
            closed = None
        today += ONE_DAY
    return index, closed


def check_date(
    core: MonitorCore, day: date, where: str | None
) -> tuple[int | None, PhaseWindow, date | None]:
    """Where an event of ``day`` falls (phase index, phase, months closed), or an
    :class:`EventError` naming ``date``: no phase, a phase or a month already closed."""
    index, closed = calendar_on(core, day, where)
    phase = core.schedule.phases[index] if index is not None else None
    if phase is None or day < phase.start:
        raise EventError([Problem(("date",), _closed_phase(core, day, phase))], where=where)
    if closed is not None and day <= closed:
        message = Bilingual(
            f"the month of {day} closed on {closed}: an event of a closed month can no "
            "longer change what was judged",
            f"tháng {day.month:02d}/{day.year} đã chốt số liệu ngày {date_text(closed, 'vi')}: "
            "sự kiện của tháng đã chốt không được ghi nhận, kết quả đã đánh giá giữ nguyên",
        )
        raise EventError([Problem(("date",), message)], where=where)
    return index, phase, closed


def _closed_phase(core: MonitorCore, day: date, phase: PhaseWindow | None) -> Bilingual:
    if core.schedule.phase_on(day) is None:
        return no_phase(core, day)
    now_en = f"phase {phase.id}" if phase is not None else "after the last phase"
    now_vi = f"đợt {phase.id}" if phase is not None else "sau đợt cuối cùng"
    return Bilingual(
        f"{day} belongs to a phase already closed (the monitor is in {now_en})",
        f"ngày {date_text(day, 'vi')} thuộc một đợt đã kết thúc "
        f"(hệ thống theo dõi đang ở {now_vi})",
    )


def start_clock(
    core: MonitorCore, day: date, path: tuple[PathPart, ...], where: str | None
) -> None:
    """Start the clock on the first day of the phase of ``day``."""
    phase = core.schedule.phase_on(day)
    if phase is None:
        raise EventError([Problem(path, no_phase(core, day))], where=where)
    core.s.phase_index = core.schedule.index(phase.id)
    core.s.clock = phase.start
    core.s.closed_until = None
    _start_of_day(core)


def move_to(core: MonitorCore, day: date) -> None:
    """Move the clock on to ``day``, ending and starting each day between."""
    while core.today() < day:
        if core.phase is None:  # after the last phase: nothing happens any more
            core.s.clock = day
            return
        _end_of_day(core)
        core.s.clock = core.today() + ONE_DAY
        _start_of_day(core)


def _end_of_day(core: MonitorCore) -> None:
    phase = core.phase
    if phase is None:
        return
    today = core.today()
    judge_dirty(core)
    for month in phase.months:
        if phase.month_closes(month) == today:
            close_month(core, phase, month)
    if today == phase.end:
        close_phase(core, phase)


def _start_of_day(core: MonitorCore) -> None:
    phase = core.phase
    if phase is None:
        return
    today = core.today()
    if core.plan.monthly and today == phase.month_warn_from(month_of(today)):
        core.s.dirty.update(core.s.units)  # the last days of a month: judge its teams
    if today >= core.judge.pace.pace_from(phase):  # the pace changes day by day
        core.s.dirty.update(
            u
            for u, statuses in core.s.statuses.items()
            if TargetStatus.ON_TRACK in statuses.values()
        )
    if any(d.warn_from <= today <= d.last_day for d in phase.deadlines):
        signal(core, [ClockSignal(today, phase.id)], phase)
