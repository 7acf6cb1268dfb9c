"""JSON Schemas: the published format schemas are current, every rule-set file the
project ships (and the test rule sets) validates against them, and evidence schemas
accept what evaluation accepts."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import emulation_rules as er
from emulation_rules.loading.schema import enumeration_format_schema, ruleset_format_schema
from emulation_rules.loading.yamlsource import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "rulesets" / "schema"
RULESET_FILES = sorted(
    p for folder in (ROOT / "rulesets", ROOT / "tests" / "rulesets") for p in folder.glob("*.yaml")
)
ENUM_FILES = sorted((ROOT / "rulesets" / "enumerations").glob("*.yaml"))


def _jsonable(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    if isinstance(data, date):
        return data.isoformat()
    if isinstance(data, Decimal):
        return float(data)
    return data


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("ruleset.schema.json", ruleset_format_schema),
        ("enumerations.schema.json", enumeration_format_schema),
    ],
)
def test_published_schema_is_current(name: str, build: Any) -> None:
    published = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert published == build(), (
        f"rulesets/schema/{name} is stale: regenerate it with "
        f"`emulation-rules schema --format-schema {name.split('.')[0]} > rulesets/schema/{name}`"
    )


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.name)
def test_ruleset_files_validate_against_format_schema(path: Path) -> None:
    data = _jsonable(parse_yaml(path.read_text(encoding="utf-8"), str(path)).data)
    jsonschema.validate(data, ruleset_format_schema())


@pytest.mark.parametrize("path", ENUM_FILES, ids=lambda p: p.name)
def test_enumeration_files_validate(path: Path) -> None:
    data = _jsonable(parse_yaml(path.read_text(encoding="utf-8"), str(path)).data)
    jsonschema.validate(data, enumeration_format_schema())


def test_format_schema_rejects_unknown_keys_like_the_loader() -> None:
    bad = {"id": "x", "bogus": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, ruleset_format_schema())


@pytest.fixture(scope="module")
def demo() -> er.RuleSet:
    return er.Library([ROOT / "tests" / "rulesets"]).load("demo-commune", on=date(2024, 6, 1))


def test_evidence_schema_accepts_valid_and_rejects_invalid(demo: er.RuleSet) -> None:
    schema = demo.evidence_schema()
    good = {
        "unit_id": "Xã A",
        "crimes": 3,
        "tips_share": 80.5,
        "party_rating": "good",
        "teams": [{"team": "Thôn 1", "good_deeds": 1, "commended": 0}],
        "safe_standard_achieved": True,
        "movement_class": "Khá",
    }
    jsonschema.validate(good, schema)
    demo.evaluate(good)  # the library accepts it too
    for bad in (
        {"crimes": -1},
        {"tips_share": 101},
        {"party_rating": "gooood"},
        {"crimez": 1},
        {"teams": [{"team": "x", "bogus": 1}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with pytest.raises(er.EvidenceError):
            demo.evaluate(bad)


def test_evidence_schema_includes_prerequisite_facts(demo: er.RuleSet) -> None:
    props = demo.evidence_schema()["properties"]
    assert "safe_standard_achieved" in props and "movement_class" in props
    assert props["crimes"]["title"].startswith("Số vụ")
