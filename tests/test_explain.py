"""Explanations: the values read, the comparisons computed, what would pass (`needed`),
the citation, and the reason in Vietnamese and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.model import ComparisonTrace, Explanation, Needed, ValueRead
from support import ELIGIBLE, FUNCTIONS_UNIT, ON, load_text, minimal

MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)


def explained(rs: er.RuleSet, evidence: dict[str, Any], criterion: str) -> er.CriterionResult:
    result = rs.evaluate(evidence, explain=True).criterion(criterion)
    assert result.explanation is not None
    return result


def explanation_of(result: er.CriterionResult) -> Explanation:
    assert result.explanation is not None
    return result.explanation


# -- criterion 18, the documented example ---------------------------------------------


def test_criterion_18_not_met(commune: er.RuleSet) -> None:
    result = explained(commune, {"crimes": 40, "crimes_previous_year": 41}, "18")
    assert result.status is NOT_MET
    exp = explanation_of(result)
    assert [(v.name, v.role, v.kind, v.value) for v in exp.values] == [
        ("crimes", "fact", "integer", 40),
        ("crimes_previous_year", "fact", "integer", 41),
        ("min_crime_reduction", "parameter", "percent", "5"),
        ("max_allowed", "computed", "decimal", "38.95"),
    ]
    crimes = exp.values[0]
    assert crimes.label == er.model.Text(
        "Số vụ phạm tội về trật tự xã hội trong năm", "Crimes against social order this year"
    )
    assert exp.comparisons == (
        ComparisonTrace("crimes <= max_allowed", 40, "<=", "38.95", "integer", NOT_MET),
    )
    assert exp.needed == (Needed("crimes", "<=", 38, "integer"),)
    assert exp.needed[0].render() == "crimes <= 38"
    assert exp.citation.document == "TEST-9475/QĐ"
    assert exp.citation.part == "Phụ lục I, tiêu chí 18"
    assert exp.citation.also_cited_as == ("TEST-9745/QĐ",)
    assert result.reason.vi == (
        "Tiêu chí 18: Không đạt. 40 vụ, năm trước 41 vụ; cần giảm ít nhất 5%, tức tối đa "
        "38 vụ. Cần: Số vụ phạm tội về trật tự xã hội trong năm không quá 38 vụ (đang vượt 2 vụ)."
    )
    assert result.reason.en == (
        "Criterion 18: not met. 40 cases, previous year 41 cases; a reduction of at least 5% "
        "is needed, at most 38 cases. Needed: Crimes against social order this year: at most "
        "38 cases (2 cases over)."
    )


def test_criterion_18_met_needs_nothing(commune: er.RuleSet) -> None:
    result = explained(commune, {"crimes": 38, "crimes_previous_year": 40}, "18")
    assert result.status is MET
    exp = explanation_of(result)
    assert exp.needed == ()
    assert exp.comparisons[0].result is MET
    assert exp.values[-1].value == "38"  # 40 × 0.95, exactly
    assert result.reason.en.startswith("Criterion 18: met. 38 cases, previous year 40 cases;")
    assert "Needed" not in result.reason.en


def test_criterion_18_with_a_missing_fact(commune: er.RuleSet) -> None:
    result = explained(commune, {"crimes_previous_year": 40}, "18")
    assert result.status is UNKNOWN and result.missing == ("crimes",)
    exp = explanation_of(result)
    assert exp.values[0] == ValueRead("crimes", "fact", "integer", None, exp.values[0].label)
    assert exp.comparisons[0].left is None and exp.comparisons[0].result is UNKNOWN
    assert exp.needed == (Needed("crimes", "<=", 38, "integer"),)
    # a template showing a missing value gives way to the values known, by their labels
    assert "chưa có" not in result.reason.vi and "not given" not in result.reason.en
    assert "Số vụ phạm tội năm trước: 40 vụ." in result.reason.vi
    assert "Chưa có số liệu: Số vụ phạm tội về trật tự xã hội trong năm." in result.reason.vi
    assert "crimes" not in result.reason.vi
    assert "Missing: crimes." in result.reason.en


def test_dated_parameter_shows_the_value_in_force(library: er.Library) -> None:
    from datetime import date

    rs = library.load("demo-commune", on=date(2025, 6, 1))
    exp = explanation_of(explained(rs, {"crimes": 40, "crimes_previous_year": 40}, "18"))
    assert ("min_crime_reduction", "10") in [(v.name, v.value) for v in exp.values]
    assert exp.needed == (Needed("crimes", "<=", 36, "integer"),)


# -- needed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "criterion", "needed"),
    [
        ({"tips_share": 79.9}, "30", (Needed("tips_share", ">=", "80", "percent"),)),
        (
            {"party_rating": "done", "committee_title": "government_flag", "no_violations": True},
            "6",
            (Needed("party_rating", ">=", "good", "enum"),),
        ),
        (
            {"party_rating": "good", "committee_title": "government_flag", "no_violations": False},
            "6",
            (Needed("no_violations", "==", True, "bool"),),
        ),
        # a disjunction needs one sufficient alternative: a bound rather than one value
        ({"amnestied": 200, "reoffenders": 3}, "29", (Needed("reoffenders", "<=", 2, "integer"),)),
        # a bound on a computed value of a fact gives none either
        ({"resolution_date": "2024-04-01"}, "2", ()),
    ],
)
def test_needed(
    commune: er.RuleSet, evidence: dict[str, Any], criterion: str, needed: tuple[Needed, ...]
) -> None:
    result = explained(commune, evidence, criterion)
    assert result.status is NOT_MET
    assert explanation_of(result).needed == needed


@pytest.mark.parametrize(
    ("condition", "value", "needed"),
    [
        ("count_a <= 2.5", 3, Needed("count_a", "<=", 2, "integer")),
        ("count_a < 2.5", 3, Needed("count_a", "<=", 2, "integer")),
        ("count_a < 3", 3, Needed("count_a", "<=", 2, "integer")),
        ("count_a >= 2.5", 1, Needed("count_a", ">=", 3, "integer")),
        ("count_a > 2.5", 1, Needed("count_a", ">=", 3, "integer")),
        ("count_a > 3", 1, Needed("count_a", ">=", 4, "integer")),
        ("count_a == 3", 1, Needed("count_a", "==", 3, "integer")),
        ("count_a != 3", 3, Needed("count_a", "!=", 3, "integer")),
        ("2 <= count_a", 1, Needed("count_a", ">=", 2, "integer")),
        ("2.5 > count_a", 3, Needed("count_a", "<=", 2, "integer")),
        ("count_a <= limit * 0.9", 3, Needed("count_a", "<=", 2, "integer")),
        ("rating >= task_rating.good", 1, Needed("rating", ">=", "good", "enum")),
        ("not flag", 1, Needed("flag", "==", False, "bool")),
    ],
)
def test_needed_bounds_on_integers_read_the_way_the_text_does(
    tmp_path: Path, condition: str, value: int, needed: Needed
) -> None:
    rs = load_text(tmp_path, minimal(condition))
    evidence = {"count_a": value, "rating": "done", "flag": True}
    result = explained(rs, evidence, "C1")
    assert result.status is NOT_MET
    assert explanation_of(result).needed == (needed,)


def test_needed_for_dates_and_chains(functions: er.RuleSet) -> None:
    result = explained(functions, {**FUNCTIONS_UNIT, "end_date": "2024-04-02"}, "deadline")
    assert explanation_of(result).needed[0] == Needed("end_date", "<=", "2024-03-31", "date")
    chain = explained(functions, {**FUNCTIONS_UNIT, "score": 0}, "chain")
    assert explanation_of(chain).needed == (Needed("score", ">", "0", "decimal"),)
    assert "Cần: Điểm trên 0." in chain.reason.vi


def test_needed_lists_every_failing_conjunct(commune: er.RuleSet) -> None:
    """Regression (found by this suite, fixed since): the traced (full) form short-circuits
    `and`, so comparisons after the first false conjunct are never traced and
    Explainer.needed() silently leaves them out: criterion 6 with party_rating=done and
    committee_title=none lists only `party_rating >= good`, although meeting it would
    still fail on the committee title"""
    evidence = {"party_rating": "done", "committee_title": "none", "no_violations": True}
    needed = explanation_of(explained(commune, evidence, "6")).needed
    assert Needed("party_rating", ">=", "good", "enum") in needed
    assert Needed("committee_title", ">=", "advanced_collective", "enum") in needed


# -- values and their display ------------------------------------------------------------


def test_values_of_every_kind(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(ELIGIBLE, explain=True)
    values = {v.name: (v.kind, v.value) for c in verdict.criteria for v in explanation_of(c).values}
    assert values["resolution_date"] == ("date", "2024-03-31")
    assert values["party_rating"] == ("enum", "good")
    assert values["committee_title"] == ("enum", "advanced_collective")
    assert values["tips_share"] == ("percent", "80")
    assert values["funding"] == ("decimal", "1.5")
    assert values["no_violations"] == ("bool", True)
    assert values["teams"] == ("list", 1)
    assert values["max_reoffending"] == ("percent", "1.5")
    assert values["q1_month"] == ("integer", 3)


def test_display_in_each_language(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({**ELIGIBLE, "tips_share": 85.5}, explain=True)
    c2, c30, c6 = verdict.criterion("2"), verdict.criterion("30"), verdict.criterion("6")
    assert "31/03/2024" in c2.reason.vi and "2024-03-31" in c2.reason.en
    assert "85,5%" in c30.reason.vi and "85.5%" in c30.reason.en
    assert "Hoàn thành tốt nhiệm vụ" in c6.reason.vi and "Good task completion" in c6.reason.en
    assert "; không có cán bộ vi phạm pháp luật." in c6.reason.vi  # a statement, no ": có"
    assert "; no official violated the law: yes" in c6.reason.en


def test_comparisons_are_traced_outside_aggregates_only(commune: er.RuleSet) -> None:
    result = explained(commune, ELIGIBLE, "31")
    assert [c.text for c in explanation_of(result).comparisons] == ["count(teams) >= 1"]


def test_comparisons_of_both_sides_of_or(commune: er.RuleSet) -> None:
    result = explained(commune, {"amnestied": 200, "reoffenders": 3}, "29")
    traces = explanation_of(result).comparisons
    assert [(c.text, c.left, c.right, c.result) for c in traces] == [
        ("amnestied == 0", 200, 0, NOT_MET),
        ("reoffenders < amnestied * max_reoffending", 3, "3", NOT_MET),
    ]


def test_let_values_of_criterion_without_template(tmp_path: Path) -> None:
    extra = """\
  - id: C2
    number: 2
    group: g
    title: {vi: Hai, en: Two}
    text: {vi: Tiêu chí hai.}
    let:
      doubled: count_a * 2
      share: count_a / 4
    condition: doubled >= limit and share <= 1
