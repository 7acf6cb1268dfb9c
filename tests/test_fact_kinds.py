"""Conformance of every fact kind (:mod:`emulation_rules.model.kinds`).

A rule set is generated with a fact of every registered kind (a bounded one too for kinds
that take ``min``/``max``, and a list whose records have a field of every single-value
kind). For every kind: run-time values round-trip through their JSON form and verdicts
through JSON text; the evidence JSON Schema and evaluation agree on a pool of JSON values
(schema-valid values accepted, schema-invalid ones refused at the same path); the kind's
Hypothesis strategy draws values the schema and evaluation accept; display never shows a
level id or ``None``. Adding a kind is writing its class and passing this file.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.evaluation.evidence import BadValue, make_coercer
from emulation_rules.evaluation.values import display, formatter
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.model.kinds import (
    Kind,
    all_kinds,
    kind,
    kind_named,
    kind_of_type,
    parse_iso_date,
)
from emulation_rules.model.ruleset import FactType
from emulation_rules.text import nfc

ON = date(2024, 6, 30)
KINDS = all_kinds()
LEVELS = [("a_grade", "Hạng A", "Grade A"), ("b_grade", "Hạng B", "Grade B"), ("c", "Hạng C", "C")]
LEVEL_IDS = {lv[0] for lv in LEVELS}

POOL: list[Any] = [
    True,
    False,
    0,
    1,
    -1,
    2.5,
    50,
    101,
    10**16,
    "",
    "x",
    "a_grade",
    "Hạng B",
    "Grade A",
    "2024-01-31",
    "2024-02-30",
    "2024-1-5",
    "２０２４-01-31",
    "5%",
    [],
    [{}],
    {},
    [1],
    [{"zz": 1}],
]
"""JSON values every fact (and record field) is tried with."""


def _fact_yaml(name: str, k: Kind, indent: str, *, bounded: bool = False) -> list[str]:
    head = f"{indent}{name}:"
    lines = [
        head,
        f"{indent}  type: {k.name}",
        f"{indent}  label: {{vi: Nhãn {name}, en: L {name}}}",
    ]
    if k.needs_enum:
        lines.append(f"{indent}  enum: grade")
    if bounded:
        lines += [f"{indent}  min: 1", f"{indent}  max: 50"]
    if k.has_fields:
        lines.append(f"{indent}  fields:")
        for field_kind in KINDS:
            if field_kind.single:
                lines += _fact_yaml(f"x_{field_kind.name}", field_kind, indent + "    ")
    return lines


def _ruleset_text() -> str:
    facts: list[str] = []
    for k in KINDS:
        facts += _fact_yaml(f"f_{k.name}", k, "  ")
        if k.bounded:
            facts += _fact_yaml(f"b_{k.name}", k, "  ", bounded=True)
    return "\n".join(
        [
            "id: t-kinds",
            'version: "1"',
            "title: {vi: Các loại dữ kiện, en: Fact kinds}",
            "description: {vi: Thử mọi loại., en: Every kind.}",
            "source: {document: TEST-KINDS/QĐ, part: Điều 1}",
            "applies_to: [commune]",
            "effective: {from: 2023-01-01}",
            "facts:",
            *facts,
            "groups:",
            "  - {id: g, number: 1, title: {vi: Nhóm, en: Group}}",
            "criteria:",
            "  - id: C1",
            "    number: 1",
            "    group: g",
            "    title: {vi: Một, en: One}",
            "    text: {vi: Tiêu chí một.}",
            "    condition: 'true'",
            "",
        ]
    )


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory: pytest.TempPathFactory) -> er.RuleSet:
    root = tmp_path_factory.mktemp("kinds")
    (root / "enumerations").mkdir()
    levels = "".join(f"      - {{id: {i}, vi: {vi}, en: {en}}}\n" for i, vi, en in LEVELS)
    (root / "enumerations" / "grade.yaml").write_text(
        "enumerations:\n  grade:\n    title: {vi: Hạng, en: Grade}\n    levels:\n" + levels,
        encoding="utf-8",
    )
    (root / "t-kinds.yaml").write_text(_ruleset_text(), encoding="utf-8")
    return er.Library([root], shipped=False).load("t-kinds", on=ON)


class _Validator:
    """The evidence schema's validator (dates checked by format), with a short repr for
    Hypothesis reports."""

    def __init__(self, schema: dict[str, Any]) -> None:
        jsonschema.Draft202012Validator.check_schema(schema)
        self._v = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )

    def is_valid(self, instance: Any) -> bool:
        return bool(self._v.is_valid(instance))

    def iter_errors(self, instance: Any) -> list[jsonschema.ValidationError]:
        return list(self._v.iter_errors(instance))

    def __repr__(self) -> str:
        return "<evidence schema validator>"


@pytest.fixture(scope="module")
def validator(ruleset: er.RuleSet) -> _Validator:
    return _Validator(ruleset.evidence_schema())


def _facts_of(ruleset: er.RuleSet, k: Kind) -> list[str]:
    return [name for name, spec in ruleset.facts.items() if spec.type is k.fact_type]


def _schema_paths(error: jsonschema.ValidationError) -> set[tuple[Any, ...]]:
    """Where a schema error lies: the leaves of ``anyOf`` (not the ``null`` branch), an
    unknown key as its own path."""
    if error.context:
        out: set[tuple[Any, ...]] = set()
        for sub in error.context:
            if not (sub.validator == "type" and sub.validator_value == "null"):
                out |= _schema_paths(sub)
        return out
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = set(error.instance) - set(error.schema.get("properties", {}))
        return {(*path, key) for key in sorted(extra)}
    return {path}


def _agree(ruleset: er.RuleSet, validator: _Validator, evidence: dict[str, Any]) -> None:
    schema_errors = list(validator.iter_errors(evidence))
    try:
        ruleset.evaluate(evidence)
    except er.EvidenceError as exc:
        assert schema_errors, f"evaluation refuses what the schema accepts: {evidence!r}: {exc}"
        schema_paths = set().union(*(_schema_paths(e) for e in schema_errors))
        assert {p.path for p in exc.problems} == schema_paths, evidence
    else:
        assert not schema_errors, f"evaluation accepts what the schema refuses: {evidence!r}"


def test_every_fact_type_has_a_kind() -> None:
    assert {k.fact_type for k in KINDS} == set(FactType)
    for k in KINDS:
        assert kind(k.fact_type) is k
        assert kind_named(k.json_name) is k and kind_named(k.name) is k
    assert kind_named("percent") is kind(FactType.PERCENTAGE)  # the verdicts' spelling


@pytest.mark.parametrize("k", KINDS, ids=lambda k: k.name)
def test_schema_and_evaluation_agree_on_every_value(
    k: Kind, ruleset: er.RuleSet, validator: _Validator
) -> None:
    names = _facts_of(ruleset, k)
    assert names
    for name in names:
        for value in [None, *POOL]:
            _agree(ruleset, validator, {name: value})
    if k.single:
        field = f"x_{k.name}"
        for value in [None, *POOL]:
            _agree(ruleset, validator, {"f_list": [{field: value}]})


def _jsonable(value: Any) -> Any:
    """Evidence as a host sends it: JSON text read back (decimals as JSON numbers)."""
    return json.loads(
        json.dumps(value, default=lambda d: float(d) if isinstance(d, Decimal) else d)
    )


FACTS = [(k, f"f_{k.name}") for k in KINDS] + [(k, f"b_{k.name}") for k in KINDS if k.bounded]


@pytest.mark.parametrize(("k", "name"), FACTS, ids=[name for _, name in FACTS])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_strategy_values_validate_round_trip_and_display(
    k: Kind,
    name: str,
    ruleset: er.RuleSet,
    validator: _Validator,
    data: st.DataObject,
) -> None:
    enums = ruleset.enumerations
    spec = ruleset.facts[name]
    t = ruleset.definition.all_fact_types()[name]
    assert kind_of_type(t) is k
    show = formatter(t, unit=spec.unit, enums=enums, enum_id=spec.enum)
    assert show(UNKNOWN)[1:] == ("chưa có", "not given")

    value = _jsonable(data.draw(k.strategy(spec, enums, ON, 1)))
    evidence = {name: value}
    assert validator.is_valid(evidence), evidence
    verdict = ruleset.evaluate(evidence, explain=True)
    assert er.from_json(er.to_json(verdict), er.Verdict) == verdict

    runtime = k.coercer(spec, enums)(value)
    if k.has_fields:
        runtime = runtime[0]
    json_value = k.to_json(runtime, t)
    assert json.loads(json.dumps(json_value)) == json_value
    if k.single:
        assert k.from_json(json_value, t.enum) == runtime
    else:
        assert json_value == len(value)
    shown, vi, en = show(runtime)
    assert shown == json_value
    for lang, text in (("vi", vi), ("en", en)):
        if k.fact_type is FactType.STRING:
            # a text is shown as written (in its one spelling, NFC; it may spell a level id)
            assert text == nfc(value)
        else:
            assert "None" not in text and text.strip()
            assert not any(level in text.split() for level in LEVEL_IDS), text
        assert text == display(
            json_value, k.json_name, lang, unit=spec.unit, enums=enums, enum_id=spec.enum
        )


@pytest.mark.parametrize("k", [k for k in KINDS if k.single], ids=lambda k: k.name)
def test_values_written_in_files_parse_to_run_time_values(k: Kind, ruleset: er.RuleSet) -> None:
    """A value as a rule-set file writes it (YAML) parses to the run-time value whose JSON
    form reads back the same."""
    written = {
        "bool": True,
        "integer": 7,
        "decimal": "2.50",
        "percentage": "12.5%",
        "date": date(2024, 3, 31),
        "string": "Thôn 1",
        "enum": "b_grade",
    }
    name = _facts_of(ruleset, k)[0]
    t = ruleset.definition.all_fact_types()[name]
    runtime = k.parse(written[k.name], t.enum)
    assert k.from_json(k.to_json(runtime, t), t.enum) == runtime
    with pytest.raises(ValueError):
        k.parse(object(), t.enum)


@pytest.mark.parametrize(
    "text", ["20241231", "2024-W01-1", "2024-1-5", "２０２４-01-31", "2024-02-30", " 2024-01-31"]
)
def test_one_date_parser_everywhere(text: str, ruleset: er.RuleSet) -> None:
    """Evidence (fast and slow path) and the converter read dates alike: YYYY-MM-DD only."""
    assert parse_iso_date(text) is None
    with pytest.raises(er.EvidenceError):
        ruleset.evaluate({"f_date": text})
    with pytest.raises(Exception, match="expected a date YYYY-MM-DD"):
        er.converter.structure(text, date)
    assert parse_iso_date("2024-01-31") == er.converter.structure("2024-01-31", date)


NFD_NAME = unicodedata.normalize("NFD", "Thôn 1")
EXTRA = [99.9, 100.0, 0.0, -0.0, 1e-05, 0.1 + 0.2, 100.00000000000001, 99.99999999999999]
EXTRA += [float("nan"), float("inf"), -0.5, 1e300, Decimal("99.9"), "Thôn 1", NFD_NAME]


def _coerced(ruleset: er.RuleSet, name: str, value: Any) -> Any:
    """What the kind's coercer (the slow path) makes of ``value``, or "refused"."""
    try:
        return make_coercer(ruleset.facts[name], ruleset.enumerations)(value)
    except BadValue:
        return "refused"


