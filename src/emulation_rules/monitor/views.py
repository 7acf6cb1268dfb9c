"""What a monitor shows of a unit: its targets with their status and reason, its facts,
and its teams' running counts (plain attrs data, JSON through the library's converter)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from emulation_rules.model.common import Text
from emulation_rules.monitor.alerts import TargetStatus
from emulation_rules.monitor.indicators import Plan

MONTHLY_PENDING = Text(
    "Chưa xác định: xét theo từng tháng khi tháng kết thúc; các tháng đã kết thúc đều đạt.",
    "Unknown: judged month by month as the months close; every month closed so far meets it.",
)
"""The reason of a monthly target that no closed month has failed yet."""


@attrs.frozen
class TargetIndicator:
    """One target of one unit: its status and why."""

    criterion: str
    title: Text
    status: TargetStatus
    reason: Text


@attrs.frozen
class TeamIndicators:
    """One team's running indicators in the phase: its events by kind, and its monthly
    records (``"2024-11"`` → field → count; ``None`` where a count is unknown)."""

    team: str
    events: dict[str, int]
    months: dict[str, dict[str, int | None]]


@attrs.frozen
class UnitIndicators:
    """A unit's indicators in a phase: its targets, its facts (the evidence the
    evaluator reads) and its teams. ``final`` once the phase has ended."""

    unit: str
    phase: str
    on: date
    final: bool
    targets: tuple[TargetIndicator, ...]
    facts: dict[str, Any]
    teams: tuple[TeamIndicators, ...]


def team_indicators(plan: Plan, state: dict[str, Any] | None) -> tuple[TeamIndicators, ...]:
    """The teams of a unit's state, with their events by kind and their monthly counts."""
    if state is None:
        return ()
    months: dict[str, dict[str, dict[str, int | None]]] = {}
    for monthly in plan.monthly:
        counts = state["facts"][monthly.name]["counts"]
        for team, periods in counts.items():
            for period, fields in periods.items():
                cell = months.setdefault(team, {}).setdefault(period[:7], {})
                for name, (n, unknown) in fields.items():
                    cell[name] = None if unknown else n
    teams = sorted(set(state["teams"]) | set(months))
    return tuple(
        TeamIndicators(t, dict(state["teams"].get(t, {})), months.get(t, {})) for t in teams
    )