"""
    rs = load_text(tmp_path, minimal(criteria=extra))
    result = explained(rs, {"count_a": 1}, "C2")
    exp = explanation_of(result)
    assert [(v.name, v.role, v.kind, v.value) for v in exp.values] == [
        ("count_a", "fact", "integer", 1),
        ("limit", "parameter", "integer", 3),
        ("doubled", "computed", "integer", 2),
        ("share", "computed", "decimal", "0.25"),
    ]
    assert result.reason.vi == ("Tiêu chí C2: Không đạt. Số A: 1 vụ. Mức yêu cầu: giới hạn là 3.")


def test_explain_template_of_the_overlay(overlay: er.RuleSet) -> None:
    result = explained(overlay, {"patrols": 10}, "40")
    assert result.reason.vi == (
        "Tiêu chí 40: Không đạt. 10 buổi, cần 12, còn thiếu 2. "
        "Cần: Số buổi tuần tra ít nhất 12 buổi (còn thiếu 2 buổi)."
    )
    assert result.reason.en.startswith("Criterion 40: not met. 10 patrols, 12 needed, 2 short.")


def test_without_explain_reasons_are_short(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({"crimes": 40, "crimes_previous_year": 41})
    c18 = verdict.criterion("18")
    assert c18.explanation is None
    assert c18.reason == er.model.Text("Tiêu chí 18: Không đạt.", "Criterion 18: not met.")
    c2 = verdict.criterion("2")
    assert c2.reason.en == "Criterion 2: unknown. Missing: resolution_date."


def test_citation_of_a_criterion_with_its_own_source(overlay: er.RuleSet) -> None:
    exp = explanation_of(explained(overlay, {"tips_share": 50}, "30"))
    assert exp.citation.document == "TEST-15/KH-BCĐ" and exp.citation.part == "Mục II.2"


def test_record_field_paths_in_missing(commune: er.RuleSet) -> None:
    teams = [{"team": "A", "good_deeds": 0}, {"team": "B", "commended": 0}]
    result = explained(commune, {"teams": teams}, "31")
    assert result.status is UNKNOWN
    assert result.missing == ("teams[0].commended", "teams[1].good_deeds")
    assert "teams[0].commended, teams[1].good_deeds" in result.reason.en


def test_explanations_do_not_change_statuses(commune: er.RuleSet) -> None:
    for evidence in ({}, ELIGIBLE, {"crimes": 40, "crimes_previous_year": 41}):
        brief = commune.evaluate(evidence)
        full = commune.evaluate(evidence, explain=True)
        assert [(c.id, c.status, c.missing) for c in brief.criteria] == [
            (c.id, c.status, c.missing) for c in full.criteria
        ]
        assert (brief.status, brief.reason) == (full.status, full.reason)
        assert full.evaluated_on == ON


# -- regressions (bugs found by this suite) and known defects ----------------------


def test_chained_comparisons_are_explained(functions: er.RuleSet) -> None:
    """Regression (found by this suite, fixed since): chained comparisons are missing from
    explanation.comparisons: resolve collects the criterion's comparisons with
    typed.walk(), and typed.children(Chain) returns the operands, not the links, so `0 <
    score <= 10` is never listed (only `abs(score - 5) >= 1` is)"""
    exp = explanation_of(explained(functions, {**FUNCTIONS_UNIT, "score": 10}, "chain"))
    assert [c.text for c in exp.comparisons] == ["0 < score", "score <= 10", "abs(score - 5) >= 1"]


def test_comparison_text_keeps_its_parentheses(tmp_path: Path) -> None:
    """Regression (found by this suite, fixed since): parser spans of a parenthesised group
    exclude its parentheses, so a comparison ending in one is shown unbalanced: the
    trace of `count_a * (1 + 1) <= (limit + 1)` has text 'count_a * (1 + 1) <= (limit +
    1'"""
    rs = load_text(tmp_path, minimal("count_a * (1 + 1) <= (limit + 1)"))
    exp = explanation_of(explained(rs, {"count_a": 3}, "C1"))
    assert exp.comparisons[0].text == "count_a * (1 + 1) <= (limit + 1)"


