"""A verdict's JSON forms (expanded, compact, brief) and re-explaining a stored verdict
(issue 15): exact round trips, the checks made on reading, and the sizes."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.model.verdict import deferred_of
from emulation_rules.testing import strategies as kit
from support import ON, RULESETS
from test_fast_traced_agreement import criteria, holed, load, rule_set_text

EXAMPLES = Path(__file__).parent.parent / "examples"
NAMES = ["commune-all-met", "commune-fails-18-19", "commune-missing-evidence"]
DAY = date(2025, 6, 1)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def shipped() -> er.Library:
    return er.Library()


@pytest.fixture(scope="module")
def commune(shipped: er.Library) -> er.RuleSet:
    return shipped.load("typical-commune", on=DAY)


# -- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("form", ["expanded", "compact"])
def test_every_form_is_an_exact_round_trip(
    shipped: er.Library, commune: er.RuleSet, name: str, explain: bool, form: str
) -> None:
    verdict = commune.evaluate(example(name), explain=explain)
    text = shipped.to_json(verdict, form=form)  # type: ignore[arg-type]
    assert shipped.from_json(text, er.Verdict) == verdict
    assert commune.read_verdict(text) == verdict
    assert commune.read_verdict(json.loads(text)) == verdict  # parsed data too


@pytest.mark.parametrize("name", NAMES)
def test_brief_keeps_the_outcome_without_the_explanations(
    shipped: er.Library, commune: er.RuleSet, name: str
) -> None:
    explained = commune.evaluate(example(name), explain=True)
    back = shipped.from_json(shipped.to_json(explained, form="brief"), er.Verdict)
    assert back == commune.evaluate(example(name))
    assert not back.explained and "values" not in json.loads(shipped.to_json(back, form="brief"))


def test_the_compact_form_names_the_rule_set_and_lists_only_what_is_not_met(
    shipped: er.Library, commune: er.RuleSet
) -> None:
    missing = example("commune-missing-evidence")
    data = json.loads(shipped.to_json(commune.evaluate(missing, explain=True), form="compact"))
    assert data["form"] == "compact"
    assert data["ruleset"] == {
        "id": commune.id,
        "version": commune.version,
        "sha256": commune.sha256,
    }
    assert data["status"] == "undetermined"
    assert data["unknown"] and all(isinstance(v, list) for v in data["unknown"].values())
    assert set(data["values"]) <= set(commune.facts)
    text = json.dumps(data, ensure_ascii=False)
    for crit in commune.criteria:  # no citation nor title text is stored
        assert crit.citation.document not in text or crit.citation.document in commune.id


def test_sizes_of_the_shipped_commune_verdicts(shipped: er.Library, commune: er.RuleSet) -> None:
    """The issue's storage targets: brief ≤ 3 KB, explained compact ≤ 15 KB."""
    for name in NAMES:
        explained = commune.evaluate(example(name), explain=True)
        assert len(shipped.to_json(explained, form="brief").encode()) <= 3 * 1024
        assert len(shipped.to_json(explained, form="compact").encode()) <= 15 * 1024
        assert len(shipped.to_json(explained).encode()) > 60 * 1024  # expanded: every text


def test_er_to_json_writes_every_form_and_defaults_to_expanded(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(example("commune-all-met"))
    assert er.to_json(verdict) == er.to_json(verdict, form="expanded")
    assert json.loads(er.to_json(verdict, form="compact"))["form"] == "compact"
    with pytest.raises(ValueError, match="form: must be one of"):
        er.to_json(verdict, form="tiny")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="only a Verdict"):
        er.to_json(verdict.ruleset, form="compact")


# -- what reading checks -----------------------------------------------------------------


def test_the_default_converter_says_how_to_read_a_compact_verdict(commune: er.RuleSet) -> None:
    text = er.to_json(commune.evaluate(example("commune-all-met")), form="compact")
    with pytest.raises(er.FormatError, match=r"Library\.from_json.*RuleSet\.read_verdict"):
        er.from_json(text, er.Verdict, where="v.json")


