"""The shipped typical-unit rule sets: typical-prerequisites, typical-commune (Annex I,
34 criteria) and typical-organisation (Annex II, 14 criteria) of Decision 9475/QĐ-BCA-V05
(also cited as 9745), as quoted in Plan 99/KH-BCĐ of Hậu Lộc.

Every criterion is tested on both sides of its threshold, starting from a unit that meets
everything (the example files) and changing only the facts of that criterion; the other
criteria must stay met.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.model.ruleset import Direction, FactType

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOURCES = ROOT / "docs" / "sources"
ON = date(2024, 12, 31)
MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)


@pytest.fixture(scope="module")
def lib() -> er.Library:
    return er.Library()


@pytest.fixture(scope="module")
def commune(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-commune", on=ON)


@pytest.fixture(scope="module")
def organisation(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-organisation", on=ON)


@pytest.fixture(scope="module")
def prerequisites(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-prerequisites", on=ON)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def changed(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied; a value of ``...`` removes the fact."""
    out = dict(base)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def check_only(
    rs: er.RuleSet, evidence: dict[str, Any], criterion: str, expected: er.CriterionStatus
) -> er.Verdict:
    """Evaluate with and without explanations; ``criterion`` has ``expected`` status and
    every other criterion is met. Returns the explained verdict."""
    verdicts = [rs.evaluate(evidence), rs.evaluate(evidence, explain=True)]
    for verdict in verdicts:
        statuses = {c.id: c.status for c in verdict.criteria}
        assert statuses[criterion] is expected, verdict.criterion(criterion).reason.en
        others = {cid: s for cid, s in statuses.items() if cid != criterion and s is not MET}
        assert others == {}, [verdict.criterion(c).reason.en for c in others]
        if expected is MET:
            assert verdict.status is er.Status.ELIGIBLE, verdict.reason.en
        elif expected is NOT_MET:
            assert verdict.status is er.Status.NOT_ELIGIBLE, verdict.reason.en
        else:
            assert verdict.status is er.Status.UNDETERMINED, verdict.reason.en
    assert verdicts[0].status is verdicts[1].status
    return verdicts[1]


