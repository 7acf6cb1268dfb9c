"""Known: none (issue 17, point 5). A date fact declaring ``none:`` accepts ``"none"``
(``er.NONE``): the document was never issued. ``exists(d)`` reads it false, so criterion 2
of typical-commune and of typical-organisation is not met, whereas a date left out leaves
it undetermined, listed as missing."""

from __future__ import annotations

import json
import pickle
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.expr.runtime import exists
from emulation_rules.testing import strategies as kit
from support import line_of, load_text, minimal

ROOT = Path(__file__).resolve().parents[1]
ON = date(2024, 12, 31)
MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)
DATES = (
    "party_committee_resolution_date",
    "peoples_committee_plan_date",
    "steering_committee_programme_date",
)


@pytest.fixture(scope="module")
def lib() -> er.Library:
    return er.Library()


@pytest.fixture(scope="module")
def commune(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-commune", on=ON)


@pytest.fixture(scope="module")
def organisation(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-organisation", on=ON)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"))
    return data


# -- typical-commune, criterion 2 -----------------------------------------------------------


@pytest.mark.parametrize("fact", DATES)
def test_a_commune_that_issued_no_document_is_not_eligible(commune: er.RuleSet, fact: str) -> None:
    ev = example("commune-all-met.json") | {fact: "none"}
    verdict = commune.evaluate(ev, explain=True)
    assert verdict.status is er.Status.NOT_ELIGIBLE
    crit = verdict.criterion("2")
    assert crit.status is NOT_MET
    assert crit.missing == ()
    assert all(c.status is MET for c in verdict.criteria if c.id != "2")


def test_the_python_sentinel_reads_as_the_json_none(commune: er.RuleSet) -> None:
    ev = example("commune-all-met.json")
    by_text = commune.evaluate(ev | {DATES[0]: "none"}, explain=True)
    by_sentinel = commune.evaluate(ev | {DATES[0]: er.NONE}, explain=True)
    assert by_sentinel == by_text
    assert str(er.NONE) == "none" and repr(er.NONE) == "NONE"
    assert pickle.loads(pickle.dumps(er.NONE)) is er.NONE
    with pytest.raises(TypeError):
        bool(er.NONE)


def test_a_date_left_out_is_still_undetermined_and_listed_missing(commune: er.RuleSet) -> None:
    ev = example("commune-all-met.json")
    del ev[DATES[0]]
    verdict = commune.evaluate(ev)
    assert verdict.status is er.Status.UNDETERMINED
    assert verdict.criterion("2").status is UNKNOWN
    assert verdict.criterion("2").missing == (DATES[0],)


def test_none_and_a_missing_date_together_is_not_met_not_undetermined(
    commune: er.RuleSet,
) -> None:
    """Kleene: a document known never issued decides the criterion, whatever is missing."""
    ev = example("commune-all-met.json") | {DATES[0]: "none"}
    del ev[DATES[1]]
    verdict = commune.evaluate(ev)
    assert verdict.criterion("2").status is NOT_MET
    assert verdict.status is er.Status.NOT_ELIGIBLE


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2024-01-01", MET),
        ("2024-02-15", MET),
        ("2024-03-31", MET),
        ("2024-04-01", NOT_MET),
        ("2023-12-31", NOT_MET),
    ],
)
def test_the_first_quarter_boundaries_are_unchanged(
    commune: er.RuleSet, day: str, status: er.CriterionStatus
) -> None:
    ev = example("commune-all-met.json") | {DATES[0]: day}
    assert commune.evaluate(ev).criterion("2").status is status
    assert commune.evaluate(ev, explain=True).criterion("2").status is status


def test_the_values_read_show_the_none_words_and_the_reason_reads_naturally(
    commune: er.RuleSet,
) -> None:
    ev = example("commune-all-met.json") | {DATES[0]: "none"}
    crit = commune.evaluate(ev, explain=True).criterion("2")
    assert crit.explanation is not None
    read = {v.name: v for v in crit.explanation.values}
    assert read[DATES[0]].value == "none"
    assert read[DATES[0]].kind == "date"
    assert "nghị quyết của Đảng ủy: chưa ban hành" in crit.reason.vi
    assert "resolution of the Party committee: not issued" in crit.reason.en
    assert "chưa có" not in crit.reason.vi  # read, not missing
    assert "none" not in crit.reason.vi.lower() and "None" not in crit.reason.vi
    assert "not given" not in crit.reason.en
    assert not re.search(r"[a-z]+_[a-z_]+", crit.reason.vi)  # no ids


