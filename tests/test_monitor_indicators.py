"""The running indicators of one unit: each aggregate, the open and closed months, the
best case still reachable, and the payload checks the rule set implies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from emulation_rules.monitor import Event, compile_plan, mapping_for
from emulation_rules.monitor.indicators import Plan
from emulation_rules.monitor.schedule import PhaseWindow, Schedule
from monitor_support import PHASE_1_END, T1, T2, campaign, ev, ruleset


@pytest.fixture(scope="module")
def plan() -> Plan:
    rs = ruleset()
    return compile_plan(mapping_for(rs), rs)


@pytest.fixture(scope="module")
def phase() -> PhaseWindow:
    return Schedule.of(campaign(), issued_on=None, near_days=7).phases[0]


def state_of(plan: Plan, events: list[Event]) -> dict[str, Any]:
    state = plan.new_state()
    for seq, e in enumerate(events, start=1):
        assert plan.check(e) == []
        plan.add(state, e, seq)
    return state


def test_counts_and_unknown_filters(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [
            ev("tip", "2024-09-01", through_force=True),
            ev("tip", "2024-09-02", through_force=False),
            ev("incident", "2024-09-03", attended_in_time=True),  # supported_in_time not recorded
        ],
    )
    e = plan.evidence(s, phase, None)
    assert (e["tips_total"], e["tips_through_force"]) == (2, 1)
    assert e["security_incidents_attended"] == 1
    assert e["security_incidents_supported_in_time"] is None  # unknown, not 0
    assert e["violating_conditional_businesses"] == 0  # nothing recorded: none happened
    assert (e["phase_start"], e["phase_end"]) == ("2024-08-19", "2025-02-03")


def test_best_case_keeps_only_what_cannot_improve(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [ev("tip", "2024-09-01", through_force=False), ev("member_violation", "2024-09-02")],
    )
    best = plan.evidence(s, phase, None, best=True)
    assert best["force_members_violating_law"] == 1  # better: lower, only grows
    assert best["tips_total"] is None and best["tips_through_force"] is None
    assert best["population_info_share"] is None


def test_distinct_latest_and_sum_of_latest(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [
            ev("roster", "2024-08-19", T1, members=4, village="Thôn 1"),
            ev("roster", "2024-08-19", T2, members=5, village="Thôn 2"),
            ev("roster", "2024-10-01", T1, members=6, village="Thôn 1"),
            ev("patrol", "2024-09-01", members=["a", "b"]),
            ev("patrol", "2024-09-08", members=["b", "c"]),
            ev("population_info", "2024-10-01", share=91),
            ev("population_info", "2024-09-01", share=Decimal("88.5")),  # late, older: ignored
        ],
    )
    e = plan.evidence(s, phase, None)
    assert e["force_members"] == 11 and e["security_teams"] == 2 and e["villages"] == 2
    assert e["force_members_patrolling"] == 3
    assert e["population_info_share"] == 91


def test_all_and_records(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [
            ev(
                "model",
                "2024-09-01",
                name="Camera",
                proposed_by_force=True,
                effective=True,
                recognised_by="commune",
            ),
            ev(
                "model",
                "2024-12-01",
                name="Camera",
                proposed_by_force=True,
                effective=True,
                recognised_by="district",
            ),
            ev("model", "2024-10-01", name="Tổ tự quản", effective=False),
        ],
    )
    e = plan.evidence(s, phase, None)
    assert e["movement_models"] == [
        {
            "name": "Camera",
            "proposed_by_force": True,
            "effective": True,
            "recognised_by": "district",
        },
        {
            "name": "Tổ tự quản",
            "proposed_by_force": None,
            "effective": False,
            "recognised_by": None,
        },
    ]
    dong_nai = ruleset("special-campaign-targets-dong-nai", date(2024, 10, 15))
    dn = compile_plan(mapping_for(dong_nai), dong_nai)
    none = state_of(dn, [])
    assert dn.evidence(none, phase, None)["force_took_part_in_mediation"] is True  # no dispute
    s = state_of(
        dn,
        [
            ev("dispute", "2024-10-20", force_took_part=False),
            ev("dispute", "2024-10-21", force_took_part=True),
        ],
    )
    assert dn.evidence(s, phase, None)["force_took_part_in_mediation"] is False
    assert (
        dn.evidence(s, phase, None, best=True)["force_took_part_in_mediation"] is False
    )  # stays false


def test_monthly_records_open_and_closed(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [
            ev("roster", "2024-08-19", T1, members=4),
            ev("roster", "2024-08-19", T2, members=4),
            ev("good_deed", "2024-08-20", T1),
            ev("good_deed", "2024-09-03", T1),
            ev("commendation", "2024-09-10", T2, member="x"),
        ],
    )
    records = plan.evidence(s, phase, date(2024, 8, 31))["team_months"]
    assert len(records) == 2 * 7  # teams × months of phase 1 (8/2024–2/2025)
    by = {(r["team"], r["month"]): r for r in records}
    assert by[(T1, "2024-08-01")] == {
        "team": T1,
        "month": "2024-08-01",
        "good_deeds": 1,
        "members_commended": 0,
    }
    assert by[(T2, "2024-08-01")]["good_deeds"] == 0  # closed: a real zero
    assert by[(T1, "2024-09-01")]["good_deeds"] is None  # September is still open
    final = {
        (r["team"], r["month"]): r for r in plan.evidence(s, phase, PHASE_1_END)["team_months"]
    }
    assert final[(T2, "2024-09-01")]["members_commended"] == 1
    best = {
        (r["team"], r["month"]): r
        for r in plan.evidence(s, phase, date(2024, 8, 31), best=True)["team_months"]
    }
    assert (
        best[(T2, "2024-08-01")]["good_deeds"] == 0
        and best[(T2, "2024-09-01")]["good_deeds"] is None
    )


def test_grouped_records_count_by_level(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [
            ev("roster", "2024-08-19", T1, members=4, village="Thôn 1"),
            ev("roster", "2024-08-19", T2, members=4, village="Thôn 2"),
            ev("typical_example", "2024-09-01", village="Thôn 1", recognised_by="Công an huyện"),
            ev("typical_example", "2024-09-02", village="Thôn 2", recognised_by="commune"),
            ev("typical_example", "2024-09-03", village="Thôn 2"),  # level not recorded
        ],
    )
    records = plan.evidence(s, phase, None)["village_typical_examples"]
    assert records == [
        {"village": "Thôn 1", "typical_examples": 1},
        {"village": "Thôn 2", "typical_examples": None},
    ]


def test_zero_teams_is_not_known_yet(plan: Plan, phase: PhaseWindow) -> None:
    e = plan.evidence(plan.new_state(), phase, None)
    assert e["security_teams"] is None and e["villages"] is None  # the rule set needs ≥ 1
    assert e["force_members"] is None


def test_payload_checks_from_the_rule_set(plan: Plan) -> None:
    bad_level = ev("model", "2024-09-01", name="X", recognised_by="county")
    assert [p.path for p in plan.check(bad_level)] == [("payload", "recognised_by")]
    too_much = ev("population_info", "2024-09-01", share=120)
    problems = plan.check(too_much)
    assert problems[0].path == ("payload", "share") and "0 to 100" in problems[0].message
    assert (
        plan.check(ev("typical_example", "2024-09-01", village="A", recognised_by="Bộ Công an"))
        == []
    )


def test_phase_carry_over(plan: Plan, phase: PhaseWindow) -> None:
    s = state_of(
        plan,
        [
            ev("roster", "2024-08-19", T1, members=4, village="Thôn 1"),
            ev("tip", "2024-09-01", through_force=True),
            ev("training", "2024-09-01", topic="fire_rescue", members=["a"]),
            ev("training", "2024-09-01", topic="political_activities", members=["a"]),
            ev("good_deed", "2024-09-01", T1),
        ],
    )
    nxt = plan.new_phase(s)
    phase_2 = Schedule.of(campaign(), issued_on=None, near_days=7).phases[1]
    e = plan.evidence(nxt, phase_2, None)
    assert e["security_teams"] == 1 and e["force_members"] == 4  # the roster carries over
    assert e["force_members_fire_trained"] == 1  # so do trainings
    assert e["tips_total"] == 0 and e["force_members_political_activities"] == 0
    assert {r["team"] for r in e["team_months"]} == {T1} and all(
        r["good_deeds"] is None for r in e["team_months"]
    )
