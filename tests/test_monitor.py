"""The monitor on the Python engine: statuses, alerts, the calendar, refusals, state.

The same behaviour on durable-rules is in test_monitor_durable.py."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from emulation_rules.campaigns import CampaignCatalogue
from emulation_rules.errors import EventError, MonitorError
from emulation_rules.monitor import Alert, AlertKind, Monitor, TargetStatus
from monitor_support import PHASE_1_END, T1, T2, UNIT, campaign, ev, example_events, ruleset

AT_RISK, MISSED, MET = TargetStatus.AT_RISK, TargetStatus.MISSED, TargetStatus.MET


def monitor(**options: Any) -> Monitor:
    return Monitor(campaign(), ruleset(), engine="python", **options)


def kinds(alerts: list[Alert] | tuple[Alert, ...]) -> list[tuple[str, str]]:
    return [(a.kind.value, a.criterion) for a in alerts]


def test_a_share_falling_below_the_target_is_at_risk_then_missed() -> None:
    m = monitor()
    m.ingest_many([ev("tip", "2024-09-01", through_force=True)] * 4)
    assert m.statuses()[UNIT]["4.1a"] is MET
    new = m.ingest(ev("tip", "2024-09-02", through_force=False))  # 4 of 5: 80% still met
    assert ("at_risk", "4.1a") not in kinds(new)
    # 4 of 6 (67%) on the 16th day: too early to judge a pace, not met yet
    new = m.ingest(ev("tip", "2024-09-03", through_force=False))
    assert ("at_risk", "4.1a") not in kinds(new)
    assert m.statuses()[UNIT]["4.1a"] is TargetStatus.ON_TRACK
    # still 67% on the 30th day (17/9): at the pace so far the share stays short
    assert m.advance(date(2024, 9, 16)) == []
    new = m.advance(date(2024, 9, 17))
    assert ("at_risk", "4.1a") in kinds(new)
    alert = next(a for a in new if a.criterion == "4.1a")
    assert alert.on == date(2024, 9, 17) and alert.phase == "phase-1" and alert.unit == UNIT
    assert "4 nguồn tin trong tổng số 6" in alert.text.vi and "4 tips of 6" in alert.text.en
    assert "trong 139 ngày còn lại, tốc độ đến nay 4/tháng" in alert.text.vi
    assert "in the 139 days left; the pace so far is 4/month" in alert.text.en
    m.ingest_many([ev("tip", "2024-09-18", through_force=True)] * 4)  # 8 of 10: back on track
    assert m.statuses()[UNIT]["4.1a"] is MET
    m.ingest(ev("tip", "2024-12-01", through_force=False))  # 8 of 11 at the end
    new = m.advance(PHASE_1_END + date.resolution)
    assert ("missed", "4.1a") in kinds(new)
    assert m.final_statuses("phase-1")[UNIT]["4.1a"] is MISSED


def test_a_count_that_only_grows_is_missed_at_once() -> None:
    m = monitor()
    new = m.ingest(ev("weapons_case", "2024-09-10"))
    assert ("missed", "4.4c") in kinds(new)
    assert m.statuses()[UNIT]["4.4c"] is MISSED
    assert "không thể đạt trong đợt này" in new[-1].text.vi


def test_a_month_without_a_good_deed() -> None:
    m = monitor()
    m.ingest_many(
        [
            ev("roster", "2024-08-19", T1, members=4),
            ev("roster", "2024-08-19", T2, members=4),
            ev("good_deed", "2024-08-25", T1),
            ev("commendation", "2024-08-26", T2, member="a"),
            ev("good_deed", "2024-09-02", T1),
        ]
    )
    assert m.statuses()[UNIT]["4.7"] is TargetStatus.UNKNOWN  # months still open
    new = m.advance(date(2024, 10, 1))  # September closes: team 2 did nothing
    month = [a for a in new if a.kind is AlertKind.MONTH_CLOSED]
    assert [(a.team, a.month, a.criterion, a.on) for a in month] == [
        (T2, "2024-09", "4.7", date(2024, 9, 30))
    ]
    assert "Tổ bảo vệ ANTT thôn 2 không có việc tốt nào" in month[0].text.vi
    assert "09/2024" in month[0].text.vi and "2024-09" in month[0].text.en
    assert ("missed", "4.7") in kinds(new)
    assert not [a for a in m.alerts if a.kind is AlertKind.MONTH_CLOSED and a.month == "2024-08"]


def test_a_team_still_short_in_the_last_week_of_a_month_is_warned_of() -> None:
    m = monitor()
    m.ingest_many(
        [
            ev("roster", "2024-08-19", T1, members=4),
            ev("roster", "2024-08-19", T2, members=4),
            ev("good_deed", "2024-08-20", T1),
        ]
    )
    m.advance(date(2024, 8, 23))  # eight days before August closes: not yet
    assert not [a for a in m.alerts if a.kind is AlertKind.MONTH_ENDING and a.month == "2024-08"]
    assert m.statuses()[UNIT]["4.7"] is TargetStatus.UNKNOWN
    new = m.advance(date(2024, 8, 24))  # seven days before: team 2 has nothing yet
    ending = [a for a in new if a.kind is AlertKind.MONTH_ENDING]
    assert [(a.team, a.month, a.criterion, a.on) for a in ending] == [
        (T2, "2024-08", "4.7", date(2024, 8, 24))
    ]
    assert ending[0].text.vi == (
        "Xã Bình Lương: Tổ bảo vệ ANTT thôn 2 chưa có việc tốt nào và chưa có cá nhân được"
        " biểu dương trong tháng 08/2024; tháng kết thúc ngày 31/08/2024 (còn 7 ngày)"
        " (chỉ tiêu 4.7)."
    )
    assert "the month ends on 2024-08-31 (in 7 days)" in ending[0].text.en
    assert m.statuses()[UNIT]["4.7"] is AT_RISK
    [indicators] = m.indicators()
    target = next(t for t in indicators.targets if t.criterion == "4.7")
    assert target.status is AT_RISK and T2 in target.reason.vi and T1 not in target.reason.vi
    assert ("at_risk", "4.7") not in kinds(m.alerts)  # told team by team, not twice
    m.advance(date(2024, 8, 28))
    assert len([a for a in m.alerts if a.kind is AlertKind.MONTH_ENDING]) == 1  # once
    m.ingest(ev("commendation", "2024-08-28", T2, member="b"))  # in time
    assert m.statuses()[UNIT]["4.7"] is TargetStatus.UNKNOWN
    new = m.advance(date(2024, 9, 1))
    assert not [a for a in new if a.kind is AlertKind.MONTH_CLOSED]
    # September: both teams short on the 23rd, team 1 catches up, team 2 does not
    new = m.advance(date(2024, 9, 23))
    assert {a.team for a in new if a.kind is AlertKind.MONTH_ENDING} == {T1, T2}
    m.ingest(ev("good_deed", "2024-09-29", T1))
    new = m.advance(date(2024, 10, 1))
    assert [(a.kind.value, a.team) for a in new if a.criterion == "4.7"] == [
        ("month_closed", T2),
        ("missed", None),
    ]


def test_deadline_near_for_targets_at_risk_only() -> None:
    m = monitor()
    m.ingest_many(
        [
            ev("tip", "2024-09-01", through_force=False),
            ev("callout", "2024-09-01", attended_in_time=True),
        ]
    )
    m.advance(date(2025, 1, 26))
    assert not [a for a in m.alerts if a.kind is AlertKind.DEADLINE_NEAR]
    new = m.advance(date(2025, 1, 28))
    near = [a for a in new if a.kind is AlertKind.DEADLINE_NEAR]
    assert [(a.criterion, a.deadline, a.on) for a in near if a.criterion == "4.1a"] == [
        ("4.1a", "phase-1", date(2025, 1, 27))
    ]
    assert all(m.statuses()[UNIT][a.criterion] is AT_RISK for a in near)
    assert "còn 7 ngày" in near[0].text.vi and "in 7 days" in near[0].text.en
    m.advance(date(2025, 2, 3))
    assert (
        len([a for a in m.alerts if a.kind is AlertKind.DEADLINE_NEAR and a.criterion == "4.1a"])
        == 1
    )


def test_early_report_deadlines_are_warned_of_inside_the_phase() -> None:
    kon_plong = CampaignCatalogue().get("special-campaign-kon-plong")
    with pytest.raises(MonitorError, match="give the issue date"):
        Monitor(kon_plong, ruleset("special-campaign-targets"), engine="python")
    m = Monitor(
        kon_plong, ruleset("special-campaign-targets"), engine="python", issued_on=date(2024, 10, 7)
    )
    assert [d.id for d in m.schedule.phases[0].deadlines] == ["phase-1-report", "phase-1"]
    m.ingest(ev("tip", "2024-10-08", through_force=False))
    m.advance(date(2025, 2, 3))
    near = {(a.deadline, a.criterion) for a in m.alerts if a.kind is AlertKind.DEADLINE_NEAR}
    assert {("phase-1-report", "4.1a"), ("phase-1", "4.1a")} <= near


def test_events_of_closed_months_and_phases_are_refused() -> None:
    m = monitor()
    m.ingest(ev("tip", "2024-10-02", through_force=True))
    m.ingest(ev("tip", "2024-10-01", through_force=True))  # late, but its month is open
    with pytest.raises(EventError) as info:
        m.ingest(ev("good_deed", "2024-09-30", T1), where="events.jsonl:3")
    assert info.value.problems[0].path == ("date",) and "closed on 2024-09-30" in str(info.value)
    assert str(info.value).startswith("events.jsonl:3: date: ")
    m.advance(date(2025, 2, 10))
    with pytest.raises(EventError, match="already closed"):
        m.ingest(ev("tip", "2025-01-20", through_force=True))
    with pytest.raises(EventError, match="in no phase"):
        m.ingest(ev("tip", "2026-01-01", through_force=True))
    fresh = monitor()
    with pytest.raises(EventError, match="in no phase"):
        fresh.ingest(ev("tip", "2024-08-01", through_force=True))
    with pytest.raises(MonitorError, match="in no phase"):
        fresh.advance(date(2030, 1, 1))
    with pytest.raises(EventError) as info:
        fresh.ingest(ev("model", "2024-09-01", name="X", recognised_by="county"))
    assert info.value.problems[0].path == ("payload", "recognised_by")


def test_a_bad_event_in_a_batch_keeps_the_ones_before() -> None:
    m = monitor()
    good = ev("tip", "2024-09-01", through_force=True)
    bad = {"kind": "tip", "unit": UNIT, "date": "2024-09-02", "payload": {"through_force": "oui"}}
    with pytest.raises(EventError) as info:
        m.ingest_many([good, bad], where=["f:1", "f:2"])
    assert info.value.where == "f:2"
    assert m.evidence(UNIT)["tips_total"] == 1


def test_the_rule_set_must_be_a_target_of_the_campaign() -> None:
    with pytest.raises(MonitorError, match="not a target of campaign special-campaign-dong-nai"):
        Monitor(CampaignCatalogue().get("special-campaign-dong-nai"), ruleset(), engine="python")
    with pytest.raises(MonitorError, match="unknown engine"):
        Monitor(campaign(), ruleset(), engine="drools")


def test_a_failing_callback_does_not_break_the_monitor() -> None:
    seen: list[Alert] = []

    def callback(alert: Alert) -> None:
        seen.append(alert)
        raise RuntimeError("the host's handler failed")

    m = monitor(on_alert=callback)
    m.ingest(ev("weapons_case", "2024-09-10"))
    m.ingest(ev("reoffence", "2024-09-11", crime=True))
    assert seen == list(m.alerts)  # every alert reached the callback
    assert {("missed", "4.4c"), ("missed", "4.5")} <= set(kinds(m.alerts))
    assert m.callback_errors == ["RuntimeError: the host's handler failed"] * len(seen)


def test_the_example_phase() -> None:
    m = monitor()
    m.ingest_many(example_events())
    m.advance(date(2025, 2, 4))
    assert m.phase is not None and m.phase.id == "phase-2"
    final = m.final_statuses("phase-1")[UNIT]
    assert {c for c, s in final.items() if s is MISSED} == {"4.1a", "4.2c", "4.7"}
    month = [a for a in m.alerts if a.kind is AlertKind.MONTH_CLOSED]
    assert [(a.team, a.month) for a in month] == [("Tổ bảo vệ ANTT thôn 3", "2024-11")]
    [table] = m.results("phase-1")
    assert table.final and table.phase == "phase-1"
    assert {t.criterion: t.status for t in table.targets} == final
    assert table.facts["tips_total"] == 73


def test_indicators_per_unit_and_team() -> None:
    m = monitor()
    m.ingest_many(example_events()[:60])
    [table] = m.indicators(explain=True)
    assert table.unit == UNIT and not table.final and table.on == m.clock
    assert {t.criterion for t in table.targets} == {c.id for c in ruleset().criteria}
    team = next(t for t in table.teams if t.team == "Tổ bảo vệ ANTT thôn 1")
    assert team.events["good_deed"] >= 1 and team.months["2024-09"]["good_deeds"] == 1
    with pytest.raises(MonitorError):
        m.indicators("Xã Khác")


def test_save_restore_and_replay_give_the_same_indicators() -> None:
    events = example_events()
    half = len(events) // 2
    live = monitor()
    live.ingest_many(events[:half])
    saved = json.loads(json.dumps(live.save()))  # plain data, through JSON
    restored = Monitor.restore(saved, campaign(), ruleset(), engine="python")
    assert restored.indicators() == live.indicators()
    for m in (live, restored):
        m.ingest_many(events[half:])
        m.advance(date(2025, 2, 4))
    assert restored.alerts == live.alerts
    assert restored.final_evidence("phase-1") == live.final_evidence("phase-1")
    replayed = Monitor.replay(
        campaign(), ruleset(), events, until=date(2025, 2, 4), engine="python"
    )
    assert replayed.final_evidence("phase-1") == live.final_evidence("phase-1")
    assert replayed.final_statuses("phase-1") == live.final_statuses("phase-1")
    assert replayed.save()["state"]["units"] == live.save()["state"]["units"]


def test_a_saved_state_round_trips_and_shares_nothing_with_the_data() -> None:
    live = monitor()
    live.ingest_many(example_events()[:60])
    saved = json.loads(json.dumps(live.save()))
    restored = Monitor.restore(saved, campaign(), ruleset(), engine="python")
    assert restored.save() == saved  # the converter writes back what it read
    saved["state"]["units"][UNIT]["facts"]["tips_total"][0] = 999
    saved["state"]["alerts"].clear()
    assert restored.evidence(UNIT) == live.evidence(UNIT)
    assert restored.alerts == live.alerts


def test_a_state_saved_for_another_rule_set_is_refused() -> None:
    saved = monitor().save()
    dong_nai = CampaignCatalogue().get("special-campaign-dong-nai")
    rs = ruleset("special-campaign-targets-dong-nai", date(2024, 10, 15))
    with pytest.raises(MonitorError) as info:
        Monitor.restore(saved, dong_nai, rs, engine="python")
    assert info.value.path == ("campaign", "id")
    with pytest.raises(MonitorError, match="not a saved monitor state"):
        Monitor.restore({"format": 99}, campaign(), ruleset(), engine="python")
    for change, path in [
        ({"units": None}, ("state", "units")),
        ({"statuses": {UNIT: {"4.1a": "great"}}}, ("state", "statuses", UNIT, "4.1a")),
        ({"clock": "yesterday"}, ("state", "clock")),
        ({"phase_index": 7}, ("state", "phase_index")),
        ({"units": {UNIT: {"facts": {}, "teams": {}}}}, ("state", "units", UNIT)),
    ]:
        damaged = dict(saved, state=dict(saved["state"], **change))
        with pytest.raises(MonitorError, match=r"damaged|does not hold") as info:
            Monitor.restore(damaged, campaign(), ruleset(), engine="python")
        assert info.value.path == path, (change, info.value.path, str(info.value))


def test_two_monitors_share_nothing() -> None:
    a, b = monitor(), monitor()
    a.ingest(ev("weapons_case", "2024-09-10"))
    b.ingest(ev("tip", "2024-09-10", through_force=True, unit="Xã Khác"))
    assert a.units == (UNIT,) and b.units == ("Xã Khác",)
    assert ("missed", "4.4c") in kinds(a.alerts) and ("missed", "4.4c") not in kinds(b.alerts)
    assert {x.unit for x in a.alerts} == {UNIT} and {x.unit for x in b.alerts} <= {"Xã Khác"}
