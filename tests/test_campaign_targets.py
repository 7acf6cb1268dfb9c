"""The targets of the 2024–2025 special emulation campaign of the grassroots security force
(KH 399/KH-BCA-X03) and three local plans that extend them.

For every target: both sides of its threshold at the boundary, and only that criterion
moves. Each variant's verdict names its own rule set; a variant never accepts a unit its
base rejects on the baseline criteria it keeps.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ON = date(2025, 2, 3)

BASE = "special-campaign-targets"
BINH_LUONG = "special-campaign-targets-binh-luong"
DONG_NAI = "special-campaign-targets-dong-nai"
HAI_PHONG = "special-campaign-targets-hai-phong"
VARIANTS = (BINH_LUONG, DONG_NAI, HAI_PHONG)
ALL_IDS = (BASE, *VARIANTS)

MET, NOT_MET = er.CriterionStatus.MET, er.CriterionStatus.NOT_MET

TEAMS = ("Tổ bảo vệ ANTT thôn 1", "Tổ bảo vệ ANTT thôn 2", "Tổ bảo vệ ANTT thôn 3")
# Phase 1, 19/8/2024–03/02/2025: every calendar month it touches, 8/2024 to 2/2025.
PHASE_1 = ("2024-08-19", "2025-02-03")
MONTHS_1 = tuple(
    f"{y}-{m:02d}-01"
    for y, m in [(2024, 8), (2024, 9), (2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2)]
)
# Phase 2, 04/02/2025–19/8/2025: 2/2025 to 8/2025.
PHASE_2 = ("2025-02-04", "2025-08-19")
MONTHS_2 = tuple(f"2025-{m:02d}-01" for m in range(2, 9))

Unit = dict[str, Any]
Mutation = Callable[[Unit], None]


def team_months(teams: tuple[str, ...] = TEAMS, months: tuple[str, ...] = MONTHS_1) -> list[Unit]:
    return [
        {"team": t, "month": m, "good_deeds": 1, "members_commended": 0}
        for t in teams
        for m in months
    ]


def base_unit() -> Unit:
    """A commune's phase-1 record meeting every baseline target at its boundary."""
    return {
        "unit_id": "Xã thử nghiệm",
        "phase_start": PHASE_1[0],
        "phase_end": PHASE_1[1],
        "tips_total": 100,
        "tips_through_force": 80,  # exactly 80%
        "security_incidents": 100,
        "security_incidents_attended": 100,
        "movement_models": [
            {
                "name": "Camera an ninh khu dân cư",
                "proposed_by_force": True,
                "effective": True,
                "recognised_by": "district",
            }
        ],
        "fire_rescue_callouts": 100,
        "fire_rescue_callouts_attended": 100,
        "violating_conditional_businesses": 0,
        "population_info_share": 90.1,  # just over 90%
        "illegal_weapons_cases": 0,
        "reoffenders": 0,
        "force_members": 100,
        "force_members_patrolling": 100,
        "serious_traffic_accidents": 0,
        "security_teams": len(TEAMS),
        "team_months": team_months(),
    }


EXTRAS: dict[str, Unit] = {
    BASE: {},
    BINH_LUONG: {
        "security_incidents_supported_in_time": 100,
        "force_members_mass_mobilisation_skilled": 100,
        "villages": len(TEAMS),
        "village_typical_examples": [{"village": t, "typical_examples": 1} for t in TEAMS],
        "force_members_fire_trained": 100,
        "force_members_admin_trained": 100,
        "force_members_political_activities": 100,
        "force_members_violating_law": 0,
        "reoffenders_crime": 0,
    },
    DONG_NAI: {"movement_propaganda_campaigns": 2, "force_took_part_in_mediation": True},
    HAI_PHONG: {"illegal_weapons_transport_cases": 0, "post_rehab_reoffenders": 0},
}


def unit_for(ruleset_id: str, mutate: Mutation | None = None) -> Unit:
    unit = base_unit() | copy.deepcopy(EXTRAS[ruleset_id])
    if mutate is not None:
        mutate(unit)
    return unit