def test_an_explained_verdict_read_from_its_expanded_form_is_written_brief_not_compact(
    shipped: er.Library, commune: er.RuleSet
) -> None:
    eager = er.from_json(
        er.to_json(commune.evaluate(example("commune-all-met"), explain=True)), er.Verdict
    )
    assert deferred_of(eager) is None and eager.explained
    with pytest.raises(er.FormatError, match="form='brief'"):
        shipped.to_json(eager, form="compact")
    assert shipped.from_json(shipped.to_json(eager, form="brief"), er.Verdict) == commune.evaluate(
        example("commune-all-met")
    )


def _stored(commune: er.RuleSet, name: str = "commune-fails-18-19") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        er.to_json(commune.evaluate(example(name), explain=True), form="compact")
    )
    return data


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.update(status="eligible"), "status", "record was altered"),
        (lambda d: d.update(not_met=["18"]), "values", "criterion 19 is stored met"),
        (lambda d: d["values"].update(crimes_social_order=20), "values", "criterion 18"),
        (
            lambda d: d["values"].update(crimes_social_order="many"),
            "values.crimes_social_order",
            "not a integer",
        ),
        (lambda d: d["values"].update(nonsense=1), "values.nonsense", "not a fact"),
        (lambda d: d["values"].update(good_practices=None), "values.good_practices", "left out"),
        (lambda d: d.update(not_met=["18", "18"]), "not_met[1]", "listed twice"),
        (lambda d: d.update(not_met=["18", "99"]), "not_met[1]", "not a criterion"),
        (lambda d: d.update(extra=1), "extra", "unknown key"),
        (lambda d: d.pop("status"), "status", "required key"),
        (lambda d: d.update(unit=5), "unit", "text or null"),
        (lambda d: d.update(unknown=[]), "unknown", "expected an object"),
        (lambda d: d.update(prerequisites=[]), "prerequisites", "expected 1 prerequisites"),
    ],
)
def test_an_altered_or_malformed_compact_record_is_a_format_error_naming_the_field(
    shipped: er.Library, commune: er.RuleSet, change: Any, path: str, message: str
) -> None:
    data = _stored(commune)
    change(data)
    text = json.dumps(data, ensure_ascii=False)
    for read in (
        lambda: shipped.from_json(text, er.Verdict, where="v.json"),
        lambda: commune.read_verdict(text, where="v.json"),
    ):
        with pytest.raises(er.FormatError, match=message) as caught:
            read()
        assert er.errors.format_path(caught.value.path) == path
        assert caught.value.where == "v.json"


def test_a_verdict_of_a_changed_rule_set_is_refused_saying_so(
    tmp_path: Path, commune: er.RuleSet
) -> None:
    shutil.copytree(RULESETS, tmp_path / "rulesets")
    before = er.Library([tmp_path / "rulesets"], shipped=False).load("demo-commune", on=ON)
    stored = er.to_json(before.evaluate({}, explain=True), form="compact")
    path = tmp_path / "rulesets" / "demo-commune.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: {vi: ", "title: {vi: Sửa ", 1), encoding="utf-8")
    after = er.Library([tmp_path / "rulesets"], shipped=False)
    assert after.load("demo-commune", on=ON).sha256 != before.sha256
    with pytest.raises(er.VerdictMismatchError, match="its text changed since") as caught:
        after.from_json(stored, er.Verdict)
    assert caught.value.kind == "ruleset"
    with pytest.raises(er.VerdictMismatchError, match="not by this rule set") as other:
        commune.read_verdict(stored)
    assert other.value.kind == "ruleset"


def test_a_verdict_read_with_a_rule_set_compiled_for_another_date_is_refused(
    shipped: er.Library, commune: er.RuleSet
) -> None:
    stored = er.to_json(commune.evaluate(example("commune-all-met")), form="compact")
    later = shipped.load("typical-commune", on=date(2025, 7, 1))
    with pytest.raises(er.VerdictMismatchError, match="load it with on=2025-06-01") as caught:
        later.read_verdict(stored)
    assert caught.value.kind == "date"
    assert shipped.from_json(stored, er.Verdict).evaluated_on == DAY  # the library finds it


