"""Verdicts as JSON: the documented structure, canonical values, and an exact round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.errors import FormatError
from support import ELIGIBLE, FUNCTIONS_UNIT, ON

TOP_KEYS = [
    "ruleset",
    "evaluated_on",
    "status",
    "reason",
    "criteria",
    "prerequisites",
    "level",
    "points",
    "unit",
    "ignored_facts",
]


def roundtrip(verdict: er.Verdict) -> er.Verdict:
    text = er.to_json(verdict)
    back = er.from_json(text, er.Verdict)
    assert back == verdict
    assert er.to_json(back) == text
    return back


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize(
    "evidence",
    [
        {},
        ELIGIBLE,
        {**ELIGIBLE, "crimes": 40, "crimes_previous_year": 41, "tips_share": 79.9},
        {**ELIGIBLE, "safe_standard_achieved": False, "movement_class": None},
        {"teams": [{"team": "A", "good_deeds": 0}], "funding": 0, "unit_id": "Xã Đông"},
    ],
)
def test_commune_verdicts_round_trip(
    commune: er.RuleSet, evidence: dict[str, Any], explain: bool
) -> None:
    roundtrip(commune.evaluate(evidence, explain=explain))


@pytest.mark.parametrize("explain", [False, True])
def test_other_verdicts_round_trip(
    functions: er.RuleSet, points: er.RuleSet, overlay: er.RuleSet, explain: bool
) -> None:
    for rs, evidence in (
        (functions, FUNCTIONS_UNIT),
        (functions, {"teams": [{"name": "A"}], "share": 33.333}),
        (points, {"meetings": 4, "tips": 5, "members_share": 50, "rating": "done"}),
        (points, {"meetings": 4}),
        (overlay, {**ELIGIBLE, "patrols": 3}),
    ):
        back = roundtrip(rs.evaluate(evidence, explain=explain))
        assert back.ruleset.id == rs.id


def test_structure_of_a_verdict(commune: er.RuleSet) -> None:
    verdict = commune.evaluate({**ELIGIBLE, "crimes": 40, "crimes_previous_year": 41}, explain=True)
    data = json.loads(er.to_json(verdict))
    assert list(data) == TOP_KEYS
    assert data["ruleset"] == {
        "id": "demo-commune",
        "version": "2024.1",
        "sha256": commune.sha256,
    }
    assert data["evaluated_on"] == ON.isoformat()
    assert data["status"] == "not_eligible"
    assert data["reason"] == {
        "vi": "Không đủ điều kiện: không đạt tiêu chí 18.",
        "en": "Not eligible: criteria not met: 18.",
    }
    assert data["unit"] == "Xã Phú Lộc"
    assert data["level"] is None and data["points"] is None
    c18 = next(c for c in data["criteria"] if c["id"] == "18")
    assert list(c18) == ["id", "number", "group", "status", "reason", "missing", "explanation"]
    assert c18["status"] == "not_met" and c18["missing"] == []
    exp = c18["explanation"]
    assert list(exp) == ["values", "comparisons", "needed", "citation"]
    assert exp["comparisons"] == [
        {
            "text": "crimes <= max_allowed",
            "left": 40,
            "op": "<=",
            "right": "38.95",
            "kind": "integer",
            "result": "not_met",
        }
    ]
    assert exp["needed"] == [{"fact": "crimes", "op": "<=", "value": 38, "kind": "integer"}]
    assert exp["citation"]["date"] == "2022-12-28"
    assert exp["citation"]["also_cited_as"] == ["TEST-9745/QĐ"]
    (pre,) = data["prerequisites"]
    assert pre["name"] == "prerequisites" and pre["status"] == "eligible"
    assert pre["ruleset"]["id"] == "demo-prerequisites"


def test_canonical_values(commune: er.RuleSet) -> None:
    unit = {**ELIGIBLE, "tips_share": 85.25, "funding": 2.5, "crimes": None}
    data = json.loads(er.to_json(commune.evaluate(unit, explain=True)))
    values = {
        v["name"]: (v["kind"], v["value"])
        for c in data["criteria"]
        for v in c["explanation"]["values"]
    }
    assert values["tips_share"] == ("percent", "85.25")  # 0–100, exact string
    assert values["funding"] == ("decimal", "2.5")
    assert values["resolution_date"] == ("date", "2024-03-31")
    assert values["party_rating"] == ("enum", "good")
    assert values["no_violations"] == ("bool", True)
    assert values["crimes"] == ("integer", None)  # not given
    assert values["min_crime_reduction"] == ("percent", "5")
    assert values["max_allowed"] == ("decimal", "38")


def test_points_are_a_decimal_string(points: er.RuleSet) -> None:
    verdict = points.evaluate({"meetings": 4, "tips": 5, "members_share": 50, "rating": "done"})
    data = json.loads(er.to_json(verdict))
    assert (data["level"], data["points"]) == ("excellent", "90.5")


def test_brief_verdict_has_no_explanations(commune: er.RuleSet) -> None:
    data = json.loads(er.to_json(commune.evaluate(ELIGIBLE)))
    assert all(c["explanation"] is None for c in data["criteria"])


def test_json_is_utf8_text_and_may_be_indented(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(ELIGIBLE)
    text = er.to_json(verdict)
    assert "Xã Phú Lộc" in text and "\\u" not in text
    indented = er.to_json(verdict, indent=2)
    assert "\n  " in indented
    assert er.from_json(indented, er.Verdict) == verdict


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("status",), "maybe"),
        (("evaluated_on",), "2024-02-30"),
        (("criteria", 0, "status"), "passed"),
        (("bogus",), 1),
        (("criteria", 0, "bogus"), 1),
        (("ruleset", "sha256"), 5),
    ],
)
def test_from_json_refuses_malformed_verdicts(
    commune: er.RuleSet, path: tuple[Any, ...], value: Any
) -> None:
    data = json.loads(er.to_json(commune.evaluate(ELIGIBLE)))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(FormatError) as info:  # a library error naming the path, never cattrs'
        er.from_json(json.dumps(data), er.Verdict)
    assert info.value.path == path


def test_converter_is_the_librarys(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(ELIGIBLE)
    data = er.converter.unstructure(verdict)
    assert data["status"] == "eligible"
    assert er.converter.structure(data, er.Verdict) == verdict


def test_a_hosts_converter_hook_stays_in_its_library(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(ELIGIBLE)
    first, second = er.Library(), er.Library()
    first.converter.register_unstructure_hook(er.Status, lambda s: s.value.upper())
    assert json.loads(first.to_json(verdict))["status"] == "ELIGIBLE"  # nested field reached
    assert json.loads(second.to_json(verdict))["status"] == "eligible"
    assert json.loads(er.to_json(verdict))["status"] == "eligible"
    assert second.from_json(er.to_json(verdict), er.Verdict) == verdict
    assert er.from_json(er.to_json(verdict), er.Verdict) == verdict


def test_the_default_converter_refuses_hooks_and_is_extended_by_copying(
    commune: er.RuleSet,
) -> None:
    verdict = commune.evaluate(ELIGIBLE)
    with pytest.raises(TypeError, match="frozen"):
        er.converter.register_unstructure_hook(er.Status, str)
    own = er.converter.copy()
    own.register_unstructure_hook(er.Status, lambda s: "own")
    assert own.unstructure(verdict)["status"] == "own"
    assert er.converter.unstructure(verdict)["status"] == "eligible"