# -- mutations ------------------------------------------------------------------------------
def facts(**values: Any) -> Mutation:
    def apply(unit: Unit) -> None:
        unit.update(values)

    return apply


def model(**fields: Any) -> Mutation:
    def apply(unit: Unit) -> None:
        unit["movement_models"][0].update(fields)

    return apply


def team_month(team: int, index: int, **fields: Any) -> Mutation:
    """Change the record of team ``team`` for the ``index``-th month of phase 1."""

    def apply(unit: Unit) -> None:
        unit["team_months"][team * len(MONTHS_1) + index].update(fields)

    return apply


def drop_team_month(team: int, index: int) -> Mutation:
    def apply(unit: Unit) -> None:
        del unit["team_months"][team * len(MONTHS_1) + index]

    return apply


def drop_month(month: str) -> Mutation:
    def apply(unit: Unit) -> None:
        unit["team_months"] = [r for r in unit["team_months"] if r["month"] != month]

    return apply


def village(index: int, **fields: Any) -> Mutation:
    def apply(unit: Unit) -> None:
        unit["village_typical_examples"][index].update(fields)

    return apply


def both(*mutations: Mutation) -> Mutation:
    def apply(unit: Unit) -> None:
        for m in mutations:
            m(unit)

    return apply


def phase_2(unit: Unit) -> None:
    unit["phase_start"], unit["phase_end"] = PHASE_2
    unit["team_months"] = team_months(months=MONTHS_2)


def add_team_record(unit: Unit) -> None:
    unit["team_months"].append(
        {
            "team": "Tổ bảo vệ ANTT thôn 4",
            "month": MONTHS_1[0],
            "good_deeds": 3,
            "members_commended": 0,
        }
    )


def repeat_a_month(unit: Unit) -> None:
    # Team 2 reports September twice and October not at all: 21 records, one missing.
    unit["team_months"][len(MONTHS_1) + 2]["month"] = MONTHS_1[1]


# (criterion, case, mutation, met?)
Case = tuple[str, str, Mutation | None, bool]

