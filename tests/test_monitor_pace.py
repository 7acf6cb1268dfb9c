"""When a target not met yet is at risk: the pace so far, the last stretch of the phase
(monitor/pace.py), on the shipped example events and at the boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from emulation_rules.monitor import AlertKind, Monitor, PacePolicy, TargetStatus
from monitor_support import PHASE_1_END, PHASE_1_START, UNIT, campaign, ev, example_events, ruleset

ON_TRACK, AT_RISK = TargetStatus.ON_TRACK, TargetStatus.AT_RISK
DAY = timedelta(days=1)


def monitor(**options: Any) -> Monitor:
    return Monitor(campaign(), ruleset(), engine="python", **options)


def test_no_at_risk_alert_in_the_first_week_of_the_example() -> None:
    m = monitor()
    events = example_events()
    first_week = [e for e in events if e.date < PHASE_1_START + 7 * DAY]
    m.ingest_many(first_week)
    m.advance(PHASE_1_START + 7 * DAY)
    assert not [a for a in m.alerts if a.kind is AlertKind.AT_RISK]
    statuses = m.statuses()[UNIT]
    # targets that count up from zero are not met yet, and on track
    for criterion in ("4.2", "4.2b", "4.3b", "4.4d", "4.6a", "4.7b"):
        assert statuses[criterion] is ON_TRACK, criterion


def test_the_example_tips_alert_of_mid_december_still_fires() -> None:
    m = monitor()
    m.ingest_many(example_events())
    m.advance(PHASE_1_END + DAY)
    at_risk = [(a.criterion, a.on) for a in m.alerts if a.kind is AlertKind.AT_RISK]
    assert ("4.1a", date(2024, 12, 16)) in at_risk
    # and each at-risk alert is one an officer can act on: none in the first 30 days
    assert all(on >= PHASE_1_START + 29 * DAY for _, on in at_risk), at_risk
    alert = next(a for a in m.alerts if a.kind is AlertKind.AT_RISK and a.criterion == "4.1a")
    assert "Cần thêm 1 nguồn tin" in alert.text.vi
    assert "trong 49 ngày còn lại, tốc độ đến nay 10,3/tháng" in alert.text.vi
    assert "needed in the 49 days left; the pace so far is 10.3/month" in alert.text.en


def test_the_policy_stages_at_their_boundaries() -> None:
    policy = PacePolicy()
    phase = monitor().schedule.phases[0]  # 19/8/2024 to 3/2/2025: 169 days
    assert policy.pace_from(phase) == date(2024, 9, 17)  # the 30th day
    assert policy.stage(phase, date(2024, 9, 16)) == "early"
    assert policy.stage(phase, date(2024, 9, 17)) == 30
    assert policy.last_stretch_from(phase) == date(2025, 1, 2)  # the last 33 days (1/5)
    assert policy.stage(phase, date(2025, 1, 1)) == 136
    assert policy.stage(phase, date(2025, 1, 2)) == "last"
    assert PacePolicy(last_stretch=Fraction(1, 10)).last_stretch_from(phase) == date(2025, 1, 19)


def test_a_count_still_at_zero_is_at_risk_from_the_middle_of_the_phase() -> None:
    m = monitor()
    m.ingest(ev("roster", PHASE_1_START, "Tổ 1", members=4))
    m.advance(date(2024, 11, 10))  # day 84 of 169: not half yet
    assert m.statuses()[UNIT]["4.3b"] is ON_TRACK
    new = m.advance(date(2024, 11, 11))  # day 85: half the phase gone, nobody trained
    assert ("4.3b", date(2024, 11, 11)) in [
        (a.criterion, a.on) for a in new if a.kind is AlertKind.AT_RISK
    ]
    alert = next(a for a in new if a.criterion == "4.3b")
    assert "Cần thêm 4 người" in alert.text.vi and "tốc độ đến nay 0/tháng" in alert.text.vi


def test_a_count_at_a_good_pace_stays_on_track_and_a_slow_one_is_at_risk() -> None:
    members = [f"m{i}" for i in range(12)]
    fast, slow = monitor(), monitor()
    for m in (fast, slow):
        m.ingest(ev("roster", PHASE_1_START, "Tổ 1", members=12))
    # 4 of 12 trained in the first 40 days: 4 × 169 / 40 = 16 by the end, enough
    fast.ingest(ev("training", PHASE_1_START + 39 * DAY, topic="fire_rescue", members=members[:4]))
    # 1 of 12: 1 × 169 / 40 = 4 by the end, short
    slow.ingest(ev("training", PHASE_1_START + 39 * DAY, topic="fire_rescue", members=members[:1]))
    assert fast.statuses()[UNIT]["4.3b"] is ON_TRACK
    assert slow.statuses()[UNIT]["4.3b"] is AT_RISK
    alert = next(a for a in slow.alerts if a.criterion == "4.3b")
    assert "Cần thêm 11 người" in alert.text.vi and "tốc độ đến nay 0,8/tháng" in alert.text.vi
    # the last stretch: any shortfall is at risk, even on a good pace
    late = monitor()
    late.ingest(ev("roster", PHASE_1_START, "Tổ 1", members=12))
    late.ingest(ev("training", date(2024, 12, 31), topic="fire_rescue", members=members[:11]))
    late.advance(date(2025, 1, 1))
    assert late.statuses()[UNIT]["4.3b"] is ON_TRACK
    assert not [a for a in late.alerts if a.criterion == "4.3b" and a.on >= date(2024, 12, 31)]
    new = late.advance(date(2025, 1, 2))
    assert late.statuses()[UNIT]["4.3b"] is AT_RISK
    alert = next(a for a in new if a.criterion == "4.3b")
    assert "Cần thêm 1 người" in alert.text.vi and "trong 32 ngày còn lại" in alert.text.vi


def test_a_target_with_no_count_to_project_waits_for_the_last_stretch() -> None:
    m = monitor()
    m.ingest(ev("roster", PHASE_1_START, "Tổ 1", members=4, village="Thôn 1"))
    m.advance(date(2025, 1, 1))
    assert m.statuses()[UNIT]["4.2c"] is ON_TRACK
    new = m.advance(date(2025, 1, 2))
    alert = next(a for a in new if a.criterion == "4.2c" and a.kind is AlertKind.AT_RISK)
    assert "Còn 32 ngày đến hết đợt." in alert.text.vi
    assert "32 days left in the phase." in alert.text.en


def test_a_policy_of_ones_own() -> None:
    m = monitor(pace=PacePolicy(min_days=7))
    m.ingest_many([ev("tip", PHASE_1_START, through_force=False)] * 2)
    assert m.statuses()[UNIT]["4.1a"] is ON_TRACK
    new = m.advance(PHASE_1_START + 6 * DAY)  # the 7th day
    assert [a.criterion for a in new if a.kind is AlertKind.AT_RISK] == ["4.1a"]