# ---------------------------------------------------------------------------------------
# typical-commune: one or more cases per criterion, on both sides of each threshold
# ---------------------------------------------------------------------------------------
ORGS_ALL_GOOD = [
    {"name": "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "rating": "Khá"},
    {"name": "Hội Nông dân xã", "rating": "good"},
]
ORGS_ONE_AVERAGE = [
    {"name": "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "rating": "Vững mạnh"},
    {"name": "Hội Nông dân xã", "rating": "Trung bình"},
]

COMMUNE_CASES: list[tuple[str, dict[str, Any], er.CriterionStatus]] = [
    # 1
    ("1", {"directives_disseminated_to_all_subunits": True}, MET),
    ("1", {"directives_disseminated_to_all_subunits": False}, NOT_MET),
    # 2: first quarter of the assessment year, 01/01–31/03 inclusive
    ("2", {"party_committee_resolution_date": "2024-01-01"}, MET),
    ("2", {"party_committee_resolution_date": "2024-03-31"}, MET),
    ("2", {"party_committee_resolution_date": "2024-04-01"}, NOT_MET),
    ("2", {"party_committee_resolution_date": "2023-12-31"}, NOT_MET),
    ("2", {"peoples_committee_plan_date": "2024-03-31"}, MET),
    ("2", {"peoples_committee_plan_date": "2024-04-01"}, NOT_MET),
    ("2", {"steering_committee_programme_date": "2024-03-31"}, MET),
    ("2", {"steering_committee_programme_date": "2024-04-01"}, NOT_MET),
    ("2", {"topic_crime_suppression_peaks_deployed": False}, NOT_MET),
    ("2", {"topic_fire_prevention_deployed": False}, NOT_MET),
    ("2", {"topic_models_and_examples_deployed": False}, NOT_MET),
    ("2", {"topic_movement_launch_deployed": False}, NOT_MET),
    ("2", {"topics_all_deployed": False}, NOT_MET),
    # 3: at least 01 good practice
    ("3", {"good_practices": 1}, MET),
    ("3", {"good_practices": 0}, NOT_MET),
    ("3", {"annual_movement_conference_held": False}, NOT_MET),
    # 4
    ("4", {"movement_resources_support_adequate": True}, MET),
    ("4", {"movement_resources_support_adequate": False}, NOT_MET),
    # 5: every month (12), no backlog, nothing protracted
    ("5", {"citizen_reception_months_held": 12}, MET),
    ("5", {"citizen_reception_months_held": 11}, NOT_MET),
    ("5", {"citizen_reception_schedule_posted": False}, NOT_MET),
    ("5", {"citizen_reception_ad_hoc_held": False}, NOT_MET),
    ("5", {"complaints_backlog": 1}, NOT_MET),
    ("5", {"complaints_protracted": 1}, NOT_MET),
    # 6: ratings "trở lên"; every socio-political organisation "Khá" or better
    ("6", {"party_committee_rating": "good"}, MET),
    ("6", {"party_committee_rating": "Hoàn thành nhiệm vụ"}, NOT_MET),
    ("6", {"peoples_committee_title": "advanced_collective"}, MET),
    ("6", {"peoples_committee_title": "Tập thể lao động xuất sắc"}, MET),
    ("6", {"peoples_committee_title": "none"}, NOT_MET),
    ("6", {"socio_political_organisations": ORGS_ALL_GOOD}, MET),
    ("6", {"socio_political_organisations": ORGS_ONE_AVERAGE}, NOT_MET),
    ("6", {"socio_political_organisations": []}, NOT_MET),
    ("6", {"commune_officials_violating_or_disciplined": 0}, MET),
    ("6", {"commune_officials_violating_or_disciplined": 1}, NOT_MET),
    # 7: at least 01 award (implied)
    ("7", {"movement_awards_to_residents_and_officials": 1}, MET),
    ("7", {"movement_awards_to_residents_and_officials": 0}, NOT_MET),
    # 8
    ("8", {"steering_committee_consolidated": False}, NOT_MET),
    ("8", {"steering_committee_has_rules": False}, NOT_MET),
    ("8", {"steering_committee_effective": False}, NOT_MET),
    # 9: at least 01 session
    ("9", {"legal_dissemination_sessions": 1}, MET),
    ("9", {"legal_dissemination_sessions": 0}, NOT_MET),
    ("9", {"official_awareness_work_effective": False}, NOT_MET),
    # 10: every observance
    ("10", {"observance_national_security_day_held": False}, NOT_MET),
    ("10", {"observance_fire_prevention_day_held": False}, NOT_MET),
    ("10", {"observance_drug_action_month_held": False}, NOT_MET),
    ("10", {"observance_anti_drug_day_held": False}, NOT_MET),
    ("10", {"observance_anti_trafficking_day_held": False}, NOT_MET),
    ("10", {"observance_world_environment_day_held": False}, NOT_MET),
    ("10", {"observance_traffic_safety_month_held": False}, NOT_MET),
    ("10", {"local_emulation_movements_held": False}, NOT_MET),
    # 11
    ("11", {"core_security_force_members_violating_or_disciplined": 0}, MET),
    ("11", {"core_security_force_members_violating_or_disciplined": 1}, NOT_MET),
    ("11", {"core_security_forces_consolidated": False}, NOT_MET),
    # 12: monthly briefings (12), six-month and annual reviews
    ("12", {"coordination_briefing_months": 12}, MET),
    ("12", {"coordination_briefing_months": 11}, NOT_MET),
    ("12", {"police_front_coordination_plan": False}, NOT_MET),
    ("12", {"coordination_half_year_review_held": False}, NOT_MET),
    ("12", {"coordination_annual_review_held": False}, NOT_MET),
    # 13: at least 01 of each model
    ("13", {"dan_van_kheo_models": 1, "movement_models": 1}, MET),
    ("13", {"dan_van_kheo_models": 0}, NOT_MET),
    ("13", {"movement_models": 0}, NOT_MET),
    # 14: >= 1 certificate of merit, >= 2 commendations, >= 1 typical example
    ("14", {"certificates_of_merit": 1, "commendations": 2, "typical_examples": 1}, MET),
    ("14", {"certificates_of_merit": 0}, NOT_MET),
    ("14", {"commendations": 1}, NOT_MET),
    ("14", {"typical_examples": 0}, NOT_MET),
    ("14", {"movement_awards_proposed_timely": False}, NOT_MET),
    # 15: "Xuất sắc"; "Khá" still passes the prerequisite
    ("15", {"movement_class": "excellent"}, MET),
    ("15", {"movement_class": "Khá"}, NOT_MET),
    # 16, 17
    ("16", {"complex_hotspots": 0}, MET),
    ("16", {"complex_hotspots": 1}, NOT_MET),
    ("17", {"complex_security_incidents": 1}, NOT_MET),
    ("17", {"gang_style_crime_cases": 1}, NOT_MET),
    ("17", {"black_credit_cases": 1}, NOT_MET),
    # 18: at least 5% fewer than the previous year, inclusive
    ("18", {"crimes_social_order_previous_year": 40, "crimes_social_order": 38}, MET),
    ("18", {"crimes_social_order_previous_year": 40, "crimes_social_order": 39}, NOT_MET),
    ("18", {"crimes_social_order_previous_year": 20, "crimes_social_order": 19}, MET),
    ("18", {"crimes_social_order_previous_year": 20, "crimes_social_order": 20}, NOT_MET),
    ("18", {"crimes_social_order_previous_year": 0, "crimes_social_order": 0}, MET),
    ("18", {"crimes_social_order_previous_year": 0, "crimes_social_order": 1}, NOT_MET),
    ("18", {"crimes_social_order_previous_year": 3, "crimes_social_order": 2}, MET),
    ("18", {"crimes_social_order_previous_year": 3, "crimes_social_order": 3}, NOT_MET),
    # 19: over 10 the year before: >= 20% fewer; 10 or fewer: >= 2 fewer
    ("19", {"drug_addicts_previous_year": 20, "drug_addicts": 16}, MET),
    ("19", {"drug_addicts_previous_year": 20, "drug_addicts": 17}, NOT_MET),
    ("19", {"drug_addicts_previous_year": 11, "drug_addicts": 8}, MET),
    ("19", {"drug_addicts_previous_year": 11, "drug_addicts": 9}, NOT_MET),
    ("19", {"drug_addicts_previous_year": 10, "drug_addicts": 8}, MET),
    ("19", {"drug_addicts_previous_year": 10, "drug_addicts": 9}, NOT_MET),
    ("19", {"drug_addicts_previous_year": 2, "drug_addicts": 0}, MET),
    ("19", {"drug_addicts_previous_year": 2, "drug_addicts": 1}, NOT_MET),
    ("19", {"drug_addicts_previous_year": 1, "drug_addicts": 0}, MET),
    ("19", {"drug_addicts_previous_year": 1, "drug_addicts": 1}, NOT_MET),
    ("19", {"drug_addicts_previous_year": 0, "drug_addicts": 0}, MET),
    ("19", {"drug_addicts_previous_year": 0, "drug_addicts": 1}, NOT_MET),
    ("19", {"drug_addicts": 0, "drug_addicts_previous_year": ...}, MET),
    ("19", {"new_or_relapsed_drug_addicts": 0}, MET),
    ("19", {"new_or_relapsed_drug_addicts": 1}, NOT_MET),
    ("19", {"drug_addicts": 0, "drug_addicts_previous_year": 0, "drug_plant_cases": 1}, NOT_MET),
    # 20: no serious fire; 100% of premises with files
    ("20", {"fire_managed_facilities": 24, "fire_managed_facilities_with_files": 24}, MET),
    ("20", {"fire_managed_facilities": 24, "fire_managed_facilities_with_files": 23}, NOT_MET),
    ("20", {"fire_managed_facilities": 0, "fire_managed_facilities_with_files": 0}, MET),
    ("20", {"fire_managed_facilities": 24, "fire_managed_facilities_with_files": 25}, NOT_MET),
    ("20", {"serious_fire_explosion_incidents": 1}, NOT_MET),
    ("20", {"fire_safety_propaganda_conducted": False}, NOT_MET),
    # 21–24
    ("21", {"serious_traffic_accidents_by_residents": 1}, NOT_MET),
    ("21", {"illegal_racing_incidents": 1}, NOT_MET),
    ("22", {"complex_resource_environment_food_cases": 0}, MET),
    ("22", {"complex_resource_environment_food_cases": 1}, NOT_MET),
    ("23", {"economic_corruption_smuggling_crimes": 0}, MET),
    ("23", {"economic_corruption_smuggling_crimes": 1}, NOT_MET),
    ("24", {"residents_complaint_abuse_incidents": 0}, MET),
    ("24", {"residents_complaint_abuse_incidents": 1}, NOT_MET),
    # 25
    ("25", {"police_security_programme_exists": False}, NOT_MET),
    ("25", {"police_security_programme_effective": False}, NOT_MET),
    # 26: 100% of villages and residential groups inspected
    ("26", {"residential_units": 100, "residential_units_inspected": 100}, MET),
    ("26", {"residential_units": 100, "residential_units_inspected": 99}, NOT_MET),
    # 27: at least 01 training activity
    ("27", {"core_force_training_activities": 1}, MET),
    ("27", {"core_force_training_activities": 0}, NOT_MET),
    # 28
    ("28", {"conditional_business_and_weapons_management_good": False}, NOT_MET),
    ("28", {"residence_and_foreigners_management_good": False}, NOT_MET),
    ("28", {"citizen_id_management_good": False}, NOT_MET),
    ("28", {"population_data_correct_complete_clean_live": False}, NOT_MET),
    ("28", {"admin_reform_and_project_06_guidance": False}, NOT_MET),
    # 29: 100% on file; reoffending under 1.5% (exclusive)
    ("29", {"amnestied_or_released_persons": 200, "amnestied_or_released_reoffenders": 2}, MET),
    ("29", {"amnestied_or_released_persons": 200, "amnestied_or_released_reoffenders": 3}, NOT_MET),
    ("29", {"amnestied_or_released_persons": 67, "amnestied_or_released_reoffenders": 1}, MET),
    ("29", {"amnestied_or_released_persons": 66, "amnestied_or_released_reoffenders": 1}, NOT_MET),
    ("29", {"amnestied_or_released_persons": 0, "amnestied_or_released_reoffenders": 0}, MET),
    ("29", {"amnestied_or_released_persons": 0, "amnestied_or_released_reoffenders": 1}, NOT_MET),
    ("29", {"managed_persons": 100, "managed_persons_with_files": 100}, MET),
    ("29", {"managed_persons": 100, "managed_persons_with_files": 99}, NOT_MET),
    ("29", {"managed_persons_supervision_good": False}, NOT_MET),
    ("29", {"managed_persons_software_updated": False}, NOT_MET),
    # 30: 100% of crime reports handled
    ("30", {"crime_reports": 100, "crime_reports_handled": 100}, MET),
    ("30", {"crime_reports": 100, "crime_reports_handled": 99}, NOT_MET),
    ("30", {"crime_reports": 0, "crime_reports_handled": 0}, MET),
    ("30", {"police_duty_organised": False}, NOT_MET),
    # 31: at least 01 initiative (implied)
    ("31", {"police_admin_improvement_initiatives": 1}, MET),
    ("31", {"police_admin_improvement_initiatives": 0}, NOT_MET),
    ("31", {"police_regulations_and_conduct_observed": False}, NOT_MET),
    # 32, 33
    ("32", {"public_complaints_about_police_conduct": 1}, NOT_MET),
    ("32", {"police_officers_disciplined_security_work": 1}, NOT_MET),
    ("33", {"police_premises_adequate": False}, NOT_MET),
    ("33", {"police_cultural_exemplary_unit": False}, NOT_MET),
    # 34: unit and Party cell "good" or better; 100% of officers "good" or better
    ("34", {"police_unit_rating": "good", "police_party_cell_rating": "good"}, MET),
    ("34", {"police_unit_rating": "done"}, NOT_MET),
    ("34", {"police_party_cell_rating": "done"}, NOT_MET),
    ("34", {"police_officers": 100, "police_officers_rated_good_or_better": 100}, MET),
    ("34", {"police_officers": 100, "police_officers_rated_good_or_better": 99}, NOT_MET),
]


def _case_id(case: tuple[str, dict[str, Any], er.CriterionStatus]) -> str:
    crit, changes, status = case
    text = ",".join(f"{k}={'absent' if v is ... else v}" for k, v in changes.items())
    return f"{crit}-{status.value}-{text[:80]}"


@pytest.mark.parametrize("case", COMMUNE_CASES, ids=[_case_id(c) for c in COMMUNE_CASES])
def test_commune_criterion_boundaries(
    commune: er.RuleSet, case: tuple[str, dict[str, Any], er.CriterionStatus]
) -> None:
    crit, changes, expected = case
    check_only(commune, changed(example("commune-all-met.json"), changes), crit, expected)


def test_every_commune_criterion_is_tested_on_both_sides(commune: er.RuleSet) -> None:
    for c in commune.criteria:
        statuses = {status for crit, _, status in COMMUNE_CASES if crit == c.id}
        assert NOT_MET in statuses, c.id
        assert MET in statuses or c.id in _MET_BY_EXAMPLE, c.id


# Criteria whose "met" side is the all-met example itself (only bools or zero counts).
_MET_BY_EXAMPLE = {"8", "10", "17", "21", "25", "28", "32", "33"}


def test_commune_18_explains_the_threshold(commune: er.RuleSet) -> None:
    evidence = changed(
        example("commune-all-met.json"),
        {"crimes_social_order_previous_year": 40, "crimes_social_order": 39},
    )
    verdict = check_only(commune, evidence, "18", NOT_MET)
    explanation = verdict.criterion("18").explanation
    assert explanation is not None
    needed = {(n.fact, n.op, n.value) for n in explanation.needed}
    assert ("crimes_social_order", "<=", 38) in needed
    assert "tối đa 38 vụ" in verdict.criterion("18").reason.vi


def test_commune_29_three_of_two_hundred_is_exactly_one_and_a_half_percent(
    commune: er.RuleSet,
) -> None:
    evidence = changed(
        example("commune-all-met.json"),
        {"amnestied_or_released_persons": 200, "amnestied_or_released_reoffenders": 3},
    )
    verdict = check_only(commune, evidence, "29", NOT_MET)
    assert "dưới 3 người" in verdict.criterion("29").reason.vi


# ---------------------------------------------------------------------------------------
# typical-organisation
# ---------------------------------------------------------------------------------------
ORG_CASES: list[tuple[str, str, dict[str, Any], er.CriterionStatus]] = [
    ("enterprise.json", "1", {"directives_disseminated_to_all_departments": False}, NOT_MET),
    # 2: first quarter of the assessment year
    ("enterprise.json", "2", {"security_programme_plan_date": "2024-03-31"}, MET),
    ("enterprise.json", "2", {"security_programme_plan_date": "2024-04-01"}, NOT_MET),
    ("enterprise.json", "2", {"security_programme_plan_date": "2023-12-31"}, NOT_MET),
    ("enterprise.json", "2", {"security_programme_plan_effective": False}, NOT_MET),
    # 3
    ("enterprise.json", "3", {"movement_topics_or_models": 1, "good_practices": 1}, MET),
    ("enterprise.json", "3", {"movement_topics_or_models": 0}, NOT_MET),
    ("enterprise.json", "3", {"good_practices": 0}, NOT_MET),
    ("enterprise.json", "3", {"annual_movement_conference_held": False}, NOT_MET),
    # 4
    ("school.json", "4", {"legal_dissemination_sessions": 1}, MET),
    ("school.json", "4", {"legal_dissemination_sessions": 0}, NOT_MET),
    ("school.json", "4", {"staff_awareness_work_effective": False}, NOT_MET),
    # 5
    ("school.json", "5", {"observance_drug_action_month_held": False}, NOT_MET),
    ("school.json", "5", {"observance_anti_drug_day_held": False}, NOT_MET),
    ("school.json", "5", {"observance_world_environment_day_held": False}, NOT_MET),
    ("school.json", "5", {"observance_anti_trafficking_day_held": False}, NOT_MET),
    ("school.json", "5", {"observance_traffic_safety_month_held": False}, NOT_MET),
    ("school.json", "5", {"observance_national_security_day_held": False}, NOT_MET),
    ("school.json", "5", {"observance_fire_prevention_day_held": False}, NOT_MET),
    ("school.json", "5", {"internal_emulation_movements_held": False}, NOT_MET),
    # 6: 100% of guards trained
    ("enterprise.json", "6", {"guard_force_members": 100, "guard_force_members_trained": 100}, MET),
    (
        "enterprise.json",
        "6",
        {"guard_force_members": 100, "guard_force_members_trained": 99},
        NOT_MET,
    ),
    ("enterprise.json", "6", {"guard_force_members": 0, "guard_force_members_trained": 0}, MET),
    ("enterprise.json", "6", {"guard_force_members_violating_or_disciplined": 1}, NOT_MET),
    ("enterprise.json", "6", {"guard_force_consolidated": False}, NOT_MET),
    # 7
    ("enterprise.json", "7", {"awards": 1, "typical_examples": 1}, MET),
    ("enterprise.json", "7", {"awards": 0}, NOT_MET),
    ("enterprise.json", "7", {"typical_examples": 0}, NOT_MET),
    # 8: "Xuất sắc"
    ("enterprise.json", "8", {"movement_class": "Xuất sắc"}, MET),
    ("enterprise.json", "8", {"movement_class": "good"}, NOT_MET),
    # 9, 10
    ("school.json", "9", {"rights_abuse_incidents": 0}, MET),
    ("school.json", "9", {"rights_abuse_incidents": 1}, NOT_MET),
    ("enterprise.json", "10", {"complaints_backlog": 1}, NOT_MET),
    ("enterprise.json", "10", {"complaints_protracted": 1}, NOT_MET),
    # 11: the Party clause only where there is a Party organisation
    ("school.json", "11", {"members_violating_or_disciplined": 1}, NOT_MET),
    ("school.json", "11", {"state_secret_incidents": 1}, NOT_MET),
    ("school.json", "11", {"internal_unity_and_discipline": False}, NOT_MET),
    ("school.json", "11", {"party_members_self_evolution_violations": 1}, NOT_MET),
    ("school.json", "11", {"party_members_self_evolution_violations": ...}, UNKNOWN),
    (
        "school.json",
        "11",
        {"has_party_organisation": False, "party_members_self_evolution_violations": ...},
        MET,
    ),
    ("enterprise.json", "11", {"party_members_self_evolution_violations": ...}, MET),
    # 12: taxes for enterprises only
    ("enterprise.json", "12", {"taxes_paid": True}, MET),
    ("enterprise.json", "12", {"taxes_paid": False}, NOT_MET),
    ("enterprise.json", "12", {"taxes_paid": ...}, UNKNOWN),
    ("school.json", "12", {"taxes_paid": ...}, MET),
    ("school.json", "12", {"taxes_paid": False}, MET),
    ("school.json", "12", {"organisation_kind": "agency", "taxes_paid": False}, MET),
    ("school.json", "12", {"organisation_kind": "Doanh nghiệp", "taxes_paid": False}, NOT_MET),
    ("enterprise.json", "12", {"plan_targets_exceeded": False}, NOT_MET),
    ("enterprise.json", "12", {"wage_arrears": True}, NOT_MET),
    ("enterprise.json", "12", {"insurance_arrears": True}, NOT_MET),
    ("enterprise.json", "12", {"entitlements_fully_implemented": False}, NOT_MET),
    # 13: at least 02 social-welfare activities
    ("enterprise.json", "13", {"social_welfare_activities": 2}, MET),
    ("enterprise.json", "13", {"social_welfare_activities": 1}, NOT_MET),
    ("enterprise.json", "13", {"social_welfare_work_good": False}, NOT_MET),
    # 14: "Tập thể lao động tiên tiến" or better; at least one award
    ("enterprise.json", "14", {"emulation_title": "advanced_collective"}, MET),
    ("enterprise.json", "14", {"emulation_title": "none"}, NOT_MET),
    ("enterprise.json", "14", {"security_awards": 1}, MET),
    ("enterprise.json", "14", {"security_awards": 0}, NOT_MET),
]


@pytest.mark.parametrize(
    "case", ORG_CASES, ids=[f"{case[0][:-5]}-{_case_id(case[1:])}" for case in ORG_CASES]
)
def test_organisation_criterion_boundaries(
    organisation: er.RuleSet, case: tuple[str, str, dict[str, Any], er.CriterionStatus]
) -> None:
    file, crit, changes, expected = case
    verdict = check_only(organisation, changed(example(file), changes), crit, expected)
    if expected is UNKNOWN:
        assert set(verdict.criterion(crit).missing) <= {k for k, v in changes.items() if v is ...}


def test_every_organisation_criterion_is_tested_on_both_sides(organisation: er.RuleSet) -> None:
    for c in organisation.criteria:
        statuses = {status for _, crit, _, status in ORG_CASES if crit == c.id}
        assert NOT_MET in statuses, c.id
        assert MET in statuses or c.id in {"1", "5", "10"}, c.id


def test_enterprise_only_tax_rule(organisation: er.RuleSet) -> None:
    school = example("school.json")
    enterprise = example("enterprise.json")
    assert "taxes_paid" not in school
    assert organisation.evaluate(school).status is er.Status.ELIGIBLE
    unpaid = changed(enterprise, {"taxes_paid": False})
    assert organisation.evaluate(unpaid).not_met == ("12",)
    as_school = changed(unpaid, {"organisation_kind": "school"})
    assert organisation.evaluate(as_school).status is er.Status.ELIGIBLE


# ---------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"safe_standard_year": 2024}, MET),
        ({"safe_standard_year": 2023}, MET),
        ({"safe_standard_year": 2022}, NOT_MET),
        ({"safe_standard_year": 2025}, NOT_MET),
        ({"safe_standard_achieved": False}, NOT_MET),
    ],
)
def test_prerequisite_safe_standard_year_window(
    prerequisites: er.RuleSet, changes: dict[str, Any], expected: er.CriterionStatus
) -> None:
    evidence = changed(example("commune-all-met.json"), changes)
    relevant = {k: evidence[k] for k in prerequisites.facts if k in evidence}
    verdict = prerequisites.evaluate(relevant)
    assert verdict.criterion("1").status is expected
    assert verdict.criterion("2").status is MET


