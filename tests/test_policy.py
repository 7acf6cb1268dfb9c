"""Decision policies: all (the default), at_least N, and points mapped to the levels of
an enumeration; their behaviour with unknown criteria; and their validation at load."""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.evaluation.policy import Decider
from support import ON, RULESETS, line_of, load_text, minimal, write

ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED = (
    er.Status.ELIGIBLE,
    er.Status.NOT_ELIGIBLE,
    er.Status.UNDETERMINED,
)


def decide(rs: er.RuleSet, evidence: dict[str, Any]) -> er.Verdict:
    brief = rs.evaluate(evidence)
    full = rs.evaluate(evidence, explain=True)
    assert (brief.status, brief.level, brief.points, brief.reason) == (
        full.status,
        full.level,
        full.points,
        full.reason,
    )
    return brief


# -- at_least -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "status", "reason_en"),
    [
        (
            {"drills": 2, "trained_share": 70, "incident_free": True},
            ELIGIBLE,
            "Eligible: 3 of 3 criteria met, at least 2 needed.",
        ),
        (
            {"drills": 2, "trained_share": 70, "incident_free": False},
            ELIGIBLE,
            "Eligible: 2 of 3 criteria met, at least 2 needed.",
        ),
        (
            {"drills": 1, "trained_share": 69.9, "incident_free": True},
            NOT_ELIGIBLE,
            "Not eligible: 1 of 3 criteria met, at least 2 needed.",
        ),
        (
            {"drills": 2, "trained_share": 80},
            ELIGIBLE,  # two met: the unknown third does not matter
            "Eligible: 2 of 3 criteria met, at least 2 needed, 1 unknown.",
        ),
        (
            {"drills": 2},
            UNDETERMINED,
            "Undetermined: 1 of 3 criteria met, at least 2 needed, 2 unknown.",
        ),
        (
            {"drills": 1, "trained_share": 1},
            NOT_ELIGIBLE,  # even the unknown one met would give only 1
            "Not eligible: 0 of 3 criteria met, at least 2 needed, 1 unknown.",
        ),
        (
            {},
            UNDETERMINED,
            "Undetermined: 0 of 3 criteria met, at least 2 needed, 3 unknown.",
        ),
    ],
)
def test_at_least(
    at_least: er.RuleSet, evidence: dict[str, Any], status: er.Status, reason_en: str
) -> None:
    verdict = decide(at_least, evidence)
    assert verdict.status is status
    assert verdict.reason.en == reason_en
    assert verdict.level is None and verdict.points is None


def test_at_least_reason_in_vietnamese(at_least: er.RuleSet) -> None:
    verdict = at_least.evaluate({"drills": 2})
    assert verdict.reason.vi == "Chưa xác định: đạt 1/3 tiêu chí, cần ít nhất 2, 2 chưa xác định."


def test_an_overlay_may_change_the_policy(tmp_path: Path) -> None:
    text = """\
id: t-at-least-3
version: "1"
title: {vi: Ba tiêu chí, en: Three criteria}
description: {vi: Tất cả ba., en: All three.}
source: {document: TEST-AL3}
applies_to: [school]
effective: {from: 2024-01-01}
extends: demo-at-least
policy: {kind: at_least, at_least: 3}
"""
    rs = load_text(tmp_path, text)
    unit = {"drills": 2, "trained_share": 70, "incident_free": False}
    assert rs.evaluate(unit).status is NOT_ELIGIBLE
    assert (
        er.Library([RULESETS], shipped=False).load("demo-at-least", on=ON).evaluate(unit).status
        is ELIGIBLE
    )


# -- points ---------------------------------------------------------------------------------

FULL = {"meetings": 4, "tips": 5, "members_share": 50, "rating": "good"}