def test_decimal_values_are_always_decimal_strings(commune: er.RuleSet) -> None:
    """Regression (found by this suite, fixed since): values.to_json_value() returns a
    Python int unchanged for any number kind, so a decimal fact given as a JSON integer
    is recorded as 1 (kind 'decimal') while 1.5 is recorded as "1.5": the canonical form
    documented for decimals (exact decimal strings) depends on how the evidence was
    typed"""
    result = explained(commune, {**ELIGIBLE, "funding": 1}, "32")
    funding = next(v for v in explanation_of(result).values if v.name == "funding")
    assert funding.kind == "decimal"
    assert funding.value == "1"


@pytest.mark.parametrize("placeholder", ["{count_a:d}", "{count_a!x}"])
def test_explain_template_format_specs_are_checked_at_load(
    tmp_path: Path, placeholder: str
) -> None:
    extra = f"""\
  - id: C2
    number: 2
    group: g
    title: {{vi: Hai, en: Two}}
    text: {{vi: Tiêu chí hai.}}
    condition: count_a > 1
    explain: {{vi: "{placeholder} vụ", en: "{placeholder} cases"}}
"""
    try:
        rs = load_text(tmp_path, minimal(criteria=extra))
    except er.RuleSetError:
        return
    rs.evaluate({"count_a": 3}, explain=True)


def test_explain_template_may_name_values_the_condition_does_not_read(tmp_path: Path) -> None:
    extra = """\
  - id: C2
    number: 2
    group: g
    title: {vi: Hai, en: Two}
    text: {vi: Tiêu chí hai.}
    condition: count_a > 1
    explain: {vi: "{count_a}, giới hạn {limit}, cờ {flag}", en: "{count_a}, limit {limit}"}
"""
    rs = load_text(tmp_path, minimal(criteria=extra))
    result = explained(rs, {"count_a": 3, "flag": True}, "C2")
    assert result.reason.vi == "Tiêu chí C2: Đạt. 3 vụ, giới hạn 3, cờ có."
    assert result.reason.en == "Criterion C2: met. 3 cases, limit 3."
