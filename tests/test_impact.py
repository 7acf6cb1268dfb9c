"""The impact of a rule change (issue 16) from Python: ``er.impact(base, changed, units)``
evaluates every unit under both and counts what changed, per status and per criterion,
and lists the units concerned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from impact_support import ALL_MET, DAY, PHU_LOC, between_5_and_8, crime_units
from support import minimal, write


@pytest.fixture(scope="module")
def shipped() -> er.Library:
    return er.Library()


@pytest.fixture(scope="module")
def commune(shipped: er.Library) -> er.RuleSet:
    return shipped.load("typical-commune", on=DAY)


def test_tightening_5_to_8_percent_changes_exactly_the_units_between(
    commune: er.RuleSet,
) -> None:
    units = list(crime_units())
    expected = [u["unit_id"] for u in units if between_5_and_8(u)]
    assert len(expected) >= 8  # the batch does hold units between the two thresholds
    changed = commune.with_parameters({"crime_reduction_min": "8%"})
    report = er.impact(commune, changed, units)
    assert report.units == len(units)
    assert [u.unit for u in report.unit_changes] == expected
    assert report.status_changed == report.criteria_changed == len(expected)
    assert report.directions == (
        er.StatusChange(er.Status.ELIGIBLE, er.Status.NOT_ELIGIBLE, len(expected)),
    )
    c18 = report.criterion("18")
    assert (c18.changed, c18.met_to_not_met, c18.not_met_to_met) == (
        len(expected),
        len(expected),
        0,
    )
    assert all(c.changed == 0 for c in report.criteria if c.id != "18")
    assert all(
        u.criteria
        == (er.CriterionStatusChange("18", er.CriterionStatus.MET, er.CriterionStatus.NOT_MET),)
        for u in report.unit_changes
    )
    assert report.parameters == (
        er.ParameterChange(
            "crime_reduction_min",
            commune.definition.parameters["crime_reduction_min"].label,
            "percent",
            "5",
            "8",
        ),
    )
    # and back: loosening 8% to 5% moves the same units the other way
    back = er.impact(changed, commune, units)
    assert [u.unit for u in back.unit_changes] == expected
    assert back.criterion("18").not_met_to_met == len(expected)


def test_every_direction_is_counted(tmp_path: Path) -> None:
    # with limit 0 the criterion is met whatever count_a is, even not given
    path = write(tmp_path, "r.yaml", minimal("limit == 0 or count_a <= limit"))
    three = er.Library([path.parent], shipped=False).load("t-min", on=DAY)
    zero = three.with_parameters({"limit": 0})
    units = [
        {"unit_id": "five", "count_a": 5},
        {"unit_id": "one", "count_a": 1},
        {"unit_id": "none"},
    ]
    up = er.impact(three, zero, units)
    c1 = up.criterion("C1")
    assert (c1.changed, c1.met_to_not_met, c1.not_met_to_met, c1.to_unknown, c1.from_unknown) == (
        2, 0, 1, 0, 1,
    )  # fmt: skip
    assert [(u.unit, u.before, u.after) for u in up.unit_changes] == [
        ("five", er.Status.NOT_ELIGIBLE, er.Status.ELIGIBLE),
        ("none", er.Status.UNDETERMINED, er.Status.ELIGIBLE),
    ]
    assert up.directions == (
        er.StatusChange(er.Status.NOT_ELIGIBLE, er.Status.ELIGIBLE, 1),
        er.StatusChange(er.Status.UNDETERMINED, er.Status.ELIGIBLE, 1),
    )
    down = er.impact(zero, three, units).criterion("C1")
    assert (down.met_to_not_met, down.not_met_to_met, down.to_unknown, down.from_unknown) == (
        1, 0, 1, 0,
    )  # fmt: skip


def test_against_a_local_overlay_file_gives_the_same_as_set(
    shipped: er.Library, commune: er.RuleSet, tmp_path: Path
) -> None:
    overlay = write(
        tmp_path,
        "draft.yaml",
        """\
id: typical-commune-draft
version: "2025.1"
title: {vi: Dự thảo sửa đổi, en: Draft amendment}
description: {vi: Dự thảo., en: A draft.}
source: {document: DRAFT/QĐ, part: Điều 1}
applies_to: [commune]
effective: {from: 2022-12-28}
extends: typical-commune
parameters:
  crime_reduction_min:
    type: percentage
    label: {vi: Mức giảm tối thiểu (dự thảo), en: Minimum reduction (draft)}
    source: {document: DRAFT/QĐ, part: Điều 1}
    value: 8%
