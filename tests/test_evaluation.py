"""Evaluating units against demo-commune and demo-functions: every criterion on both
sides of its threshold and at the boundary, exact arithmetic, three-valued logic for
missing facts, overall statuses, batches and prerequisites."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

import emulation_rules as er
from support import ELIGIBLE, FUNCTIONS_UNIT, ON, RULESETS

MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)


def status_of(rs: er.RuleSet, evidence: dict[str, Any], criterion: str) -> er.CriterionStatus:
    """The criterion's status, checked to be the same with and without explanation."""
    brief = rs.evaluate(evidence).criterion(criterion)
    full = rs.evaluate(evidence, explain=True).criterion(criterion)
    assert brief.status is full.status
    assert brief.missing == full.missing
    return brief.status


# -- demo-commune, criterion by criterion ----------------------------------------------

COMMUNE_CASES = [
    # criterion 2: resolution in the first quarter (month <= 3)
    ("2", {"resolution_date": "2024-03-31"}, MET),
    ("2", {"resolution_date": "2024-01-01"}, MET),
    ("2", {"resolution_date": date(2024, 3, 1)}, MET),
    ("2", {"resolution_date": "2024-04-01"}, NOT_MET),
    ("2", {"resolution_date": "2024-12-31"}, NOT_MET),
    # criterion 6: ratings or better, and no violation
    (
        "6",
        {"party_rating": "good", "committee_title": "advanced_collective", "no_violations": True},
        MET,
    ),
    (
        "6",
        {"party_rating": "excellent", "committee_title": "government_flag", "no_violations": True},
        MET,
    ),
    (
        "6",
        {"party_rating": "done", "committee_title": "advanced_collective", "no_violations": True},
        NOT_MET,
    ),
    ("6", {"party_rating": "good", "committee_title": "none", "no_violations": True}, NOT_MET),
    (
        "6",
        {"party_rating": "good", "committee_title": "advanced_collective", "no_violations": False},
        NOT_MET,
    ),
    # criterion 18: a reduction of at least 5% (2024): 40 → at most 38
    ("18", {"crimes_previous_year": 40, "crimes": 38}, MET),
    ("18", {"crimes_previous_year": 40, "crimes": 39}, NOT_MET),
    ("18", {"crimes_previous_year": 40, "crimes": 0}, MET),
    ("18", {"crimes_previous_year": 41, "crimes": 38}, MET),  # 38.95 allowed
    ("18", {"crimes_previous_year": 41, "crimes": 39}, NOT_MET),
    ("18", {"crimes_previous_year": 20, "crimes": 19}, MET),  # exactly 5%: 19.00
    ("18", {"crimes_previous_year": 0, "crimes": 0}, MET),
    ("18", {"crimes_previous_year": 0, "crimes": 1}, NOT_MET),
    # criterion 29: re-offending *under* 1.5% (or nobody amnestied)
    ("29", {"amnestied": 200, "reoffenders": 2}, MET),
    ("29", {"amnestied": 200, "reoffenders": 3}, NOT_MET),  # exactly 1.5%: not under
    ("29", {"amnestied": 1000, "reoffenders": 14}, MET),
    ("29", {"amnestied": 1000, "reoffenders": 15}, NOT_MET),
    ("29", {"amnestied": 0, "reoffenders": 0}, MET),
    ("29", {"amnestied": 0, "reoffenders": 5}, MET),
    ("29", {"amnestied": 1, "reoffenders": 0}, MET),
    # criterion 30: at least 80% of tips (given 0–100)
    ("30", {"tips_share": 80}, MET),
    ("30", {"tips_share": 80.0}, MET),
    ("30", {"tips_share": Decimal("80.00")}, MET),
    ("30", {"tips_share": 100}, MET),
    ("30", {"tips_share": 79.9}, NOT_MET),
    ("30", {"tips_share": Decimal("79.99")}, NOT_MET),
    ("30", {"tips_share": 0}, NOT_MET),
    # criterion 31: every team record has a good deed or a commended member
    ("31", {"teams": [{"team": "A", "good_deeds": 1, "commended": 0}]}, MET),
    ("31", {"teams": [{"team": "A", "good_deeds": 0, "commended": 1}]}, MET),
    (
        "31",
        {
            "teams": [
                {"team": "A", "good_deeds": 1, "commended": 0},
                {"team": "B", "good_deeds": 0, "commended": 0},
            ]
        },
        NOT_MET,
    ),
    ("31", {"teams": []}, NOT_MET),  # at least one record
    # criterion 32: funding
    ("32", {"funding": 1.5, "no_violations": False}, MET),
    ("32", {"funding": 0, "no_violations": True}, NOT_MET),
]