@pytest.mark.parametrize("form", ["expanded", "compact", "brief"])
def test_a_verdict_with_none_round_trips_in_every_form(
    lib: er.Library, commune: er.RuleSet, form: str
) -> None:
    ev = example("commune-all-met.json") | {DATES[0]: "none"}
    verdict = commune.evaluate(ev, explain=True)
    text = er.to_json(verdict) if form == "expanded" else lib.to_json(verdict, form=form)
    stored = lib.from_json(text, er.Verdict)
    if form == "expanded":
        assert stored == verdict
        assert '"none"' in text
    else:
        assert lib.explain(stored, ev) == verdict
    if form == "compact":
        assert json.loads(text)["values"][DATES[0]] == "none"


def test_the_evidence_schema_accepts_none_for_such_facts_only(lib: er.Library) -> None:
    import jsonschema

    schema = json.loads(
        (ROOT / "rulesets/schema/evidence/typical-commune.schema.json").read_text("utf-8")
    )
    jsonschema.validate({DATES[0]: "none", DATES[1]: "2024-02-01"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({DATES[0]: "nothing"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"topic_fire_prevention_deployed": "none"}, schema)


# -- typical-organisation, criterion 2 ------------------------------------------------------


@pytest.mark.parametrize("name", ["enterprise.json", "school.json"])
def test_an_organisation_that_issued_no_programme_is_not_eligible(
    organisation: er.RuleSet, name: str
) -> None:
    base = example(name)
    assert organisation.evaluate(base).status is er.Status.ELIGIBLE
    verdict = organisation.evaluate(base | {"security_programme_plan_date": "none"}, explain=True)
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert verdict.criterion("2").status is NOT_MET
    assert "chương trình, kế hoạch: chưa ban hành" in verdict.criterion("2").reason.vi
    left_out = dict(base)
    del left_out["security_programme_plan_date"]
    unknown = organisation.evaluate(left_out)
    assert unknown.status is er.Status.UNDETERMINED
    assert unknown.criterion("2").missing == ("security_programme_plan_date",)


@pytest.mark.parametrize(("day", "status"), [("2024-03-31", MET), ("2024-04-01", NOT_MET)])
def test_the_organisation_boundaries_are_unchanged(
    organisation: er.RuleSet, day: str, status: er.CriterionStatus
) -> None:
    ev = example("enterprise.json") | {"security_programme_plan_date": day}
    assert organisation.evaluate(ev).criterion("2").status is status


# -- evidence errors ------------------------------------------------------------------------

NO_NONE = minimal(
    "year(issued) == 2024",
    facts="  issued: {type: date, label: {vi: Ngày ban hành, en: Date issued}}",
)


def test_none_for_a_fact_without_the_option_is_an_evidence_error(tmp_path: Path) -> None:
    rs = load_text(tmp_path, NO_NONE)
    with pytest.raises(er.EvidenceError) as caught:
        rs.evaluate({"issued": "none"})
    (problem,) = caught.value.problems
    assert problem.path == ("issued",)
    assert "does not declare 'none:'" in str(caught.value)
    with er.error_language("vi"):
        vi = str(caught.value)
    assert "không khai báo 'none:'" in vi and "issued" in vi
    with pytest.raises(er.EvidenceError):
        rs.evaluate({"issued": er.NONE})


def test_a_bad_value_for_a_fact_with_the_option_says_none_is_allowed(
    commune: er.RuleSet,
) -> None:
    with pytest.raises(er.EvidenceError) as caught:
        commune.evaluate({DATES[0]: "nothing"})
    assert "or 'none'" in str(caught.value)
    with er.error_language("vi"):
        assert "hoặc 'none'" in str(caught.value)


# -- load errors ------------------------------------------------------------------------------

WITH_NONE = (
    "  issued: {type: date, none: {vi: chưa ban hành, en: not issued}, label: {vi: Ngày, en: Day}}"
)


def test_exists_reads_a_fact_declaring_none(tmp_path: Path) -> None:
    rs = load_text(tmp_path, minimal("exists(issued) and year(issued) == 2024", facts=WITH_NONE))
    assert rs.evaluate({"issued": "2024-05-01"}).criterion("C1").status is MET
    assert rs.evaluate({"issued": "none"}).criterion("C1").status is NOT_MET
    assert rs.evaluate({}).criterion("C1").status is UNKNOWN
    assert rs.evaluate({}).criterion("C1").missing == ("issued",)
    # NONE is unknown to every other reading: `not exists(d)` is how to say "never issued"
    never = load_text(tmp_path, minimal("not exists(issued)", facts=WITH_NONE), name="n.yaml")
    assert never.evaluate({"issued": "none"}).criterion("C1").status is MET
    assert never.evaluate({"issued": "2024-01-02"}).criterion("C1").status is NOT_MET


@pytest.mark.parametrize(
    ("condition", "facts"),
    [
        ("exists(issued)", "  issued: {type: date, label: {vi: Ngày, en: Day}}"),
        ("exists(flag)", ""),
        ("exists(count_a)", ""),
        ("exists(issued, issued)", WITH_NONE),
        ("exists(min(issued, issued))", WITH_NONE),
    ],
)
def test_exists_on_anything_else_is_a_load_error_naming_the_criterion(
    tmp_path: Path, condition: str, facts: str
) -> None:
    text = minimal(condition, facts=facts)
    with pytest.raises(er.RuleSetError) as caught:
        load_text(tmp_path, text)
    err = caught.value
    assert err.criterion == "C1"
    assert err.line == line_of(text, "condition:")
    assert "exists() takes one date fact that declares `none:`" in str(err)
    with er.error_language("vi"):
        assert "hàm exists() nhận đúng một dữ kiện ngày có khai báo `none:`" in str(err)


def test_none_on_a_fact_that_is_not_a_date_is_a_load_error(tmp_path: Path) -> None:
    facts = "  n: {type: integer, none: {vi: không có, en: none}, label: {vi: Số, en: Number}}"
    text = minimal(facts=facts)
    with pytest.raises(er.RuleSetError) as caught:
        load_text(tmp_path, text)
    assert "`none:` is only for date facts" in str(caught.value)
    with er.error_language("vi"):
        assert "`none:` chỉ dùng cho dữ kiện kiểu ngày" in str(caught.value)


def test_only_the_two_rule_sets_using_none_changed_their_fingerprint(lib: er.Library) -> None:
    """The option is left out of the canonical form while absent."""
    pages = ROOT / "docs" / "rulesets"
    for rid in ("typical-prerequisites", "special-campaign-targets"):
        rs = lib.load(rid, on=ON)
        assert rs.definition.sha256 in (pages / f"{rid}.md").read_text("utf-8")


# -- runtime and testing kit ------------------------------------------------------------------


def test_exists_is_three_valued() -> None:
    assert exists(er.UNKNOWN) is er.UNKNOWN
    assert exists(er.NONE) is False
    assert exists(date(2024, 1, 1)) is True


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_testing_kit_draws_none_and_complete_evidence_is_never_undetermined(
    commune: er.RuleSet, data: st.DataObject
) -> None:
    ev = data.draw(kit.evidence(commune, complete=True))
    verdict = commune.evaluate(ev)
    assert verdict.status is not er.Status.UNDETERMINED
    if any(ev.get(f) == "none" for f in DATES):
        assert verdict.criterion("2").status is NOT_MET


def test_the_testing_kit_can_draw_none() -> None:
    lib = er.Library()
    rs = lib.load("typical-commune", on=ON)
    strategy = kit.evidence(rs, complete=True)
    seen = set()

    @settings(max_examples=80, deadline=None, database=None, derandomize=True)
    @given(ev=strategy)
    def draw(ev: dict[str, Any]) -> None:
        seen.add(ev.get(DATES[0]) == "none")

    draw()
    assert seen == {True, False}


def test_repair_makes_criterion_2_met_again_from_none(commune: er.RuleSet) -> None:
    ev = example("commune-all-met.json") | {DATES[0]: "none"}
    assert kit.repair(commune, ev)
    assert ev[DATES[0]] != "none"
    assert commune.evaluate(ev).status is er.Status.ELIGIBLE


def test_a_stored_none_for_a_fact_without_the_option_is_refused(tmp_path: Path) -> None:
    from emulation_rules.evaluation.values_json import decode_values

    rs = load_text(tmp_path, NO_NONE)
    with pytest.raises(er.FormatError) as caught:
        decode_values(rs._compiled.slots, {"issued": "none"})
    assert "does not declare" in str(caught.value) or "declares `none:`" in str(caught.value)
    with er.error_language("vi"):
        assert "khai báo `none:`" in str(caught.value)
