"""Typed monitor signals and their JSON forms, one handler per alert kind, the saved keys
in one module (a state saved before they moved there still reads), and the engine hook
out of the public constructor."""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor import AlertKind, Monitor, PythonMatcher, TargetStatus
from emulation_rules.monitor.engine import Matcher
from emulation_rules.monitor.keys import RaisedKey, deadline_key, ending_key, parse_key
from emulation_rules.monitor.rules import GeneratedRule
from emulation_rules.monitor.signalling import HANDLERS
from emulation_rules.monitor.signals import (
    ClockSignal,
    Message,
    MonthSignal,
    MonthStage,
    StatusSignal,
)
from monitor_support import EXAMPLE, UNIT, campaign, current_hashes, example_events, ruleset

SAVED = Path(__file__).parent / "data" / "monitor-state-v2.json"
"""Saved by the monitor before the signals were typed (its code of 519f26e): the example
events up to 28/01/2025, the clock on 28/01/2025."""

T3 = "Tổ bảo vệ ANTT thôn 3"


def test_each_signal_has_the_json_form_the_rules_match() -> None:
    day = date(2024, 12, 16)
    status = StatusSignal(UNIT, "4.1a", TargetStatus.MET, TargetStatus.AT_RISK, day)
    assert status.message() == {
        "t": "status",
        "criterion": "4.1a",
        "unit": UNIT,
        "was": "met",
        "now": "at_risk",
        "day": day.toordinal(),
    }
    assert StatusSignal(UNIT, "4.2", None, TargetStatus.MET, day).message()["was"] == "none"
    month = MonthSignal(
        MonthStage.ENDING,
        "team_months",
        "4.7",
        CriterionStatus.NOT_MET,
        UNIT,
        T3,
        date(2024, 11, 1),
        date(2024, 11, 23),
        date(2024, 11, 30),
    )
    assert month.message() == {
        "t": "month",
        "stage": "ending",
        "fact": "team_months",
        "criterion": "4.7",
        "status": "not_met",
        "unit": UNIT,
        "team": T3,
        "month": "2024-11",
        "day": date(2024, 11, 23).toordinal(),
        "last_day": date(2024, 11, 30).toordinal(),
    }
    closed = MonthSignal(
        MonthStage.CLOSED, "team_months", "4.7", CriterionStatus.MET, UNIT, T3, day, day
    )
    assert "last_day" not in closed.message() and closed.message()["stage"] == "closed"
    clock = ClockSignal(day, "phase-1")
    assert clock.message() == {"t": "clock", "day": day.toordinal(), "phase": "phase-1"}


def test_each_signal_reads_in_vietnamese_and_english() -> None:
    day = date(2024, 12, 16)
    status = StatusSignal(UNIT, "4.1a", TargetStatus.MET, TargetStatus.AT_RISK, day)
    assert status.text().vi == (
        "Xã Bình Lương: chỉ tiêu 4.1a: Đạt → Có nguy cơ không đạt (16/12/2024)"
    )
    assert status.text().en == "Xã Bình Lương: target 4.1a: Met → At risk (2024-12-16)"
    month = MonthSignal(
        MonthStage.CLOSED, "team_months", "4.7", CriterionStatus.NOT_MET, UNIT, T3, day, day
    )
    assert "tháng 12/2024, chỉ tiêu 4.7: đã kết thúc" in month.text().vi
    assert "2024-12, target 4.7: closed" in month.text().en
    assert ClockSignal(day, "phase-1").text().vi == "Ngày 16/12/2024 (phase-1)"


def test_one_handler_per_alert_kind() -> None:
    assert set(HANDLERS) == set(AlertKind)


def test_the_saved_keys_have_one_writer_and_read_back() -> None:
    key = ending_key(UNIT, "4.7", T3, date(2024, 11, 1))
    assert key == f"ending|{UNIT}|4.7|{T3}|2024-11" == ending_key(UNIT, "4.7", T3, "2024-11")
    assert parse_key(key) == RaisedKey("ending", UNIT, "4.7", team=T3, month="2024-11")
    key = deadline_key("phase-1", UNIT, "4.1a")
    assert key == f"phase-1|{UNIT}|4.1a"
    assert parse_key(key) == RaisedKey("deadline", UNIT, "4.1a", deadline="phase-1")
    assert parse_key("nonsense") is None


def test_a_state_saved_before_the_signals_were_typed_still_reads() -> None:
    data = current_hashes(json.loads(SAVED.read_text("utf-8")))
    raised = data["state"]["raised"]
    assert all(parse_key(k) is not None for k in raised)
    m = Monitor.restore(data, campaign(), ruleset(), engine="python")
    assert m.clock == date(2025, 1, 28) and len(m.alerts) == 18
    # the rest of the example: what was raised once is not raised again
    lines = EXAMPLE.read_text("utf-8").splitlines()
    rest = [e for e in example_events() if e.date > date(2025, 1, 28)]
    assert len(rest) == len(lines) - 133
    new = m.ingest_many(rest) + m.advance(date(2025, 2, 4))
    assert not [a for a in new if a.kind is AlertKind.DEADLINE_NEAR]  # 4.1a, 4.2c: raised
    ending = [(a.team, a.month) for a in new if a.kind is AlertKind.MONTH_ENDING]
    assert ending == [("Tổ bảo vệ ANTT thôn 2", "2025-02"), (T3, "2025-02")]
    missed = sorted(a.criterion for a in new if a.kind is AlertKind.MISSED)
    assert missed == ["4.1a", "4.2c"]


class _Recording(PythonMatcher):
    def __init__(self, rules: Sequence[GeneratedRule]) -> None:
        super().__init__(rules)
        self.seen: list[Message] = []

    def match(self, messages: Sequence[Message]) -> list[list[str]]:
        self.seen.extend(messages)
        return super().match(messages)


class _HookedMonitor(Monitor):
    def _engine_for(self, rules: Sequence[GeneratedRule], engine: str) -> Matcher:
        return _Recording(rules)


def test_the_engine_hook_is_not_part_of_the_public_constructor() -> None:
    parameters = inspect.signature(Monitor).parameters
    assert not [p for p in parameters if p.startswith("_")]
    m = _HookedMonitor(campaign(), ruleset())
    m.ingest_many(example_events()[:20])
    assert m.engine == "python"
    engine = m._engine
    assert isinstance(engine, _Recording) and {s["t"] for s in engine.seen} >= {"status"}