BASE_CASES: list[Case] = [
    # 4.1a: at least 80% of tips through the force (count ≥ total × 80%).
    ("4.1a", "80 of 100 = 80%", None, True),
    ("4.1a", "79 of 100 = 79%", facts(tips_through_force=79), False),
    ("4.1a", "4 of 5 = 80%", facts(tips_total=5, tips_through_force=4), True),
    ("4.1a", "399 of 500 = 79.8%", facts(tips_total=500, tips_through_force=399), False),
    ("4.1a", "no tip at all", facts(tips_total=0, tips_through_force=0), True),
    ("4.1a", "more through the force than in total", facts(tips_through_force=101), False),
    # 4.1b: 100% of incidents attended in time.
    ("4.1b", "100 of 100", None, True),
    ("4.1b", "99 of 100", facts(security_incidents_attended=99), False),
    ("4.1b", "no incident", facts(security_incidents=0, security_incidents_attended=0), True),
    # 4.2: at least 1 effective model proposed by the force, commended by district or higher.
    ("4.2", "district police", None, True),
    ("4.2", "provincial police (higher)", model(recognised_by="Công an cấp tỉnh"), True),
    ("4.2", "commune police only", model(recognised_by="commune"), False),
    ("4.2", "not commended", model(recognised_by="none"), False),
    ("4.2", "not proving effective", model(effective=False), False),
    ("4.2", "not proposed by the force", model(proposed_by_force=False), False),
    ("4.2", "no model", facts(movement_models=[]), False),
    # 4.3: 100% of fire and rescue call-outs attended.
    ("4.3", "100 of 100", None, True),
    ("4.3", "99 of 100", facts(fire_rescue_callouts_attended=99), False),
    ("4.3", "no call-out", facts(fire_rescue_callouts=0, fire_rescue_callouts_attended=0), True),
    # 4.4a: no conditional business violating the law.
    ("4.4a", "none", None, True),
    ("4.4a", "one", facts(violating_conditional_businesses=1), False),
    # 4.4b: over 90% ("trên 90%", exclusive) of population information.
    ("4.4b", "90.1%", None, True),
    ("4.4b", "exactly 90%", facts(population_info_share=90), False),
    ("4.4b", "89.9%", facts(population_info_share=89.9), False),
    ("4.4b", "100%", facts(population_info_share=100), True),
    # 4.4c: no illegal weapons, explosives or support tools.
    ("4.4c", "none", None, True),
    ("4.4c", "one case", facts(illegal_weapons_cases=1), False),
    # 4.5: no re-offending.
    ("4.5", "none", None, True),
    ("4.5", "one person", facts(reoffenders=1), False),
    # 4.6a: 100% of the force in patrols.
    ("4.6a", "100 of 100", None, True),
    ("4.6a", "99 of 100", facts(force_members_patrolling=99), False),
    # 4.6b: no serious or especially serious traffic accident.
    ("4.6b", "none", None, True),
    ("4.6b", "one", facts(serious_traffic_accidents=1), False),
    # 4.7: every team, every month, a good deed or a member commended; records complete.
    ("4.7", "one good deed every team-month", None, True),
    (
        "4.7",
        "a member commended instead of a deed",
        team_month(1, 3, good_deeds=0, members_commended=1),
        True,
    ),
    ("4.7", "a month without a good deed", team_month(1, 3, good_deeds=0), False),
    ("4.7", "phase 2, months 2/2025 to 8/2025", phase_2, True),
    ("4.7", "a team-month not reported", drop_team_month(2, 6), False),
    ("4.7", "partial first month (8/2024) not reported", drop_month(MONTHS_1[0]), False),
    ("4.7", "partial last month (2/2025) not reported", drop_month(MONTHS_1[-1]), False),
    ("4.7", "a month reported twice, another missing", repeat_a_month, False),
    ("4.7", "a record outside the phase", team_month(0, 0, month="2024-07-01"), False),
    ("4.7", "a fourth team not reported", facts(security_teams=4), False),
    (
        "4.7",
        "a fourth team with one month only, total matching",
        both(drop_team_month(2, 6), add_team_record),
        False,
    ),
]

VARIANT_CASES: dict[str, list[Case]] = {
    BINH_LUONG: [
        # replaced 4.1b: timely participation in settling, 100%.
        ("4.1b", "100 of 100 helped settle", None, True),
        ("4.1b", "99 of 100 helped settle", facts(security_incidents_supported_in_time=99), False),
        (
            "4.1b",
            "not present at the scene, but helped settle",
            facts(security_incidents_attended=0),
            True,
        ),
        # added 4.2b: 100% skilled in mass mobilisation.
        ("4.2b", "100 of 100", None, True),
        ("4.2b", "99 of 100", facts(force_members_mass_mobilisation_skilled=99), False),
        # added 4.2c: at least 1 typical example in every village.
        ("4.2c", "one example per village", None, True),
        ("4.2c", "two in a village", village(0, typical_examples=2), True),
        ("4.2c", "a village without", village(2, typical_examples=0), False),
        ("4.2c", "a village not reported", facts(villages=4), False),
        ("4.2c", "a village reported twice", village(1, village=TEAMS[0]), False),
        # added 4.3b, 4.4d, 4.7b: 100% trained, 100% in political activities.
        ("4.3b", "100 of 100", None, True),
        ("4.3b", "99 of 100", facts(force_members_fire_trained=99), False),
        ("4.4d", "100 of 100", None, True),
        ("4.4d", "99 of 100", facts(force_members_admin_trained=99), False),
        ("4.7b", "100 of 100", None, True),
        ("4.7b", "99 of 100", facts(force_members_political_activities=99), False),
        # added 4.7c: no member breaking the law.
        ("4.7c", "none", None, True),
        ("4.7c", "one member", facts(force_members_violating_law=1), False),
        # replaced 4.5: "tái phạm tội", a new crime.
        ("4.5", "no new crime", None, True),
        ("4.5", "one new crime", facts(reoffenders_crime=1), False),
        ("4.5", "an administrative re-violation only", facts(reoffenders=1), True),
    ],
    DONG_NAI: [
        ("4.2b", "two campaigns", None, True),
        ("4.2b", "one campaign", facts(movement_propaganda_campaigns=1), False),
        ("4.2c", "took part in mediation", None, True),
        ("4.2c", "did not", facts(force_took_part_in_mediation=False), False),
    ],
    HAI_PHONG: [
        ("4.4c", "none", None, True),
        ("4.4c", "illegal transport", facts(illegal_weapons_transport_cases=1), False),
        ("4.4c", "illegal storage (baseline part kept)", facts(illegal_weapons_cases=1), False),
        ("4.5", "none", None, True),
        ("4.5", "post-rehabilitation re-offending", facts(post_rehab_reoffenders=1), False),
        ("4.5", "re-offending (baseline part kept)", facts(reoffenders=1), False),
    ],
}