@pytest.mark.parametrize(
    ("movement_class", "expected"),
    [("excellent", MET), ("good", MET), ("Khá", MET), ("average", NOT_MET), ("Yếu", NOT_MET)],
)
def test_prerequisite_movement_class_good_or_better(
    prerequisites: er.RuleSet, movement_class: str, expected: er.CriterionStatus
) -> None:
    evidence = {
        "assessment_year": 2024,
        "safe_standard_achieved": True,
        "safe_standard_year": 2024,
        "movement_class": movement_class,
    }
    verdict = prerequisites.evaluate(evidence)
    assert verdict.criterion("2").status is expected
    assert verdict.criterion("1").status is MET


@pytest.mark.parametrize(
    ("rule_set", "file"),
    [("typical-commune", "commune-all-met.json"), ("typical-organisation", "enterprise.json")],
)
def test_prerequisite_failing_makes_the_unit_not_eligible(
    lib: er.Library, rule_set: str, file: str
) -> None:
    rs = lib.load(rule_set, on=ON)
    evidence = changed(example(file), {"safe_standard_achieved": False})
    verdict = rs.evaluate(evidence)
    assert verdict.not_met == ()  # every criterion is met ...
    assert verdict.status is er.Status.NOT_ELIGIBLE  # ... but the prerequisite is not
    assert "typical-prerequisites" in verdict.reason.vi
    assert "typical-prerequisites" in verdict.reason.en
    assert "điều kiện tiên quyết" in verdict.reason.vi
    (pre,) = verdict.prerequisites
    assert pre.name == "prerequisites"
    assert pre.status is er.Status.NOT_ELIGIBLE
    assert pre.failed == ("1",)