def _run_value(ruleset: er.RuleSet, name: str, value: Any) -> Any:
    """What the generated ``run`` (fast checks first) makes of ``value``, or "refused"."""
    compiled = ruleset._compiled
    result = compiled.run({name: value}, ())
    if result.errors:
        return "refused"
    assert result.values is not None
    (slot,) = [s for s in compiled.slots if s.name == name]
    return result.values[slot.index]


def _same(a: Any, b: Any) -> bool:
    """Equal, down through tuples, and of the same types, except that a whole number may
    stay an ``int`` where the coercer gives a ``Decimal`` (the decimal kind's fast check
    keeps it); a Decimal keeps its sign and exponent (``-0.000``)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if {type(a), type(b)} == {int, Decimal}:
        return bool(a == b)
    return type(a) is type(b) and (a == b or (a != a and b != b)) and str(a) == str(b)


@pytest.mark.parametrize(("k", "name"), FACTS, ids=[name for _, name in FACTS])
def test_fast_checks_give_the_coercers_values(k: Kind, name: str, ruleset: er.RuleSet) -> None:
    """The inline checks of the generated code accept and convert exactly as the kind's
    coercer does (floats for percentages included)."""
    if k.has_fields:
        fields = ruleset.facts[name].fields
        assert fields is not None
        good = {
            f: [v for v in [*POOL, *EXTRA] if _coerced_field(ruleset, name, f, v)] for f in fields
        }
        records = [{f: vs[i % len(vs)] for f, vs in good.items()} for i in range(12)]
        values: list[Any] = [records, records[:1], [], [*records, {}], [dict(records[0], zz=1)]]
    else:
        values = [*POOL, *EXTRA]
    for value in [*values, *values]:  # again: what the checks remember (dates)
        coerced = _coerced(ruleset, name, value)
        if k.has_fields and coerced != "refused":
            coerced = coerced[0]  # (records, missing)
        assert _same(_run_value(ruleset, name, value), coerced), (name, value)


def _coerced_field(ruleset: er.RuleSet, name: str, field: str, value: Any) -> bool:
    fields = ruleset.facts[name].fields
    assert fields is not None
    try:
        make_coercer(fields[field], ruleset.enumerations)(value)
    except BadValue:
        return False
    return value is not None