""",
    )
    draft = shipped.load(overlay, on=DAY)
    units = list(crime_units())
    by_file = er.impact(commune, draft, units)
    by_set = er.impact(commune, commune.with_parameters({"crime_reduction_min": "8%"}), units)
    assert by_file.changed.id == "typical-commune-draft"
    assert by_file.unit_changes == by_set.unit_changes
    assert [u.unit for u in by_file.unit_changes] == [
        u["unit_id"] for u in units if between_5_and_8(u)
    ]


def test_criteria_only_one_rule_set_has(shipped: er.Library, commune: er.RuleSet) -> None:
    phu_loc = shipped.load(PHU_LOC, on=DAY)
    unit = {**ALL_MET, "unit_id": "X", "crimes_social_order": 30}  # meets 10% too
    report = er.impact(commune, phu_loc, [unit])
    c35 = report.criterion("35")
    assert (c35.in_base, c35.in_changed, c35.changed, c35.to_unknown) == (False, True, 1, 0)
    assert report.unit_changes[0].criteria == (
        er.CriterionStatusChange("35", None, er.CriterionStatus.UNKNOWN),
    )
    assert report.directions == (er.StatusChange(er.Status.ELIGIBLE, er.Status.UNDETERMINED, 1),)
    assert [p.name for p in report.parameters] == [
        "crime_reduction_min",
        "night_patrols_per_month_min",
    ]
    assert report.parameters[1].before is None and report.parameters[1].after == 4


def test_bad_units_raise_with_their_index_or_are_reported(commune: er.RuleSet) -> None:
    changed = commune.with_parameters({"crime_reduction_min": "8%"})
    units = [ALL_MET, {"unit_id": "Xã lỗi", "crimes_social_order": -1}, ALL_MET]
    with pytest.raises(er.EvidenceError) as info:
        er.impact(commune, changed, units)
    assert info.value.problems[0].path == (1, "crimes_social_order")
    report = er.impact(commune, changed, units, errors="report")
    assert report.units == 2
    assert [(e.position, e.unit, e.ruleset) for e in report.errors] == [(1, "Xã lỗi", commune.ref)]
    assert "crimes_social_order" in report.errors[0].problems[0]
    with pytest.raises(ValueError, match="errors: must be"):
        er.impact(commune, changed, units, errors="ignore")  # type: ignore[arg-type]


def test_a_unit_only_the_changed_rule_set_refuses_names_it(
    shipped: er.Library, commune: er.RuleSet
) -> None:
    phu_loc = shipped.load(PHU_LOC, on=DAY)
    unit = {**ALL_MET, "night_patrols_least_month": 5}  # a fact only the overlay reads
    report = er.impact(phu_loc, commune, [unit], errors="report")
    assert report.errors[0].ruleset == commune.ref
    assert "night_patrols_least_month" in report.errors[0].problems[0]


def test_rule_sets_of_different_dates_are_refused(shipped: er.Library, commune: er.RuleSet) -> None:
    other = shipped.load("typical-commune", on=date(2025, 1, 1))
    with pytest.raises(er.RuleSetError, match="different dates"):
        er.impact(commune, other, [])


def test_the_report_round_trips_through_json(commune: er.RuleSet) -> None:
    changed = commune.with_parameters({"crime_reduction_min": "8%"})
    units = [*list(crime_units())[:60], {"crimes_social_order": -1}]
    report = er.impact(commune, changed, units, errors="report")
    assert report.unit_changes and report.errors
    assert er.from_json(er.to_json(report), er.ImpactReport) == report


def test_units_are_read_lazily(commune: er.RuleSet) -> None:
    changed = commune.with_parameters({"crime_reduction_min": "8%"})
    seen: list[int] = []

    def units() -> Iterator[dict[str, Any]]:
        for i, unit in enumerate(crime_units()):
            seen.append(i)
            yield {"crimes_social_order": -1} if i == 5 else unit

    with pytest.raises(er.EvidenceError):
        er.impact(commune, changed, units())
    assert seen == [0, 1, 2, 3, 4, 5]  # the bad unit stopped it: nothing was read ahead