def test_prerequisite_movement_class_average_fails_both(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(
        changed(example("commune-all-met.json"), {"movement_class": "average"})
    )
    assert verdict.not_met == ("15",)
    assert verdict.prerequisites[0].failed == ("2",)
    assert "typical-prerequisites" in verdict.reason.en


# ---------------------------------------------------------------------------------------
# Missing evidence
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fact", "criterion"),
    [
        ("crimes_social_order", "18"),
        ("crimes_social_order_previous_year", "18"),
        ("drug_addicts_previous_year", "19"),
        ("amnestied_or_released_persons", "29"),
        ("party_committee_rating", "6"),
        ("steering_committee_programme_date", "2"),
        ("police_officers_rated_good_or_better", "34"),
        ("residential_units_inspected", "26"),
        ("directives_disseminated_to_all_subunits", "1"),
    ],
)
def test_missing_fact_makes_its_criterion_unknown(
    commune: er.RuleSet, fact: str, criterion: str
) -> None:
    evidence = changed(example("commune-all-met.json"), {fact: ...})
    verdict = check_only(commune, evidence, criterion, UNKNOWN)
    assert fact in verdict.criterion(criterion).missing
    assert fact in verdict.criterion(criterion).reason.vi


def test_missing_record_field_is_named(commune: er.RuleSet) -> None:
    orgs = [dict(o) for o in example("commune-all-met.json")["socio_political_organisations"]]
    del orgs[1]["rating"]
    evidence = changed(example("commune-all-met.json"), {"socio_political_organisations": orgs})
    verdict = check_only(commune, evidence, "6", UNKNOWN)
    assert "socio_political_organisations[1].rating" in verdict.criterion("6").missing