@pytest.fixture(scope="module")
def lib() -> er.Library:
    return er.Library()


def load(lib: er.Library, ruleset_id: str) -> er.RuleSet:
    return lib.load(ruleset_id, on=ON)


def statuses(rs: er.RuleSet, unit: Unit) -> dict[str, er.CriterionStatus]:
    """Criterion statuses, checked to agree between the fast and the explained paths."""
    fast = {c.id: c.status for c in rs.evaluate(unit).criteria}
    full = {c.id: c.status for c in rs.evaluate(unit, explain=True).criteria}
    assert fast == full
    return full


def kept_criteria(lib: er.Library, variant: str) -> set[str]:
    """Baseline criteria a variant keeps unchanged (not replaced, not dropped)."""
    base = {c.id: c.spec for c in load(lib, BASE).definition.criteria}
    return {
        c.id
        for c in load(lib, variant).definition.criteria
        if c.id in base and c.spec == base[c.id]
    }


def assert_only(rs: er.RuleSet, unit: Unit, criterion: str, met: bool) -> None:
    result = statuses(rs, unit)
    assert criterion in result
    assert result[criterion] is (MET if met else NOT_MET)
    moved = {cid for cid, status in result.items() if status is not MET}
    assert moved == (set() if met else {criterion})


def _case_id(case: Case) -> str:
    return f"{case[0]}: {case[1]}"


def _param_id(value: object) -> str:
    """Test ids: ``dong-nai-4.2b: one campaign``."""
    if isinstance(value, tuple):
        return _case_id(value)  # type: ignore[arg-type]
    return str(value).removeprefix(f"{BASE}-") if value != BASE else "baseline"


# Baseline criteria each variant replaces (checked by test_what_each_variant_replaces_and_adds).
REPLACED = {BINH_LUONG: {"4.1b", "4.5"}, DONG_NAI: set(), HAI_PHONG: {"4.4c", "4.5"}}


def _variant_base_cases() -> Iterator[tuple[str, Case]]:
    """Each variant with each baseline case of a criterion it keeps."""
    for variant in VARIANTS:
        for case in BASE_CASES:
            if case[0] not in REPLACED[variant]:
                yield variant, case


# -- loading --------------------------------------------------------------------------------
@pytest.mark.parametrize("ruleset_id", ALL_IDS)
def test_loads_on_the_evaluation_date(lib: er.Library, ruleset_id: str) -> None:
    rs = load(lib, ruleset_id)
    assert rs.id == ruleset_id and rs.on == ON
    assert {k.value for k in rs.definition.applies_to} == {"commune", "security_team"}


