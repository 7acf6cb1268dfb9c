"""Helpers shared by the monitor tests: the shipped targets rule sets and campaign plans,
and a terse event builder."""

from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path
from typing import Any

import emulation_rules as er
from emulation_rules.campaigns import CampaignCatalogue, CampaignDefinition
from emulation_rules.monitor import Event, parse_event

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "events-binh-luong-phase-1.jsonl"
UNIT = "Xã Bình Lương"
T1, T2 = "Tổ bảo vệ ANTT thôn 1", "Tổ bảo vệ ANTT thôn 2"
PHASE_1_START, PHASE_1_END = date(2024, 8, 19), date(2025, 2, 3)


@functools.cache
def library() -> er.Library:
    return er.Library()


@functools.cache
def ruleset(
    rid: str = "special-campaign-targets-binh-luong", on: date = PHASE_1_START
) -> er.RuleSet:
    return library().load(rid, on=on)


@functools.cache
def campaign(cid: str = "special-campaign-binh-luong") -> CampaignDefinition:
    return CampaignCatalogue().get(cid)


def ev(
    kind: str, day: date | str, team: str | None = None, unit: str = UNIT, **payload: Any
) -> Event:
    """An event from keyword payload fields (through the JSON path)."""
    data: dict[str, Any] = {
        "kind": kind,
        "unit": unit,
        "date": day.isoformat() if isinstance(day, date) else day,
        "payload": payload,
    }
    if team is not None:
        data["team"] = team
    return parse_event(data)


def example_events() -> list[Event]:
    return [parse_event(json.loads(line)) for line in EXAMPLE.read_text("utf-8").splitlines()]


def current_hashes(data: dict[str, Any]) -> dict[str, Any]:
    """The saved state, declared for the campaign plan and the rule set as they are now:
    what is tested is the state's format, and the plan's or the rule set's text may have
    changed since it was saved (a state saved for another text is refused, as it should)."""
    data["campaign"]["sha256"] = campaign().sha256
    data["ruleset"]["sha256"] = ruleset().sha256
    return data