def test_missing_assessment_year_leaves_the_prerequisite_and_criterion_2_open(
    commune: er.RuleSet,
) -> None:
    verdict = commune.evaluate(changed(example("commune-all-met.json"), {"assessment_year": ...}))
    assert verdict.unknown == ("2",)
    assert verdict.status is er.Status.UNDETERMINED
    assert verdict.prerequisites[0].status is er.Status.UNDETERMINED
    assert "assessment_year" in verdict.prerequisites[0].missing


# ---------------------------------------------------------------------------------------
# The examples
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule_set", "file", "status", "not_met", "unknown"),
    [
        ("typical-commune", "commune-all-met.json", er.Status.ELIGIBLE, (), ()),
        ("typical-commune", "commune-fails-18-19.json", er.Status.NOT_ELIGIBLE, ("18", "19"), ()),
        ("typical-commune", "commune-missing-evidence.json", er.Status.UNDETERMINED, (), None),
        ("typical-organisation", "enterprise.json", er.Status.ELIGIBLE, (), ()),
        ("typical-organisation", "school.json", er.Status.ELIGIBLE, (), ()),
    ],
)
def test_examples(
    lib: er.Library,
    rule_set: str,
    file: str,
    status: er.Status,
    not_met: tuple[str, ...],
    unknown: tuple[str, ...] | None,
) -> None:
    evidence = example(file)
    assert isinstance(evidence.get("unit_id"), str)
    verdict = lib.load(rule_set, on=ON).evaluate(evidence, explain=True)
    assert verdict.status is status, verdict.reason.en
    assert verdict.not_met == not_met
    if unknown is not None:
        assert verdict.unknown == unknown
    else:
        assert verdict.unknown
    assert verdict.unit == evidence["unit_id"]
    assert all(p.status is er.Status.ELIGIBLE for p in verdict.prerequisites)