def test_baseline_period_and_source(lib: er.Library) -> None:
    d = load(lib, BASE).definition
    assert (d.effective.from_, d.effective.until) == (date(2024, 8, 19), date(2025, 8, 19))
    assert d.source.document == "399/KH-BCA-X03" and d.source.date == date(2024, 8, 13)
    assert d.source.quoted_in and "Kon Plông" in d.source.quoted_in
    ids = ["4.1a", "4.1b", "4.2", "4.3", "4.4a", "4.4b", "4.4c", "4.5", "4.6a", "4.6b", "4.7"]
    assert [c.id for c in d.criteria] == ids
    assert [c.spec.number for c in d.criteria] == list(range(1, 12))
    for day in (date(2024, 8, 18), date(2025, 8, 20)):
        with pytest.raises(er.NotFoundError):
            lib.load(BASE, on=day)


def test_hai_phong_runs_from_november(lib: er.Library) -> None:
    with pytest.raises(er.NotFoundError):
        lib.load(HAI_PHONG, on=date(2024, 10, 31))
    assert lib.load(HAI_PHONG, on=date(2024, 11, 1)).id == HAI_PHONG


@pytest.mark.parametrize("ruleset_id", ALL_IDS)
def test_reference_unit_meets_every_target(lib: er.Library, ruleset_id: str) -> None:
    verdict = load(lib, ruleset_id).evaluate(unit_for(ruleset_id), explain=True)
    assert verdict.status is er.Status.ELIGIBLE, verdict.reason.en


# -- both sides of every threshold ------------------------------------------------------------
@pytest.mark.parametrize("case", BASE_CASES, ids=_case_id)
def test_baseline_threshold(lib: er.Library, case: Case) -> None:
    criterion, _, mutate, met = case
    assert_only(load(lib, BASE), unit_for(BASE, mutate), criterion, met)


@pytest.mark.parametrize(
    ("variant", "case"),
    [(v, c) for v, cases in VARIANT_CASES.items() for c in cases],
    ids=_param_id,
)
def test_variant_threshold(lib: er.Library, variant: str, case: Case) -> None:
    criterion, _, mutate, met = case
    assert_only(load(lib, variant), unit_for(variant, mutate), criterion, met)


@pytest.mark.parametrize(
    ("variant", "case"),
    list(_variant_base_cases()),
    ids=_param_id,
)
def test_variant_keeps_baseline_thresholds(lib: er.Library, variant: str, case: Case) -> None:
    criterion, _, mutate, met = case
    assert criterion in kept_criteria(lib, variant)
    assert_only(load(lib, variant), unit_for(variant, mutate), criterion, met)


def test_every_target_is_tested_on_both_sides(lib: er.Library) -> None:
    for ruleset_id, cases in [(BASE, BASE_CASES), *VARIANT_CASES.items()]:
        own = {c.id for c in load(lib, ruleset_id).definition.criteria}
        if ruleset_id != BASE:
            own -= kept_criteria(lib, ruleset_id)
        sides = {(c[0], c[3]) for c in cases}
        assert {(cid, met) for cid in own for met in (True, False)} <= sides, ruleset_id


def test_what_each_variant_replaces_and_adds(lib: er.Library) -> None:
    base_ids = {c.id for c in load(lib, BASE).definition.criteria}
    added = {
        BINH_LUONG: {"4.2b", "4.2c", "4.3b", "4.4d", "4.7b", "4.7c"},
        DONG_NAI: {"4.2b", "4.2c"},
        HAI_PHONG: set(),
    }
    for variant in VARIANTS:
        ids = {c.id for c in load(lib, variant).definition.criteria}
        assert base_ids - kept_criteria(lib, variant) == REPLACED[variant], variant
        assert ids - base_ids == added[variant], variant


# -- identity of the verdicts --------------------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_verdict_records_its_own_rule_set(lib: er.Library, variant: str) -> None:
    rs, base = load(lib, variant), load(lib, BASE)
    verdict = rs.evaluate(unit_for(variant))
    assert rs.definition.extends == BASE
    assert verdict.ruleset.id == variant
    assert verdict.ruleset.version == rs.version == "2024.1"
    assert verdict.ruleset.sha256 == rs.sha256 != base.sha256
    assert len(verdict.ruleset.sha256) == 64
    data = json.loads(er.to_json(verdict))
    assert data["ruleset"] == {"id": variant, "version": rs.version, "sha256": rs.sha256}
    assert data["evaluated_on"] == ON.isoformat()


