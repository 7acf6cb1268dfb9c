"""Every error the monitor raises reads in Vietnamese too: bad events (each problem),
refused events, a monitor that cannot be built, a saved state damaged, a bad mapping."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from emulation_rules.errors import EmulationRulesError, EventError, MonitorError
from emulation_rules.monitor import Monitor, parse_event, parse_mapping
from emulation_rules.monitor.schedule import Schedule
from monitor_support import (
    PHASE_1_START,
    UNIT,
    campaign,
    current_hashes,
    ev,
    example_events,
    ruleset,
)

SAVED = Path(__file__).parent / "data" / "monitor-state-v2.json"

BAD_EVENTS: list[dict[str, Any]] = [
    {"kind": "tip", "unit": UNIT, "date": "2024-09-01", "payload": {"through_force": "có"}},
    {"kind": "tip", "unit": UNIT, "date": "2024-09-01", "payload": {"zzz": 1}},
    {
        "kind": "roster",
        "unit": UNIT,
        "date": "2024-09-01",
        "team": "T",
        "payload": {"members": "a"},
    },
    {"kind": "roster", "unit": UNIT, "date": "2024-09-01", "team": "T", "payload": {}},
    {"kind": "roster", "unit": UNIT, "date": "2024-09-01", "payload": {"members": 4}},
    {
        "kind": "training",
        "unit": UNIT,
        "date": "2024-09-01",
        "payload": {"topic": "nope", "members": [1]},
    },
    {"kind": "incident", "unit": UNIT, "date": "2024-09-01", "payload": []},
    {"kind": "nope", "unit": "", "date": "01/09/2024", "team": 5, "extra": 1},
    [],
]


def _all_vietnamese(exc: EmulationRulesError) -> None:
    problems = getattr(exc, "problems", None)
    if problems:
        for problem in problems:
            assert problem.message_vi is not None, problem
    else:
        assert exc.message_vi is not None, exc
    assert exc.translated, exc.text_in("en")
    assert exc.text_in("vi") != exc.text_in("en")


@pytest.mark.parametrize("data", BAD_EVENTS, ids=range(len(BAD_EVENTS)))
def test_every_problem_of_a_bad_event_reads_in_vietnamese(data: Any) -> None:
    with pytest.raises(EventError) as caught:
        parse_event(data)
    _all_vietnamese(caught.value)


def test_events_the_monitor_refuses_read_in_vietnamese() -> None:
    m = Monitor(campaign(), ruleset(), engine="python")
    with pytest.raises(EventError) as caught:
        m.ingest(ev("tip", "2023-01-01", through_force=True))  # in no phase
    _all_vietnamese(caught.value)
    assert "01/01/2023" in caught.value.text_in("vi")
    m.ingest_many([e for e in example_events() if e.date <= date(2024, 10, 2)])
    with pytest.raises(EventError) as caught:
        m.ingest(ev("tip", "2024-09-02", through_force=True))  # September closed
    _all_vietnamese(caught.value)
    assert "đã chốt số liệu ngày 30/09/2024" in caught.value.text_in("vi")
    with pytest.raises(EventError) as caught:
        m.ingest(ev("roster", "2024-10-03", "T", members=10**15, village="Thôn 9"))  # out of range
    _all_vietnamese(caught.value)
    assert "sẽ ra ngoài phạm vi cho phép" in caught.value.text_in("vi")
    m.advance(date(2025, 2, 10))
    with pytest.raises(EventError) as caught:
        m.ingest(ev("tip", "2025-01-10", through_force=True))  # phase 1 ended
    _all_vietnamese(caught.value)
    assert "thuộc một đợt đã kết thúc" in caught.value.text_in("vi")


def _started() -> Monitor:
    m = Monitor(campaign(), ruleset(), engine="python")
    m.ingest(ev("tip", "2024-09-01", through_force=True))
    return m


def test_a_monitor_that_cannot_be_built_says_why_in_vietnamese() -> None:
    errors: list[EmulationRulesError] = []
    for build in (
        lambda: Monitor(campaign(), ruleset(), engine="nope"),
        lambda: Monitor(campaign(), ruleset("typical-commune", PHASE_1_START)),
        lambda: Monitor(campaign(), ruleset(), engine="python").advance(date(2023, 1, 1)),
        lambda: Monitor(campaign(), ruleset(), engine="python").evidence(UNIT),
        lambda: _started().indicators("Xã Không Có"),
        lambda: Schedule.of(campaign(), issued_on=None, near_days=7).index("phase-9"),
        lambda: Monitor.restore({"format": 1}, campaign(), ruleset()),
    ):
        with pytest.raises(EmulationRulesError) as caught:
            build()
        errors.append(caught.value)
    for error in errors:
        _all_vietnamese(error)


def _tampered(change: Any) -> dict[str, Any]:
    data: dict[str, Any] = current_hashes(copy.deepcopy(json.loads(SAVED.read_text("utf-8"))))
    change(data)
    return data


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["state"].update(clock="2030-01-01"),
        lambda d: d["state"].update(phase_index=7),
        lambda d: d["state"].update(phase_seq=10**6),
        lambda d: d["state"]["statuses"][UNIT].update({"9.9": "met"}),
        lambda d: d["state"]["statuses"][UNIT].update({"4.1a": "great"}),
        lambda d: d["state"]["alerts"][0].update(criterion="9.9"),
        lambda d: d["state"].update(closed_until="2024-10-05"),
        lambda d: d["ruleset"].update(sha256="0" * 64),
        lambda d: d["state"]["units"][UNIT].update(facts={}),
    ],
    ids=range(9),
)
def test_a_damaged_state_reads_in_vietnamese(change: Any) -> None:
    with pytest.raises(MonitorError) as caught:
        Monitor.restore(_tampered(change), campaign(), ruleset(), engine="python")
    _all_vietnamese(caught.value)


def test_a_bad_mapping_reads_in_vietnamese() -> None:
    text = "\n".join(
        [
            "id: bad",
            "title: {vi: Sai, en: Bad}",
            "rulesets: [special-campaign-targets-binh-luong]",
            "phase_start: phase_start",
            "phase_end: phase_end",
            "deadline_near_days: 7",
            "facts:",
            "  tips_total: {aggregate: count, kind: nope}",
        ]
    )
    with pytest.raises(EmulationRulesError) as caught:
        parse_mapping(text, "bad.yaml")
    _all_vietnamese(caught.value)
    assert "loại sự kiện 'nope' không xác định" in caught.value.text_in("vi")