def test_example_files_are_utf8_with_diacritics() -> None:
    text = (EXAMPLES / "commune-all-met.json").read_text(encoding="utf-8")
    assert "Hòa Bình" in text and "Hoàn thành tốt nhiệm vụ" in text


# ---------------------------------------------------------------------------------------
# Shape: counts, groups, source record, texts, parameters
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule_set", "ranges"),
    [
        (
            "typical-commune",
            {"leadership": (1, 7), "movement": (8, 14), "security": (15, 24), "police": (25, 34)},
        ),
        (
            "typical-organisation",
            {"leadership": (1, 8), "security": (9, 10), "organisation": (11, 14)},
        ),
    ],
)
def test_criteria_count_order_and_groups(
    lib: er.Library, rule_set: str, ranges: dict[str, tuple[int, int]]
) -> None:
    rs = lib.load(rule_set, on=ON)
    total = max(hi for _, hi in ranges.values())
    assert len(rs.criteria) == total
    assert [c.spec.number for c in rs.criteria] == list(range(1, total + 1))
    assert [c.id for c in rs.criteria] == [str(n) for n in range(1, total + 1)]
    assert [g.id for g in rs.definition.groups] == list(ranges)
    assert [g.number for g in rs.definition.groups] == list(range(1, len(ranges) + 1))
    for c in rs.criteria:
        lo, hi = ranges[c.spec.group]
        assert lo <= c.spec.number <= hi, c.id