def test_the_four_hashes_differ(lib: er.Library) -> None:
    assert len({load(lib, i).sha256 for i in ALL_IDS}) == len(ALL_IDS)


# -- a variant never accepts what its base rejects on the criteria it keeps ----------------------
@pytest.mark.parametrize(("variant", "case"), list(_variant_base_cases()), ids=_param_id)
def test_variant_never_accepts_a_unit_its_base_rejects(
    lib: er.Library, variant: str, case: Case
) -> None:
    _, _, mutate, _ = case
    base = statuses(load(lib, BASE), unit_for(BASE, mutate))
    local = statuses(load(lib, variant), unit_for(variant, mutate))
    for criterion in kept_criteria(lib, variant):
        if base[criterion] is NOT_MET:
            assert local[criterion] is NOT_MET, criterion


@st.composite
def units(draw: st.DrawFn) -> Unit:
    """Units with every fact near its threshold, records sometimes incomplete."""

    def part_of(total_key: str, part_key: str, top: int = 6) -> dict[str, int]:
        total = draw(st.integers(0, top))
        return {total_key: total, part_key: draw(st.integers(0, total + 1))}

    phase, months = draw(st.sampled_from([(PHASE_1, MONTHS_1), (PHASE_2, MONTHS_2)]))
    n_teams = draw(st.integers(1, 2))
    records = [
        {
            "team": TEAMS[t],
            "month": m,
            "good_deeds": draw(st.integers(0, 2)),
            "members_commended": draw(st.integers(0, 1)),
        }
        for t in range(n_teams)
        for m in months
    ]
    if draw(st.booleans()):
        del records[draw(st.integers(0, len(records) - 1))]
    members = draw(st.integers(1, 5))
    unit: Unit = {
        "phase_start": phase[0],
        "phase_end": phase[1],
        **part_of("tips_total", "tips_through_force", 10),
        **part_of("security_incidents", "security_incidents_attended"),
        **part_of("fire_rescue_callouts", "fire_rescue_callouts_attended"),
        "movement_models": [
            {
                "name": f"Mô hình {i}",
                "proposed_by_force": draw(st.booleans()),
                "effective": draw(st.booleans()),
                "recognised_by": draw(st.sampled_from(["province", "district", "commune"])),
            }
            for i in range(draw(st.integers(0, 2)))
        ],
        "violating_conditional_businesses": draw(st.integers(0, 1)),
        "population_info_share": draw(st.sampled_from([89.9, 90, 90.1, 95])),
        "illegal_weapons_cases": draw(st.integers(0, 1)),
        "reoffenders": draw(st.integers(0, 1)),
        "force_members": members,
        "force_members_patrolling": draw(st.integers(0, members)),
        "serious_traffic_accidents": draw(st.integers(0, 1)),
        "security_teams": draw(st.integers(n_teams, n_teams + 1)),
        "team_months": records,
    }
    return unit


@given(unit=units(), extras=st.data())
@settings(max_examples=150, deadline=None)
def test_kept_criteria_decide_alike_for_any_unit(
    lib: er.Library, unit: Unit, extras: st.DataObject
) -> None:
    base = load(lib, BASE).evaluate(unit)
    base_status = {c.id: c.status for c in base.criteria}
    for variant in VARIANTS:
        local_unit = unit | copy.deepcopy(EXTRAS[variant])
        if variant == HAI_PHONG:
            local_unit["illegal_weapons_transport_cases"] = extras.draw(st.integers(0, 1))
            local_unit["post_rehab_reoffenders"] = extras.draw(st.integers(0, 1))
        local = load(lib, variant).evaluate(local_unit)
        local_status = {c.id: c.status for c in local.criteria}
        kept = kept_criteria(lib, variant)
        for criterion in kept:
            assert local_status[criterion] is base_status[criterion], (variant, criterion)
        if any(base_status[c] is NOT_MET for c in kept):
            assert local.status is er.Status.NOT_ELIGIBLE, variant
        # Hải Phòng's two replacements add to the baseline conditions: it rejects all the
        # base rejects.
        if variant == HAI_PHONG and base.status is er.Status.NOT_ELIGIBLE:
            assert local.status is er.Status.NOT_ELIGIBLE


