"""Evidence validation: what is accepted (and how it is read), what is refused, and that
every problem is reported at once with its path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import emulation_rules as er
from support import ELIGIBLE, FUNCTIONS_UNIT

MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)


def problems_of(rs: er.RuleSet, evidence: Any) -> list[tuple[tuple[object, ...], str]]:
    with pytest.raises(er.EvidenceError) as info:
        rs.evaluate(evidence)
    with pytest.raises(er.EvidenceError) as again:
        rs.evaluate(evidence, explain=True)
    assert again.value.problems == info.value.problems
    return [(p.path, p.message) for p in info.value.problems]


@pytest.mark.parametrize(
    ("fact", "value", "fragment"),
    [
        ("crimes", -1, "expected a whole number ≥ 0, got -1"),
        ("crimes", 3.5, "expected a whole number ≥ 0, got 3.5"),
        ("crimes", 2.5, "expected a whole number"),
        ("crimes", Decimal("3.01"), "expected a whole number"),
        ("crimes", True, "expected a whole number ≥ 0, got True"),
        ("crimes", "3", "expected a whole number"),
        ("tips_share", 101, "expected a percentage from 0 to 100, got 101"),
        ("tips_share", 100.01, "expected a percentage from 0 to 100"),
        ("tips_share", -0.1, "expected a percentage from 0 to 100"),
        ("tips_share", "80", "expected a percentage from 0 to 100, got '80'"),
        ("tips_share", "80%", "expected a percentage"),
        ("tips_share", float("nan"), "expected a percentage"),
        ("tips_share", True, "expected a percentage"),
        ("funding", -0.5, "expected a number ≥ 0, got -0.5"),
        ("funding", float("inf"), "expected a number"),
        ("funding", Decimal("NaN"), "expected a number"),
        ("funding", "1.5", "expected a number"),
        ("funding", False, "expected a number"),
        ("resolution_date", "2024-02-30", "expected a date YYYY-MM-DD, got '2024-02-30'"),
        ("resolution_date", "31/03/2024", "expected a date YYYY-MM-DD"),
        ("resolution_date", "2024-3-31", "expected a date YYYY-MM-DD"),
        ("resolution_date", "20240331", "expected a date YYYY-MM-DD"),
        ("resolution_date", "2024-03-31T00:00", "expected a date YYYY-MM-DD"),
        ("resolution_date", "2024-03-31\n", "expected a date YYYY-MM-DD"),
        ("resolution_date", "２０２４-０３-３１", "expected a date YYYY-MM-DD"),
        ("resolution_date", dt.datetime(2024, 3, 31), "expected a date YYYY-MM-DD"),
        ("resolution_date", 20240331, "expected a date YYYY-MM-DD"),
        (
            "party_rating",
            "gooood",
            "expected a level of task_rating (excellent, good, done, not_done), got 'gooood'",
        ),
        ("party_rating", "Khá", "expected a level of task_rating"),  # a movement_class label
        ("party_rating", 3, "expected a level of task_rating"),
        ("party_rating", ["good"], "expected a level of task_rating"),
        ("committee_title", "Cờ thi đua", "expected a level of collective_title"),
        ("no_violations", 1, "expected true or false, got 1"),
        ("no_violations", "true", "expected true or false"),
        ("teams", "Thôn 1", "expected a list of records"),
        ("teams", {"team": "A"}, "expected a list of records"),
        ("movement_class", "Kha", "expected a level of movement_class"),
        ("safe_standard_achieved", "yes", "expected true or false"),
    ],
)
def test_bad_values(commune: er.RuleSet, fact: str, value: Any, fragment: str) -> None:
    problems = problems_of(commune, {**ELIGIBLE, fact: value})
    assert len(problems) == 1
    path, message = problems[0]
    assert path == (fact,)
    assert fragment in message


@pytest.mark.parametrize(
    ("teams", "path", "fragment"),
    [
        ([5], ("teams", 0), "expected a record (an object), got 5"),
        ([None], ("teams", 0), "expected a record"),
        ([{"team": 1}], ("teams", 0, "team"), "expected a text, got 1"),
        ([{"team": "A", "good_deeds": -1}], ("teams", 0, "good_deeds"), "whole number ≥ 0"),
        ([{"team": "A"}, {"team": "B", "bogus": 1}], ("teams", 1, "bogus"), "unknown field"),
    ],
)
def test_bad_records(
    commune: er.RuleSet, teams: list[Any], path: tuple[object, ...], fragment: str
) -> None:
    ((got_path, message),) = problems_of(commune, {"teams": teams})
    assert got_path == path
    assert fragment in message


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("month", 0, "from 1 to 12"),
        ("month", 13, "from 1 to 12"),
        ("coverage", 100.5, "percentage from 0 to 100"),
        ("rating", "excelent", "expected a level of task_rating"),
        ("active", "yes", "expected true or false"),
    ],
)
def test_record_fields_are_checked_like_facts(
    functions: er.RuleSet, field: str, value: Any, fragment: str
) -> None:
    teams = [dict(FUNCTIONS_UNIT["teams"][0]), dict(FUNCTIONS_UNIT["teams"][1], **{field: value})]
    ((path, message),) = problems_of(functions, {**FUNCTIONS_UNIT, "teams": teams})
    assert path == ("teams", 1, field)
    assert fragment in message


def test_declared_bounds(functions: er.RuleSet) -> None:
    ((path, message),) = problems_of(functions, {"cases": 1001})
    assert path == ("cases",) and "from 0 to 1000" in message
    ((path, message),) = problems_of(functions, {"score": 10.5})
    assert path == ("score",) and "from 0 to 10" in message
    assert functions.evaluate({"cases": 1000, "score": 10}).criterion("exact").status is NOT_MET


def test_every_problem_is_reported_at_once(commune: er.RuleSet) -> None:
    evidence = {
        "unit_id": "Xã X",
        "crimes": -1,
        "tips_share": 101,
        "resolution_date": "2024-02-30",
        "party_rating": "gooood",
        "crimez": 3,
        "teams": [{"team": 1, "bogus": 2, "good_deeds": -1}, 5],
        "no_violations": 1,
        "funding": -0.5,
        "movement_class": "Kha",
    }
    problems = problems_of(commune, evidence)
    assert [p for p, _ in problems] == [
        ("crimes",),
        ("crimez",),
        ("funding",),
        ("movement_class",),
        ("no_violations",),
        ("party_rating",),
        ("resolution_date",),
        ("teams", 0, "bogus"),
        ("teams", 0, "good_deeds"),
        ("teams", 0, "team"),
        ("teams", 1),
        ("tips_share",),
    ]
    with pytest.raises(er.EvidenceError) as info:
        commune.evaluate(evidence)
    exc = info.value
    assert exc.unit == "Xã X"
    assert str(exc).startswith("unit Xã X: crimes: expected a whole number ≥ 0, got -1; ")
    assert "teams[0].good_deeds: " in str(exc)
    assert exc.message.endswith("(and 11 more)")
    assert exc.path == ("crimes",)


def test_unknown_facts_are_errors_with_a_suggestion(commune: er.RuleSet) -> None:
    ((path, message),) = problems_of(commune, {"crimez": 3})
    assert path == ("crimez",)
    assert "unknown fact (not read by demo-commune)" in message
    assert "did you mean 'crimes'?" in message
    ((path, message),) = problems_of(commune, {"zzz": None})
    assert path == ("zzz",) and "did you mean" not in message


def test_prerequisite_name_is_not_a_fact(commune: er.RuleSet) -> None:
    ((path, _),) = problems_of(commune, {"prerequisites": True})
    assert path == ("prerequisites",)


def test_non_text_keys_and_unit_id(commune: er.RuleSet) -> None:
    ((path, _),) = problems_of(commune, {1: 2})
    assert path == ("1",)
    ((path, message),) = problems_of(commune, {"unit_id": 5})
    assert path == ("unit_id",) and "expected a text" in message


@pytest.mark.parametrize("evidence", [[1, 2], None, "crimes=3", 42, ("crimes", 3)])
def test_evidence_must_be_a_mapping(commune: er.RuleSet, evidence: Any) -> None:
    ((path, message),) = problems_of(commune, evidence)
    assert path == ()
    assert "evidence must be a mapping of facts" in message


def test_problem_rendering() -> None:
    assert str(er.Problem(("teams", 2, "good_deeds"), "bad")) == "teams[2].good_deeds: bad"
    assert str(er.Problem((), "bad")) == "(evidence): bad"


# -- accepted forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "value", "criterion", "expected"),
    [
        ("resolution_date", "2024-03-31", "2", MET),
        ("resolution_date", dt.date(2024, 3, 31), "2", MET),
        ("resolution_date", dt.date(2024, 4, 1), "2", NOT_MET),
        ("tips_share", 80, "30", MET),
        ("tips_share", 80.0, "30", MET),
        ("tips_share", Decimal("80"), "30", MET),
        ("tips_share", 79.9, "30", NOT_MET),
        ("party_rating", "good", "6", MET),
        ("party_rating", "Hoàn thành tốt nhiệm vụ", "6", MET),
        ("party_rating", "Good task completion", "6", MET),
        ("party_rating", "good task completion", "6", MET),
        ("party_rating", " GOOD ", "6", MET),
        ("party_rating", "Hoàn thành nhiệm vụ", "6", NOT_MET),
        ("committee_title", "Tập thể lao động xuất sắc", "6", MET),
        ("committee_title", "No title", "6", NOT_MET),
        ("funding", 0, "32", NOT_MET),
        ("funding", Decimal("0.001"), "32", MET),
        ("funding", 2, "32", MET),
    ],
)
def test_accepted_forms(
    commune: er.RuleSet, fact: str, value: Any, criterion: str, expected: er.CriterionStatus
) -> None:
    verdict = commune.evaluate({**ELIGIBLE, fact: value})
    assert verdict.criterion(criterion).status is expected


def test_vietnamese_labels_in_either_normal_form(commune: er.RuleSet) -> None:
    import unicodedata

    label = "Hoàn thành tốt nhiệm vụ"
    for form in ("NFC", "NFD"):
        text = unicodedata.normalize(form, label)
        assert commune.evaluate({**ELIGIBLE, "party_rating": text}).status is er.Status.ELIGIBLE


def test_records_may_be_tuples_and_fields_may_be_null(commune: er.RuleSet) -> None:
    teams = ({"team": "A", "good_deeds": 1, "commended": None},)
    assert commune.evaluate({**ELIGIBLE, "teams": teams}).status is er.Status.ELIGIBLE


def test_unit_id_is_the_only_reserved_key(commune: er.RuleSet) -> None:
    assert commune.evaluate({"unit_id": "X"}).unit == "X"
    assert commune.evaluate({"unit_id": None}).unit is None


def test_evidence_is_not_modified(commune: er.RuleSet) -> None:
    evidence = {**ELIGIBLE, "teams": [dict(ELIGIBLE["teams"][0])]}
    before = repr(evidence)
    commune.evaluate(evidence, explain=True)
    assert repr(evidence) == before


# -- regressions (bugs found by this suite) and known defects ----------------------


def test_unknown_fact_is_reported_before_evaluating(division: er.RuleSet) -> None:
    """Regression (found by this suite, fixed since): RuleSet.evaluate() evaluates the
    known facts before reporting unknown keys; when that evaluation raises
    EvaluationError (division by zero) the EvidenceError for the unknown fact is lost:
    demo-division.evaluate({'part': 1, 'total': 0, 'bogus': 1}) raises EvaluationError
    instead of EvidenceError naming 'bogus' (a bad value, e.g. items[0].v = -1, is
    reported first as it should be)"""
    with pytest.raises(er.EvidenceError) as info:
        division.evaluate({"part": 1, "total": 0, "items": [{"v": 1}], "bogus": 1})
    assert [p.path for p in info.value.problems] == [("bogus",)]


def test_bad_value_is_reported_before_evaluating(division: er.RuleSet) -> None:
    with pytest.raises(er.EvidenceError) as info:
        division.evaluate({"part": 1, "total": 0, "items": [{"v": -1}]})
    assert [p.path for p in info.value.problems] == [("items", 0, "v")]


@pytest.mark.parametrize("text", ["1E+5000", "-1E+5000"])
def test_a_huge_integral_number_is_refused_before_it_is_expanded(text: str) -> None:
    # Decimal("1e999999") is a whole number of a million digits: int() of it took ~30 s.
    # Refused as the decimal it is (the message shows 1E+5000), never expanded to digits
    from decimal import Decimal

    import emulation_rules as er

    rs = er.Library().load("typical-commune", on="2024-12-31")
    with pytest.raises(er.EvidenceError) as caught:
        rs.evaluate({"crimes_social_order": Decimal(text)})
    assert caught.value.problems[0].path == ("crimes_social_order",)
    assert "E+5000" in str(caught.value) and "digits" not in str(caught.value)