# -- re-explaining a stored verdict ------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_a_stored_brief_verdict_is_explained_again_from_its_evidence(
    shipped: er.Library, commune: er.RuleSet, name: str
) -> None:
    stored = shipped.from_json(
        shipped.to_json(commune.evaluate(example(name)), form="brief"), er.Verdict
    )
    explained = shipped.explain(stored, example(name))
    assert explained == commune.evaluate(example(name), explain=True)
    assert commune.explain(stored, example(name)) == explained


def test_evidence_that_changed_since_is_refused_naming_what_differs(commune: er.RuleSet) -> None:
    stored = commune.evaluate(example("commune-all-met"))
    with pytest.raises(
        er.VerdictMismatchError, match=r"criterion 18: not_met \(stored met\)"
    ) as caught:
        commune.explain(stored, example("commune-fails-18-19") | {"unit_id": stored.unit})
    assert caught.value.kind == "outcome"
    assert "status: not_eligible (stored eligible)" in str(caught.value)


# -- properties --------------------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crits=criteria(), at_least=st.sampled_from([0, 0, 1, 2]), data=st.data())
def test_compact_round_trips_are_exact_on_generated_rule_sets(
    tmp_path_factory: pytest.TempPathFactory,
    crits: list[tuple[list[tuple[str, str, str]], str]],
    at_least: int,
    data: st.DataObject,
) -> None:
    text = rule_set_text(crits, at_least)
    try:
        rs = load(tmp_path_factory.mktemp("forms"), text)
    except er.RuleSetError:
        assume(False)
        raise
    evidence = data.draw(holed(rs), label="evidence")
    try:
        explained, brief = rs.evaluate(evidence, explain=True), rs.evaluate(evidence)
    except er.EvaluationError:
        assume(False)
        raise
    assert rs.read_verdict(er.to_json(explained, form="compact")) == explained, text
    assert rs.read_verdict(er.to_json(explained, form="brief")) == brief, text
    assert rs.read_verdict(er.to_json(brief, form="compact")) == brief, text
    for _ in range(2):  # the second from the kept texts
        again = rs.evaluate(evidence, explain=True)
        assert er.to_json(again) == json.dumps(er.converter.unstructure(again), ensure_ascii=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compact_round_trips_are_exact_on_the_shipped_commune(
    commune: er.RuleSet, data: st.DataObject
) -> None:
    evidence = data.draw(kit.evidence(commune), label="evidence")
    explained = commune.evaluate(evidence, explain=True)
    assert commune.read_verdict(er.to_json(explained, form="compact")) == explained


def test_the_expanded_text_of_a_lazy_verdict_is_byte_for_byte_json_dumps(
    commune: er.RuleSet,
) -> None:
    """The expanded form of an explained verdict is written from per-criterion texts kept
    between verdicts: the same bytes as dumping the unstructured verdict."""
    for name in NAMES * 2:  # the second time from the kept texts
        verdict = commune.evaluate(example(name), explain=True)
        expected = json.dumps(er.converter.unstructure(verdict), ensure_ascii=False)
        assert er.to_json(verdict) == expected
        assert json.loads(er.to_json(verdict)) == json.loads(expected)


@pytest.mark.parametrize("ruleset", [{"id": "typical-commune"}, {"id": 5, "version": "2022.1"}])
def test_a_compact_record_without_its_rule_set_text_is_a_format_error(
    shipped: er.Library, commune: er.RuleSet, ruleset: dict[str, Any]
) -> None:
    data = _stored(commune) | {"ruleset": ruleset}
    with pytest.raises(er.FormatError, match="expected a text") as caught:
        shipped.from_json(json.dumps(data), er.Verdict)
    assert caught.value.path[0] == "ruleset"