@pytest.mark.parametrize(
    ("change", "status", "level", "total"),
    [
        ({}, ELIGIBLE, "excellent", "100"),
        ({"rating": "done"}, ELIGIBLE, "excellent", "90.5"),
        ({"rating": "done", "members_share": 49}, ELIGIBLE, "good", "70"),
        ({"tips": 4}, ELIGIBLE, "good", "70"),
        ({"meetings": 3}, NOT_ELIGIBLE, "average", "60"),
        ({"meetings": 3, "members_share": 10}, NOT_ELIGIBLE, "weak", "39.5"),
        (
            {"meetings": 0, "tips": 0, "members_share": 0, "rating": "not_done"},
            NOT_ELIGIBLE,
            "weak",
            "0",
        ),
    ],
)
def test_points(
    points: er.RuleSet, change: dict[str, Any], status: er.Status, level: str, total: str
) -> None:
    verdict = decide(points, {**FULL, **change})
    assert verdict.status is status
    assert verdict.level == level
    assert verdict.points == total


def test_points_reason(points: er.RuleSet) -> None:
    verdict = points.evaluate({**FULL, "rating": "done", "members_share": 49})
    assert verdict.reason.en == "Eligible: 70 points, level Good."
    assert verdict.reason.vi == "Đủ điều kiện: 70 điểm, xếp loại Khá."


@pytest.mark.parametrize(
    ("evidence", "status", "level", "fragment"),
    [
        # 70 known, up to 100: at least "good" either way, the level is open
        ({"meetings": 4, "tips": 5}, ELIGIBLE, None, "70 points (up to 100 with full evidence)"),
        # 40 known, up to 100: weak … excellent
        ({"meetings": 4}, UNDETERMINED, None, "40 points (up to 100 with full evidence)"),
        # 0 known, at most 30: weak whatever the rest
        ({"meetings": 0, "tips": 0}, NOT_ELIGIBLE, "weak", "up to 30"),
        # 90.5 known, up to 100: excellent either way
        ({"meetings": 4, "tips": 5, "members_share": 50}, ELIGIBLE, "excellent", "up to 100"),
        ({}, UNDETERMINED, None, "0 points (up to 100 with full evidence)"),
    ],
)
def test_points_with_unknown_criteria(
    points: er.RuleSet,
    evidence: dict[str, Any],
    status: er.Status,
    level: str | None,
    fragment: str,
) -> None:
    verdict = decide(points, evidence)
    assert verdict.status is status
    assert verdict.level == level
    assert fragment in verdict.reason.en


def test_points_levels_are_movement_class_levels(points: er.RuleSet) -> None:
    assert points.definition.policy.enum == "movement_class"
    verdict = points.evaluate({**FULL, "meetings": 3})
    assert (verdict.level, verdict.points) == ("average", "60")
    assert "level Average" in verdict.reason.en and "xếp loại Trung bình" in verdict.reason.vi


# -- all ----------------------------------------------------------------------------------------


def test_all_is_the_default_policy(commune: er.RuleSet) -> None:
    assert commune.definition.policy.kind.value == "all"
    assert commune.definition.policy.at_least is None


# -- validation at load ---------------------------------------------------------------------

POINTS_CRITERIA = """\
  - {id: C2, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, condition: flag}
"""


@pytest.mark.parametrize(
    ("policy", "fragment"),
    [
        ("policy: {kind: at_least, at_least: 3}", "between 1 and the number of criteria (2)"),
        ("policy: {kind: at_least, at_least: 0}", "between 1 and the number of criteria"),
        ("policy: {kind: at_least}", "between 1 and the number of criteria"),
        ("policy: {kind: all, at_least: 1}", "only for kind: at_least"),
        ("policy: {kind: all, enum: movement_class}", "only for kind: points"),
        ("policy: {kind: most}", "'most' is not one of: all, at_least, points"),
        ("policy: {kind: at_least, at_least: 1, bogus: 2}", "unknown key"),
    ],
)
def test_policy_errors(tmp_path: Path, policy: str, fragment: str) -> None:
    text = minimal(criteria=POINTS_CRITERIA, tail=policy)
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, text)
    assert fragment in info.value.message
    assert info.value.line == line_of(text, "policy:")


