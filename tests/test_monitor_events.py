"""The event model: JSON in through the converter, every problem at once with its path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import emulation_rules.monitor as mon
from emulation_rules.errors import EmulationRulesError, EventError, EvidenceError
from emulation_rules.monitor.events import PAYLOADS, EventKind, TrainingTopic

SAMPLES: dict[str, dict[str, Any]] = {
    "tip": {"through_force": True, "note": "qua tổ thôn 1"},
    "incident": {"attended_in_time": True, "supported_in_time": False},
    "model": {
        "name": "Camera",
        "proposed_by_force": True,
        "effective": True,
        "recognised_by": "district",
    },
    "callout": {"attended_in_time": False},
    "business_violation": {"business": "Karaoke X"},
    "population_info": {"share": 93.5},
    "weapons_case": {"transport": True},
    "reoffence": {"person": "A", "crime": True, "post_rehab": False},
    "roster": {"members": 4, "village": "Thôn 1"},
    "patrol": {"members": ["a", "b"]},
    "traffic_accident": {"serious": True},
    "good_deed": {"description": "Sửa đường"},
    "commendation": {"member": "a", "by": "UBND xã"},
    "training": {"topic": "fire_rescue", "members": ["a"]},
    "typical_example": {"village": "Thôn 1", "recognised_by": "Công an huyện"},
    "member_violation": {"member": "b"},
    "propaganda_campaign": {"title": "Ngày hội"},
    "dispute": {"force_took_part": True},
}


def test_every_kind_has_a_sample() -> None:
    assert set(SAMPLES) == {k.value for k in EventKind} == {k.value for k in PAYLOADS}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_round_trip(kind: str) -> None:
    data = {
        "kind": kind,
        "unit": "Xã A",
        "date": "2024-09-02",
        "team": "Tổ 1",
        "payload": SAMPLES[kind],
    }
    event = mon.parse_event(data)
    assert event.kind is EventKind(kind) and event.date == date(2024, 9, 2)
    again = mon.parse_event(mon.event_to_data(event))
    assert again == event


def test_typed_payloads() -> None:
    e = mon.parse_event(
        {
            "kind": "population_info",
            "unit": "X",
            "date": "2024-09-02",
            "payload": {"share": Decimal("93.5")},
        }
    )
    assert e.payload.share == Decimal("93.5")  # type: ignore[union-attr]
    t = mon.parse_event(
        {
            "kind": "training",
            "unit": "X",
            "date": "2024-09-02",
            "payload": {"topic": "admin_management", "members": ["a"]},
        }
    )
    assert t.payload.topic is TrainingTopic.ADMIN_MANAGEMENT  # type: ignore[union-attr]
    assert t.field("team") is None and t.field("members") == ("a",)


def test_every_problem_at_once_with_its_path() -> None:
    data = {
        "kind": "roster",
        "unit": "",
        "date": "2024-02-30",
        "extra": 1,
        "payload": {"members": "four", "village": 3, "colour": "red"},
    }
    with pytest.raises(EventError) as info:
        mon.parse_event(data, where="events.jsonl:7")
    exc = info.value
    paths = {".".join(map(str, p.path)) for p in exc.problems}
    assert paths == {
        "extra",
        "unit",
        "date",
        "team",
        "payload.members",
        "payload.village",
        "payload.colour",
    }
    # beside EvidenceError, not under it: a host catching bad evidence does not catch events
    assert not isinstance(exc, EvidenceError)
    assert isinstance(exc, EmulationRulesError)
    assert str(exc).startswith("events.jsonl:7: ")
    assert exc.where == "events.jsonl:7"


@pytest.mark.parametrize(
    ("kind", "payload", "path", "needle"),
    [
        ("tip", {"through_force": "yes"}, "payload.through_force", "true or false"),
        ("tip", {}, "payload.through_force", "required key is missing"),
        ("patrol", {"members": "abc"}, "payload.members", "list of texts"),
        ("patrol", {"members": ["a", ""]}, "payload.members", "must not be empty"),
        ("population_info", {"share": "lots"}, "payload.share", "expected a number"),
        ("population_info", {"share": True}, "payload.share", "expected a number"),
        ("population_info", {"share": float("nan")}, "payload.share", "finite"),
        ("training", {"topic": "karate", "members": []}, "payload.topic", "fire_rescue"),
        ("nope", {}, "kind", "unknown kind 'nope'"),
    ],
)
def test_bad_payloads(kind: str, payload: dict[str, Any], path: str, needle: str) -> None:
    data = {"kind": kind, "unit": "X", "date": "2024-09-02", "payload": payload}
    with pytest.raises(EventError) as info:
        mon.parse_event(data)
    problems = {".".join(map(str, p.path)): p.message for p in info.value.problems}
    assert path in problems and needle in problems[path], problems


def test_team_required_and_negative_members() -> None:
    with pytest.raises(EventError) as info:
        mon.parse_event({"kind": "good_deed", "unit": "X", "date": "2024-09-02"})
    assert [p.path for p in info.value.problems] == [("team",)]
    with pytest.raises(EventError) as info:
        mon.parse_event(
            {
                "kind": "roster",
                "unit": "X",
                "team": "T",
                "date": "2024-09-02",
                "payload": {"members": -1},
            }
        )
    assert [p.path for p in info.value.problems] == [("payload", "members")]


def test_not_an_object() -> None:
    with pytest.raises(EventError, match="must be an object"):
        mon.parse_event(["tip"])


def test_python_built_events_are_checked_too() -> None:
    good = mon.Event(EventKind.TIP, "X", date(2024, 9, 2), PAYLOADS[EventKind.TIP](True))
    assert mon.parse_event(good) is good
    bad = mon.Event(EventKind.TIP, "X", date(2024, 9, 2), PAYLOADS[EventKind.TIP]("yes"))
    with pytest.raises(EventError) as info:
        mon.parse_event(bad)
    assert info.value.problems[0].path == ("payload", "through_force")
