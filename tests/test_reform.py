"""A changed copy of a rule set (issue 16, impact of a rule change): parameters given
other values by ``RuleSet.with_parameters`` (``--set PARAM=VALUE``), read and checked by
their declared types exactly as in a rule-set file, the base left alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.loading.reform import parse_setting
from impact_support import ALL_MET, DAY
from support import minimal, write


@pytest.fixture(scope="module")
def shipped() -> er.Library:
    return er.Library()


@pytest.fixture(scope="module")
def commune(shipped: er.Library) -> er.RuleSet:
    return shipped.load("typical-commune", on=DAY)


def test_with_parameters_is_a_new_rule_set_and_leaves_the_base_alone(
    shipped: er.Library, commune: er.RuleSet
) -> None:
    spec_before = commune.definition.parameters["crime_reduction_min"]
    changed = commune.with_parameters({"crime_reduction_min": "8%"})
    assert changed.version == "2022.1+reform" and changed.id == commune.id
    assert changed.sha256 != commune.sha256
    assert changed.parameters["crime_reduction_min"] == Decimal("0.08")
    assert commune.parameters["crime_reduction_min"] == Decimal("0.05")
    assert commune.definition.parameters["crime_reduction_min"] is spec_before
    assert shipped.load("typical-commune", on=DAY).sha256 == commune.sha256
    unit = {**ALL_MET, "crimes_social_order": 38, "crimes_social_order_previous_year": 40}
    assert commune.evaluate(unit).status is er.Status.ELIGIBLE
    verdict = changed.evaluate(unit, explain=True)
    assert verdict.status is er.Status.NOT_ELIGIBLE and verdict.not_met == ("18",)
    assert verdict.ruleset.version == "2022.1+reform"
    assert "cần giảm ít nhất 8%" in verdict.criterion("18").reason.vi  # the new value shows
    assert "at least 8%" in verdict.criterion("18").reason.en
    # the same change twice is the same rule set (same hash)
    assert commune.with_parameters({"crime_reduction_min": "8%"}).sha256 == changed.sha256


def test_a_dated_parameter_gets_the_one_value_on_every_date(library: er.Library) -> None:
    later = library.load("demo-commune", on=date(2025, 6, 1))  # 10% from 2025
    assert later.parameters["min_crime_reduction"] == Decimal("0.1")
    changed = later.with_parameters({"min_crime_reduction": "8%"})
    assert changed.parameters["min_crime_reduction"] == Decimal("0.08")


@pytest.mark.parametrize(
    ("setting", "name", "value"),
    [
        ("crime_reduction_min=8%", "crime_reduction_min", Decimal("0.08")),
        ("crime_reduction_min=1.5%", "crime_reduction_min", Decimal("0.015")),
        ("drug_addicts_band=12", "drug_addicts_band", 12),
        ("crime_contained_means_no_increase=true", "crime_contained_means_no_increase", True),
        # a level becomes its rank (the best of 4 levels ranks 4; the base's "good" 3)
        ("party_committee_rating_min=excellent", "party_committee_rating_min", 4),
    ],
)
def test_set_values_are_read_by_the_parameters_type_as_in_a_file(
    commune: er.RuleSet, setting: str, name: str, value: Any
) -> None:
    parsed = parse_setting(setting)
    assert parsed[0] == name
    assert commune.with_parameters(dict([parsed])).parameters[name] == value


def test_a_date_parameter_takes_a_date(tmp_path: Path) -> None:
    text = minimal(
        "issued <= deadline",
        parameters="  deadline:\n    type: date\n    label: {vi: Hạn, en: Deadline}\n"
        "    source: {document: TEST-MIN/QĐ}\n    value: 2024-03-31",
        facts="  issued: {type: date, label: {vi: Ngày ban hành, en: Issued}}",
    )
    rs = er.Library([write(tmp_path, "r.yaml", text).parent], shipped=False).load("t-min", on=DAY)
    changed = rs.with_parameters(dict([parse_setting("deadline=2024-06-30")]))
    assert changed.parameters["deadline"] == date(2024, 6, 30)
    unit = {"issued": "2024-05-01"}
    assert rs.evaluate(unit).status is er.Status.NOT_ELIGIBLE
    assert changed.evaluate(unit).status is er.Status.ELIGIBLE
    with pytest.raises(er.RuleSetError, match=r"parameters\.deadline: expected a date"):
        rs.with_parameters(dict([parse_setting("deadline=soon")]))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"crime_reduction_mn": "8%"},
            r"parameters\.crime_reduction_mn: typical-commune 2022\.1 has no such parameter; "
            r"did you mean 'crime_reduction_min'\?",
        ),
        ({"crime_reduction_min": 8}, r"parameters\.crime_reduction_min: expected a percentage"),
        ({"crime_reduction_min": "120%"}, r"parameters\.crime_reduction_min: .*100"),
        ({"drug_addicts_band": "many"}, r"parameters\.drug_addicts_band: expected a whole number"),
        ({"party_committee_rating_min": "best"}, r"expected a level of task_rating"),
        ({}, r"no parameter to change"),
        (
            {"safe_standard_year_window": 2},
            r"safe_standard_year_window: typical-commune 2022\.1 has no such parameter \(it is "
            r"a parameter of its prerequisite typical-prerequisites",
        ),
    ],
)
def test_an_unknown_parameter_or_a_bad_value_names_it(
    commune: er.RuleSet, values: dict[str, Any], message: str
) -> None:
    with pytest.raises(er.RuleSetError, match=message):
        commune.with_parameters(values)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("crime_reduction_min", r"expected PARAMETER=VALUE"),
        ("=8%", r"expected PARAMETER=VALUE"),
        ("crime_reduction_min=", r"a value is needed"),
        ("crime_reduction_min=[8%]", r"expected one value"),
        ("crime_reduction_min={a: 1}", r"expected one value"),
    ],
)
def test_a_malformed_setting_is_refused(text: str, message: str) -> None:
    with pytest.raises(er.RuleSetError, match=message):
        parse_setting(text)


def test_a_changed_value_is_checked_like_a_file_value(tmp_path: Path) -> None:
    rs = er.Library([write(tmp_path, "r.yaml", minimal("count_a / limit >= 1")).parent]).load(
        "t-min", on=DAY
    )
    with pytest.raises(er.ExpressionError, match="division by zero"):
        rs.with_parameters({"limit": 0})