@pytest.mark.parametrize(
    ("rule_set", "part", "applies_to"),
    [
        ("typical-commune", "Phụ lục I", ["commune"]),
        ("typical-organisation", "Phụ lục II", ["organisation", "agency", "enterprise", "school"]),
    ],
)
def test_source_record_keeps_both_numbers(
    lib: er.Library, rule_set: str, part: str, applies_to: list[str]
) -> None:
    rs = lib.load(rule_set, on=ON)
    d = rs.definition
    source = d.source
    assert source.document == "9475/QĐ-BCA-V05"
    assert source.also_cited_as == ("9745/QĐ-BCA-V05",)
    assert source.date == date(2022, 12, 28)
    assert source.issuer == "Bộ trưởng Bộ Công an"
    assert source.part == part
    assert source.quoted_in == "Kế hoạch 99/KH-BCĐ ngày 09/4/2024 của Ban Chỉ đạo 138 huyện Hậu Lộc"
    assert source.note is not None and "9475" in source.note and "9745" in source.note
    assert d.effective.from_ == date(2022, 12, 28)
    assert [k.value for k in d.applies_to] == applies_to
    assert [p.definition.id for p in d.prerequisites] == ["typical-prerequisites"]
    for c in rs.criteria:
        assert c.citation.document == "9475/QĐ-BCA-V05"
        assert c.citation.also_cited_as == ("9745/QĐ-BCA-V05",)
        assert c.citation.part == f"{part}, tiêu chí {c.spec.number}"