def _points_rule_set(levels: str, *, points: tuple[str, str] = ("60", "40")) -> str:
    criteria = minimal(
        criteria=f"  - {{id: C2, number: 2, group: g, points: {points[1]}, "
        "title: {vi: X, en: X}, text: {vi: X}, condition: flag}\n",
        tail=f"policy:\n  kind: points\n{levels}",
    )
    return criteria.replace("    number: 1\n", f"    number: 1\n    points: {points[0]}\n", 1)


GOOD_LEVELS = """\
  enum: movement_class
  levels:
    - {level: excellent, min_points: 90}
    - {level: good, min_points: 50}
    - {level: weak, min_points: 0}
  eligible_from: good
"""


def test_a_valid_points_rule_set(tmp_path: Path) -> None:
    rs = load_text(tmp_path, _points_rule_set(GOOD_LEVELS))
    verdict = rs.evaluate({"count_a": 0, "flag": False})
    assert (verdict.status, verdict.level, verdict.points) == (ELIGIBLE, "good", "60")
    verdict = rs.evaluate({"count_a": 9, "flag": True})
    assert (verdict.status, verdict.level, verdict.points) == (NOT_ELIGIBLE, "weak", "40")


@pytest.mark.parametrize(
    ("levels", "points", "fragment"),
    [
        (GOOD_LEVELS.replace("  enum: movement_class\n", ""), ("60", "40"), "needs `enum:`"),
        (GOOD_LEVELS.replace("movement_class", "nope"), ("60", "40"), "needs `enum:`"),
        (
            GOOD_LEVELS.replace("level: good", "level: goood"),
            ("60", "40"),
            "'goood' is not a level of movement_class",
        ),
        (
            GOOD_LEVELS.replace("min_points: 50", "min_points: 95"),
            ("60", "40"),
            "from the most points down",
        ),
        (GOOD_LEVELS.replace("  eligible_from: good\n", ""), ("60", "40"), "eligible_from"),
        (
            GOOD_LEVELS.replace("eligible_from: good", "eligible_from: best"),
            ("60", "40"),
            "eligible_from",
        ),
        (
            "  enum: movement_class\n  eligible_from: good\n",
            ("60", "40"),
            "needs `levels:`",
        ),
        (GOOD_LEVELS, ("60", "-1"), "points must be a number of 0 or more"),
        (GOOD_LEVELS, ("60", "many"), "points must be a number"),
        (
            GOOD_LEVELS.replace("min_points: 50", "min_points: fifty"),
            ("60", "40"),
            "min_points must be a number",
        ),
    ],
)
def test_points_policy_errors(
    tmp_path: Path, levels: str, points: tuple[str, str], fragment: str
) -> None:
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, _points_rule_set(levels, points=points))
    assert fragment in info.value.message
    assert info.value.line is not None


def test_every_criterion_needs_points_under_a_points_policy(tmp_path: Path) -> None:
    text = _points_rule_set(GOOD_LEVELS).replace("    points: 60\n", "", 1)
    with pytest.raises(er.RuleSetError, match="every criterion needs `points`") as info:
        load_text(tmp_path, text)
    assert info.value.criterion == "C1"


def test_points_policy_in_a_host_folder(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", _points_rule_set(GOOD_LEVELS))
    rs = er.Library([tmp_path], shipped=False).load("t-min", on=ON)
    assert rs.evaluate({"flag": True}).status is UNDETERMINED  # 40, up to 100


@pytest.mark.parametrize("ruleset_id", ["demo-commune", "demo-at-least", "demo-points"])
def test_remembered_fast_decisions_are_each_combinations_own(
    library: er.Library, ruleset_id: str
) -> None:
    """The decisions remembered per combination of results equal those decided afresh,
    asked in any order."""
    rs = library.load(ruleset_id, on=ON)
    n = len(rs.criteria)
    combos = [tuple(bits) for bits in product([True, False], repeat=min(n, 4))]
    combos = [c + (True,) * (n - len(c)) for c in combos]
    remembering = Decider(rs.definition)
    for results in [*combos, *reversed(combos)]:
        statuses = [er.CriterionStatus.MET if r else er.CriterionStatus.NOT_MET for r in results]
        assert remembering.fast(results) == Decider(rs.definition).decide(statuses)