@pytest.mark.parametrize(("criterion", "evidence", "expected"), COMMUNE_CASES)
def test_commune_criteria(
    commune: er.RuleSet, criterion: str, evidence: dict[str, Any], expected: er.CriterionStatus
) -> None:
    assert status_of(commune, evidence, criterion) is expected


def test_the_eligible_unit_is_eligible(commune: er.RuleSet) -> None:
    for explain in (False, True):
        verdict = commune.evaluate(ELIGIBLE, explain=explain)
        assert verdict.status is er.Status.ELIGIBLE
        assert verdict.met == ("2", "6", "18", "29", "30", "31", "32")
        assert verdict.not_met == () and verdict.unknown == ()
        assert verdict.reason == er.model.Text(
            "Đủ điều kiện: đạt 7/7 tiêu chí.", "Eligible: 7 of 7 criteria met."
        )
        assert verdict.unit == "Xã Phú Lộc"


def test_one_failed_criterion_makes_the_unit_not_eligible(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({**ELIGIBLE, "crimes": 39, "reoffenders": 3})
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert verdict.not_met == ("18", "29")
    assert verdict.reason.en == "Not eligible: criteria not met: 18, 29."
    assert verdict.reason.vi == "Không đủ điều kiện: không đạt tiêu chí 18, 29."


def test_missing_evidence_leaves_the_unit_undetermined(commune: er.RuleSet) -> None:
    unit = {k: v for k, v in ELIGIBLE.items() if k not in ("tips_share", "funding")}
    verdict = commune.evaluate(unit)
    assert verdict.status is er.Status.UNDETERMINED
    assert verdict.unknown == ("30", "32")
    assert verdict.criterion("30").missing == ("tips_share",)
    assert verdict.criterion("32").missing == ("funding",)
    assert "30, 32" in verdict.reason.en


def test_a_failed_criterion_outweighs_missing_evidence(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({"crimes": 39, "crimes_previous_year": 40})
    assert verdict.status is er.Status.NOT_ELIGIBLE


def test_null_is_not_given(commune: er.RuleSet) -> None:
    assert commune.evaluate({**ELIGIBLE, "tips_share": None}).criterion("30").status is UNKNOWN


# -- missing facts: unknown, never false ------------------------------------------------


@pytest.mark.parametrize(
    ("criterion", "evidence", "expected", "missing"),
    [
        ("18", {"crimes": 10}, UNKNOWN, ("crimes_previous_year",)),
        ("18", {}, UNKNOWN, ("crimes", "crimes_previous_year")),
        # false and unknown = false
        ("6", {"party_rating": "done"}, NOT_MET, ()),
        ("6", {"no_violations": False}, NOT_MET, ()),
        ("6", {"party_rating": "good", "committee_title": "none"}, NOT_MET, ()),
        ("6", {"party_rating": "good", "no_violations": True}, UNKNOWN, ("committee_title",)),
        # true or unknown = true
        ("29", {"amnestied": 0}, MET, ()),
        ("29", {"amnestied": 200}, UNKNOWN, ("reoffenders",)),
        ("29", {"reoffenders": 0}, UNKNOWN, ("amnestied",)),
        # a record lacking a field
        ("31", {"teams": [{"team": "A", "good_deeds": 0}]}, UNKNOWN, ("teams[0].commended",)),
        ("31", {"teams": [{"team": "A", "good_deeds": 2}]}, MET, ()),
        (
            "31",
            {"teams": [{"team": "A"}, {"team": "B", "good_deeds": 0, "commended": 0}]},
            NOT_MET,
            (),
        ),
        (
            "31",
            {"teams": [{"team": "A", "commended": None}, {"team": "B", "good_deeds": 1}]},
            UNKNOWN,
            ("teams[0].good_deeds", "teams[0].commended", "teams[1].commended"),
        ),
        # if … then … else with an unknown condition
        ("32", {"no_violations": True}, UNKNOWN, ("funding",)),
        ("32", {"funding": 0}, NOT_MET, ()),
    ],
)
def test_missing_facts_are_unknown_never_false(
    commune: er.RuleSet,
    criterion: str,
    evidence: dict[str, Any],
    expected: er.CriterionStatus,
    missing: tuple[str, ...],
) -> None:
    assert status_of(commune, evidence, criterion) is expected
    result = commune.evaluate(evidence).criterion(criterion)
    assert set(result.missing) == set(missing)
    if expected is UNKNOWN:
        assert "Missing: " in result.reason.en and "Chưa có số liệu: " in result.reason.vi


def test_empty_evidence(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({})
    assert verdict.status is er.Status.UNDETERMINED
    assert verdict.unknown == ("2", "6", "18", "29", "30", "31", "32")
    assert verdict.unit is None


# -- exact arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(("cases", "expected"), [(62, MET), (63, MET), (64, NOT_MET)])
def test_63_is_at_most_seventy_percent_of_90(
    functions: er.RuleSet, cases: int, expected: er.CriterionStatus
) -> None:
    assert status_of(functions, {"cases": cases}, "exact") is expected


def test_percentages_are_exact(commune: er.RuleSet) -> None:
    # 1.5% of 1000 is exactly 15; of 333 it is 4.995
    assert status_of(commune, {"amnestied": 333, "reoffenders": 4}, "29") is MET
    assert status_of(commune, {"amnestied": 333, "reoffenders": 5}, "29") is NOT_MET
    # 80% given as a float that is not exactly 80 in binary
    assert status_of(commune, {"tips_share": 79.99999999999999}, "30") is NOT_MET
    assert status_of(commune, {"tips_share": 0.1 + 79.9}, "30") is MET  # 80.00000000000001


def test_large_integers_are_refused_or_computed_exactly(commune: er.RuleSet) -> None:
    """Regression (found by this suite, fixed since): arithmetic runs in the default
    decimal context (28 significant digits), so integers of more than 28 digits were
    rounded: crimes_previous_year = 10**30 + 40 gave max_allowed = 95 * 10**28 instead of
    95 * 10**28 + 38, and crimes = 95 * 10**28 + 10 was wrongly not met."""
    evidence = {"crimes_previous_year": 10**30 + 40, "crimes": 95 * 10**28 + 10}
    try:
        status = status_of(commune, evidence, "18")
    except er.EvidenceError as exc:  # refused: integers are bounded
        assert {p.path for p in exc.problems} == {("crimes",), ("crimes_previous_year",)}
    else:
        assert status is MET


def test_arithmetic_is_exact_for_the_largest_accepted_counts(commune: er.RuleSet) -> None:
    previous = 10**15 - 20  # a reduction of 5% allows exactly previous * 0.95 cases
    allowed = previous * 95 // 100
    assert allowed * 100 == previous * 95
    evidence = {"crimes_previous_year": previous, "crimes": allowed}
    assert status_of(commune, evidence, "18") is MET
    assert status_of(commune, {**evidence, "crimes": allowed + 1}, "18") is NOT_MET


# -- demo-functions: the expression language end to end -----------------------------------

FUNCTION_CASES = [
    ("dates", {}, MET),
    ("dates", {"end_date": "2024-04-01"}, NOT_MET),  # quarter 2
    ("dates", {"start_date": "2023-12-01"}, NOT_MET),  # 121 days
    ("dates", {"end_date": "2024-02-29", "start_date": "2024-01-01"}, NOT_MET),  # day 29
    ("levels", {}, MET),
    ("levels", {"rating": "Task completed"}, NOT_MET),
    ("levels", {"movement": "average"}, NOT_MET),
    ("levels", {"movement": "Xuất sắc", "rating": "excellent"}, MET),
    ("texts", {"village": "Thôn 2"}, MET),
    ("texts", {"village": "Thôn 3"}, NOT_MET),
    ("texts", {"village": "thôn 1"}, NOT_MET),  # texts compare exactly
    ("chain", {"score": 10}, MET),
    ("chain", {"score": 0}, NOT_MET),
    ("chain", {"score": 4.5}, NOT_MET),  # within 1 of 5
    ("chain", {"score": 4}, MET),
    ("aggregates", {}, MET),
    ("aggregates", {"teams": [dict(FUNCTIONS_UNIT["teams"][0], month=12)]}, NOT_MET),
    ("aggregates", {"teams": [dict(t, rating="done") for t in FUNCTIONS_UNIT["teams"]]}, NOT_MET),
    ("aggregates", {"teams": [dict(t, month=7) for t in FUNCTIONS_UNIT["teams"]]}, NOT_MET),
    ("conditional", {"share": 50, "score": 3}, MET),
    ("conditional", {"share": 50, "score": 2.9}, NOT_MET),
    ("conditional", {"share": 49.9, "score": 7.1}, MET),  # ceil(7.1) = 8
    ("conditional", {"share": 49.9, "score": 7}, NOT_MET),
    ("deadline", {}, MET),
    ("deadline", {"end_date": "2024-04-01"}, NOT_MET),
    ("deadline", {"start_date": "2024-03-31", "end_date": "2024-03-30"}, NOT_MET),
    ("counted", {}, MET),
    ("counted", {"teams": [dict(FUNCTIONS_UNIT["teams"][0], coverage=59.9)]}, NOT_MET),
    ("counted", {"teams": [dict(FUNCTIONS_UNIT["teams"][0], coverage=1, active=False)]}, NOT_MET),
    ("qualified", {}, MET),
    ("qualified", {"rating": "done"}, NOT_MET),
    ("qualified", {"dismissed": True}, NOT_MET),
]


@pytest.mark.parametrize(("criterion", "change", "expected"), FUNCTION_CASES)
def test_functions_criteria(
    functions: er.RuleSet, criterion: str, change: dict[str, Any], expected: er.CriterionStatus
) -> None:
    assert status_of(functions, {**FUNCTIONS_UNIT, **change}, criterion) is expected


def test_functions_unit_is_eligible(functions: er.RuleSet) -> None:
    assert functions.evaluate(FUNCTIONS_UNIT).status is er.Status.ELIGIBLE


@pytest.mark.parametrize(
    ("criterion", "teams", "expected"),
    [
        # a count with an undecided record is unknown
        ("aggregates", [{"month": 1}, {"month": 6}, {"month": 6, "active": None}], UNKNOWN),
        # all(t.coverage >= 60% for t in teams if t.active): a failing active team decides
        (
            "counted",
            [{"active": True, "coverage": 10}, {"active": None, "coverage": None}],
            NOT_MET,
        ),
        (
            "counted",
            [{"active": True, "coverage": 70}, {"active": True, "coverage": None}],
            UNKNOWN,
        ),
        # a record filtered out needs no coverage
        ("counted", [{"active": False, "coverage": None}, {"active": True, "coverage": 70}], MET),
    ],
)
def test_aggregates_over_records_with_missing_fields(
    functions: er.RuleSet, criterion: str, teams: list[dict[str, Any]], expected: er.CriterionStatus
) -> None:
    full = FUNCTIONS_UNIT["teams"][0]
    records = [{**full, **t} for t in teams]
    assert status_of(functions, {**FUNCTIONS_UNIT, "teams": records}, criterion) is expected


# -- identity of the verdict --------------------------------------------------------------


def test_verdict_records_the_rule_set_and_the_date(library: er.Library) -> None:
    for on in (ON, date(2025, 2, 1)):
        rs = library.load("demo-commune", on=on)
        verdict = rs.evaluate({})
        assert verdict.ruleset == er.model.RuleSetRef("demo-commune", "2024.1", rs.sha256)
        assert verdict.evaluated_on == on
        assert len(verdict.ruleset.sha256) == 64


def test_unit_name(commune: er.RuleSet) -> None:
    assert commune.evaluate({"unit_id": "A"}).unit == "A"
    assert commune.evaluate({"unit_id": "A"}, unit="B").unit == "B"
    assert commune.evaluate({}, unit="C").unit == "C"


def test_criterion_lookup(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({})
    assert verdict.criterion("18") is verdict.criterion(18)
    assert verdict.criterion("18").number == 18 and verdict.criterion("18").group == "security"
    with pytest.raises(KeyError):
        verdict.criterion("99")


# -- evidence as an attrs instance ---------------------------------------------------------


@attrs.define
class CommuneEvidence:
    crimes: int | None = None
    crimes_previous_year: int | None = None
    tips_share: float | None = None


def test_evidence_may_be_an_attrs_instance(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(CommuneEvidence(38, 40, 80.0))
    assert verdict.criterion("18").status is MET
    assert verdict.criterion("30").status is MET
    assert verdict.criterion("29").status is UNKNOWN
    assert (
        commune.evaluate(CommuneEvidence(crimes=39, crimes_previous_year=40)).criterion("18").status
        is NOT_MET
    )


# -- batches -----------------------------------------------------------------------------


def test_evaluate_many_in_order(commune: er.RuleSet) -> None:
    units = [{**ELIGIBLE, "unit_id": f"Xã {i}", "crimes": 35 + i} for i in range(6)]
    verdicts = list(commune.evaluate_many(units))
    assert [v.unit for v in verdicts if isinstance(v, er.Verdict)] == [f"Xã {i}" for i in range(6)]
    statuses = [v.status for v in verdicts if isinstance(v, er.Verdict)]
    assert statuses == [er.Status.ELIGIBLE] * 4 + [er.Status.NOT_ELIGIBLE] * 2


def test_evaluate_many_is_lazy(commune: er.RuleSet) -> None:
    consumed = []

    def units() -> Iterator[dict[str, Any]]:
        for i in range(3):
            consumed.append(i)
            yield {"crimes": i}

    batch = commune.evaluate_many(units())
    assert consumed == []
    next(batch)
    assert consumed == [0]


def test_evaluate_many_raise_names_the_position(commune: er.RuleSet) -> None:
    units = [{"crimes": 1}, {"crimes": 2}, {"crimes": -1, "unit_id": "bad"}, {"crimes": 3}]
    batch = commune.evaluate_many(units)
    assert isinstance(next(batch), er.Verdict) and isinstance(next(batch), er.Verdict)
    with pytest.raises(er.EvidenceError) as info:
        next(batch)
    assert info.value.problems[0].path == (2, "crimes")
    assert info.value.unit == "bad"


def test_evaluate_many_return_yields_errors_in_place(commune: er.RuleSet) -> None:
    units = [{"crimes": 1}, {"crimes": "x"}, [], {"crimez": 1}, {"crimes": 2}]
    out = list(commune.evaluate_many(units, errors="return", explain=True))
    assert [type(o).__name__ for o in out] == [
        "Verdict",
        "EvidenceError",
        "EvidenceError",
        "EvidenceError",
        "Verdict",
    ]
    assert [p.path for p in out[1].problems] == [(1, "crimes")]  # type: ignore[union-attr]
    assert [p.path for p in out[2].problems] == [(2,)]  # type: ignore[union-attr]
    assert [p.path for p in out[3].problems] == [(3, "crimez")]  # type: ignore[union-attr]
    assert out[0].criterion("18").explanation is not None  # type: ignore[union-attr]


def test_evaluate_many_refuses_an_unknown_error_mode(commune: er.RuleSet) -> None:
    with pytest.raises(ValueError, match="errors: must be"):
        list(commune.evaluate_many([{}], errors="ignore"))


# -- prerequisites -------------------------------------------------------------------------


def test_failing_prerequisite_blocks_an_otherwise_eligible_unit(commune: er.RuleSet) -> None:
    for explain in (False, True):
        verdict = commune.evaluate({**ELIGIBLE, "safe_standard_achieved": False}, explain=explain)
        assert verdict.status is er.Status.NOT_ELIGIBLE
        assert verdict.met == ("2", "6", "18", "29", "30", "31", "32")
        assert "prerequisite not met (demo-prerequisites)" in verdict.reason.en
        assert "điều kiện lựa chọn (demo-prerequisites)" in verdict.reason.vi
        (pre,) = verdict.prerequisites
        assert pre.status is er.Status.NOT_ELIGIBLE and pre.failed == ("P1",)


def test_failing_prerequisite_blocks_even_with_missing_evidence(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({"movement_class": "weak"})
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert verdict.prerequisites[0].failed == ("P2",)
    assert "prerequisite not met" in verdict.reason.en


def test_undetermined_prerequisite(commune: er.RuleSet) -> None:
    unit = {k: v for k, v in ELIGIBLE.items() if k != "movement_class"}
    verdict = commune.evaluate(unit)
    assert verdict.status is er.Status.UNDETERMINED
    assert verdict.prerequisites[0].status is er.Status.UNDETERMINED
    assert verdict.prerequisites[0].missing == ("movement_class",)
    assert "prerequisite undetermined" in verdict.reason.en


def test_undetermined_prerequisite_does_not_hide_a_failure(commune: er.RuleSet) -> None:
    unit = {k: v for k, v in ELIGIBLE.items() if k != "movement_class"}
    verdict = commune.evaluate({**unit, "crimes": 40})
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert verdict.reason.en == "Not eligible: criteria not met: 18."


def test_prerequisite_facts_accept_labels(commune: er.RuleSet) -> None:
    for spelling in ("good", "Khá", "khá", "Good", "excellent"):
        verdict = commune.evaluate({**ELIGIBLE, "movement_class": spelling})
        assert verdict.status is er.Status.ELIGIBLE


def test_prerequisite_results_reused_equal_fresh_ones(commune: er.RuleSet) -> None:
    """A prerequisite whose criteria were all met has its result made once and reused:
    the same as a freshly loaded rule set gives, unit after unit, in any order."""
    units = [
        ELIGIBLE,
        {**ELIGIBLE, "safe_standard_achieved": False},  # not eligible: P1 failed
        {**ELIGIBLE, "movement_class": "weak"},  # not eligible: P2 failed
        {**ELIGIBLE, "movement_class": None},  # undetermined: one fact missing
        {**ELIGIBLE, "safe_standard_achieved": None},  # undetermined: the other
        ELIGIBLE,
    ]
    for unit in [*units, *reversed(units)]:
        fresh = er.Library([RULESETS], shipped=False).load("demo-commune", on=ON)
        for explain in (False, True):
            got = commune.evaluate(unit, explain=explain).prerequisites
            assert got == fresh.evaluate(unit, explain=explain).prerequisites