def test_prerequisites_source_and_scope(prerequisites: er.RuleSet) -> None:
    d = prerequisites.definition
    assert d.source.document == "99/KH-BCĐ"
    assert d.source.part == "Mục II.2"
    assert [k.value for k in d.applies_to] == [
        "commune",
        "organisation",
        "agency",
        "enterprise",
        "school",
    ]
    assert prerequisites.parameters["safe_standard_year_window"] == 1


def _transcription(path: Path) -> dict[str, tuple[str, str]]:
    """Criterion number → (vi, en) of a docs/sources transcription."""
    out: dict[str, tuple[str, str]] = {}
    current = None
    vi = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## Tiêu chí (\d+) — ", line)
        if heading:
            current = heading.group(1)
        elif current and line.startswith("- Text (vi): "):
            vi = line.removeprefix("- Text (vi): ").strip()
        elif current and line.startswith("- Text (en): "):
            out[current] = (vi, line.removeprefix("- Text (en): ").strip())
    return out


@pytest.mark.parametrize(
    ("rule_set", "source_file"),
    [
        ("typical-commune", "qd-9475-annex-I-commune.md"),
        ("typical-organisation", "qd-9475-annex-II-organisation.md"),
    ],
)
def test_official_text_is_the_transcription_word_for_word(
    lib: er.Library, rule_set: str, source_file: str
) -> None:
    texts = _transcription(SOURCES / source_file)
    rs = lib.load(rule_set, on=ON)
    assert len(texts) == len(rs.criteria)
    for c in rs.criteria:
        assert c.spec.text.vi == texts[c.id][0], c.id
        assert c.spec.text.en, c.id


VIETNAMESE = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I
)


@pytest.mark.parametrize(
    "rule_set", ["typical-prerequisites", "typical-commune", "typical-organisation"]
)
def test_bilingual_labels_and_cited_parameters(lib: er.Library, rule_set: str) -> None:
    rs = lib.load(rule_set, on=ON)
    d = rs.definition
    texts = [d.title, d.description]
    texts += [f.label for f in d.facts.values()]
    texts += [p.label for p in d.parameters.values()]
    texts += [g.title for g in d.groups]
    for c in rs.criteria:
        texts.append(c.spec.title)
        if c.spec.note is not None:
            texts.append(c.spec.note)
        if c.spec.explain is not None:
            texts.append(c.spec.explain)
    for t in texts:
        assert t.vi.strip() and t.en.strip(), t
        assert VIETNAMESE.search(t.vi), t.vi  # Vietnamese with its diacritics
    for name, p in d.parameters.items():
        assert p.source.part, name
        readers = [c for c in rs.criteria if name in c.parameters]
        assert readers, f"parameter {name} is not read by any criterion"
        if rule_set != "typical-prerequisites":
            cited = {int(n) for n in re.findall(r"tiêu chí (\d+)", p.source.part)}
            assert cited & {c.spec.number for c in readers}, name
            assert p.source.also_cited_as == ("9745/QĐ-BCA-V05",), name


@pytest.mark.parametrize(
    ("rule_set", "name", "value"),
    [
        ("typical-commune", "crime_reduction_min", "0.05"),
        ("typical-commune", "drug_addicts_band", "10"),
        ("typical-commune", "drug_addicts_reduction_rate_min", "0.20"),
        ("typical-commune", "drug_addicts_reduction_persons_min", "2"),
        ("typical-commune", "reoffending_rate_under", "0.015"),
        ("typical-commune", "commendations_min", "2"),
        ("typical-commune", "certificates_of_merit_min", "1"),
        ("typical-commune", "plan_deadline_quarter", "1"),
        ("typical-commune", "citizen_reception_months_min", "12"),
        ("typical-commune", "coordination_briefing_months_min", "12"),
        ("typical-commune", "residential_units_inspected_share", "1"),
        ("typical-organisation", "guards_trained_share", "1"),
        ("typical-organisation", "social_welfare_activities_min", "2"),
    ],
)
def test_numbers_of_the_text_are_parameters(
    lib: er.Library, rule_set: str, name: str, value: str
) -> None:
    assert Decimal(lib.load(rule_set, on=ON).parameters[name]) == Decimal(value)


@pytest.mark.parametrize(
    ("rule_set", "file"),
    [
        ("typical-commune", "commune-all-met.json"),
        ("typical-organisation", "enterprise.json"),
        ("typical-organisation", "school.json"),
    ],
)
def test_improving_a_fact_in_its_better_direction_keeps_the_unit_eligible(
    lib: er.Library, rule_set: str, file: str
) -> None:
    rs = lib.load(rule_set, on=ON)
    base = example(file)
    improved = 0
    for name, spec in rs.facts.items():
        if spec.better is None or name not in base:
            continue
        if spec.type is FactType.ENUM:
            assert spec.enum is not None
            value: Any = rs.definition.enumerations[spec.enum].levels[0].id
        elif spec.better is Direction.LOWER:
            value = 0
        else:
            value = base[name] + 7 if spec.max is None else spec.max
        verdict = rs.evaluate(changed(base, {name: value}))
        assert verdict.status is er.Status.ELIGIBLE, (name, value, verdict.reason.en)
        improved += 1
    assert improved >= 10