def test_binh_luong_reads_tai_pham_toi_more_narrowly(lib: er.Library) -> None:
    """The one documented way Bình Lương accepts what the baseline rejects: 4.5 is replaced
    by "tái phạm tội" (a new crime), so an administrative re-violation does not fail it."""
    unit = facts(reoffenders=1)
    assert statuses(load(lib, BASE), unit_for(BASE, unit))["4.5"] is NOT_MET
    assert statuses(load(lib, BINH_LUONG), unit_for(BINH_LUONG, unit))["4.5"] is MET


# -- explanations and texts --------------------------------------------------------------------
def test_explanations_name_the_content_and_the_reading(lib: er.Library) -> None:
    rs = load(lib, BASE)
    verdict = rs.evaluate(unit_for(BASE, facts(population_info_share=90)), explain=True)
    c = verdict.criterion("4.4b")
    assert c.status is NOT_MET
    assert "Nội dung 4.4" in c.reason.vi and "cần trên 90%" in c.reason.vi
    assert "over 90% needed" in c.reason.en
    tips = rs.evaluate(unit_for(BASE, facts(tips_through_force=79)), explain=True)
    needed = tips.criterion("4.1a").explanation.needed
    assert any(n.fact == "tips_through_force" and n.op == ">=" and n.value == 80 for n in needed)


@pytest.mark.parametrize("ruleset_id", ALL_IDS)
def test_texts_are_bilingual_and_cited(lib: er.Library, ruleset_id: str) -> None:
    d = load(lib, ruleset_id).definition
    base_ids = set() if ruleset_id == BASE else kept_criteria(lib, ruleset_id)
    own_document = d.source.document
    for c in d.criteria:
        spec = c.spec
        for text in (
            spec.title.vi,
            spec.title.en,
            spec.text.vi,
            spec.text.en,
            spec.note.vi if spec.note else None,
            spec.note.en if spec.note else None,
        ):
            assert text and text.strip(), (ruleset_id, c.id)
        assert any(ord(ch) > 127 for ch in spec.text.vi), c.id  # Vietnamese, with diacritics
        assert spec.source is not None, c.id
        if c.id not in base_ids:
            assert c.citation.document == own_document, (ruleset_id, c.id)
    base_params = set() if ruleset_id == BASE else set(load(lib, BASE).definition.parameters)
    for name, param in d.parameters.items():
        assert param.source.document, name
        if name not in base_params:
            assert param.source.document == own_document, (ruleset_id, name)


# -- the examples --------------------------------------------------------------------------------
def _example(name: str) -> Unit:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_example_phase_meets_every_target(lib: er.Library) -> None:
    verdict = load(lib, BASE).evaluate(_example("security-team-phase.json"))
    assert verdict.status is er.Status.ELIGIBLE


def test_example_at_risk_fails_tips_and_a_month(lib: er.Library) -> None:
    verdict = load(lib, BASE).evaluate(_example("security-team-phase-at-risk.json"), explain=True)
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert {c.id for c in verdict.criteria if c.status is not MET} == {"4.1a", "4.7"}


def test_cli_evaluates_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "evaluate",
            BASE,
            str(EXAMPLES / "security-team-phase-at-risk.json"),
            "--on",
            ON.isoformat(),
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["ruleset"]["id"] == BASE and data["status"] == "not_eligible"
    assert [c["id"] for c in data["criteria"] if c["status"] != "met"] == ["4.1a", "4.7"]
