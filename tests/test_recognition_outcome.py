"""Recognition outcomes: recognised, not recognised, prerequisite not met, undetermined,
dossier not ready; the authority follows the recognition date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import emulation_rules as er
from emulation_rules.awards.dossier import Dossier, parse_dossier
from emulation_rules.awards.recognition import (
    Recognition,
    RecognitionOutcome,
    load_procedure,
    recognise,
)
from emulation_rules.errors import EvidenceError, NotFoundError, RuleSetError
from emulation_rules.model.converter import converter

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROC = load_procedure()
LIB = er.Library()


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def _dossier(name: str = "dossier-complete.json", **changes: Any) -> Dossier:
    data = {**_example(name), **changes}
    return parse_dossier(data, kinds=PROC.document_kinds)


def _recognise(
    evidence: dict[str, Any],
    dossier: Dossier | None = None,
    *,
    year: int = 2024,
    on: date | None = None,
    ruleset: str = "typical-commune",
) -> Recognition:
    day = on or PROC.recognition_date(year)
    verdict = LIB.load(ruleset, on=day).evaluate(evidence, explain=True)
    return recognise(PROC, verdict, dossier or _dossier(unit=None), year=year, on=on)


ALL_MET = _example("commune-all-met.json")


def test_all_met_with_a_complete_dossier_is_recognised() -> None:
    result = _recognise(ALL_MET, _dossier())
    assert result.outcome is RecognitionOutcome.RECOGNISED
    assert result.failed_criteria == result.failed_prerequisites == result.unknown_criteria == ()
    assert result.authority.id == "district-bcd-138"
    assert result.reason.vi.startswith("Công nhận (năm 2024, Ban Chỉ đạo 138 huyện Hậu Lộc)")
    assert "34/34" in result.reason.vi
    text = er.to_json(result)
    assert converter.structure(json.loads(text), Recognition) == result


def test_33_of_34_is_not_recognised_with_the_failing_criterion_named() -> None:
    evidence = {**ALL_MET, "crimes_social_order": 39}  # 40 last year: at most 38 allowed
    result = _recognise(evidence)
    assert result.outcome is RecognitionOutcome.NOT_RECOGNISED
    assert result.failed_criteria == ("18",)
    assert result.failed_prerequisites == ()
    assert len(result.verdict.met) == 33
    assert "tiêu chí 18" in result.reason.vi and "33/34" in result.reason.vi
    assert "criteria not met: 18" in result.reason.en


def test_prerequisite_not_met_is_distinct_from_a_failed_criterion() -> None:
    evidence = {**ALL_MET, "safe_standard_year": 2021}  # too old: criterion 1 of the prerequisites
    result = _recognise(evidence)
    assert result.outcome is RecognitionOutcome.PREREQUISITE_NOT_MET
    assert result.failed_prerequisites == ("typical-prerequisites/1",)
    assert result.failed_criteria == ()
    assert "điều kiện lựa chọn" in result.reason.vi
    assert "prerequisite not met" in result.reason.en


def test_prerequisite_not_met_comes_before_failed_criteria() -> None:
    # movement class "Khá" is too low for criterion 15 but meets the prerequisite;
    # "Trung bình" fails both
    result = _recognise(
        {**ALL_MET, "movement_class": "Trung bình", "movement_class_previous_year": "Trung bình"}
    )
    assert result.outcome is RecognitionOutcome.PREREQUISITE_NOT_MET
    assert result.failed_prerequisites == ("typical-prerequisites/2",)
    assert result.failed_criteria == ("15",)
    khá = _recognise({**ALL_MET, "movement_class": "Khá"})
    assert khá.outcome is RecognitionOutcome.NOT_RECOGNISED and khá.failed_criteria == ("15",)


def test_missing_evidence_is_undetermined() -> None:
    evidence = dict(ALL_MET)
    del evidence["crimes_social_order"]
    result = _recognise(evidence)
    assert result.outcome is RecognitionOutcome.UNDETERMINED
    assert result.unknown_criteria == ("18",)
    assert "crimes_social_order" in result.missing_facts
    evidence = dict(ALL_MET)
    del evidence["safe_standard_year"]
    result = _recognise(evidence)
    assert result.outcome is RecognitionOutcome.UNDETERMINED
    assert result.missing_facts == ("safe_standard_year",)


def test_dossier_not_ready_whatever_the_verdict() -> None:
    result = _recognise(ALL_MET, _dossier("dossier-missing-minutes.json"))
    assert result.outcome is RecognitionOutcome.DOSSIER_NOT_READY
    assert result.dossier.missing == ("review_minutes",)
    assert "Biên bản họp xét" in result.reason.vi
    failing = _recognise({**ALL_MET, "crimes_social_order": 39}, _dossier("dossier-undated.json"))
    assert failing.outcome is RecognitionOutcome.DOSSIER_NOT_READY
    assert failing.failed_criteria == ("18",)  # still reported


def test_2025_recognition_after_the_reform_names_the_successor() -> None:
    evidence = {**ALL_MET, "assessment_year": 2025, "safe_standard_year": 2024}
    evidence.update(
        party_committee_resolution_date="2025-01-15",
        peoples_committee_plan_date="2025-02-20",
        steering_committee_programme_date="2025-03-05",
    )
    docs = [
        {"kind": k, "date": "2025-12-04", "issuer": "Ban Chỉ đạo ANTT xã"}
        for k in PROC.document_kinds
    ]
    dossier = parse_dossier({"documents": docs, "year": 2025}, kinds=PROC.document_kinds)
    result = _recognise(evidence, dossier, year=2025)
    assert result.outcome is RecognitionOutcome.RECOGNISED
    assert result.on == date(2025, 12, 31)
    assert result.authority.id != "district-bcd-138"
    assert "huyện" not in result.authority.recogniser.vi
    assert result.authority.assumption is not None
    before = _recognise(evidence, dossier, year=2025, on=date(2025, 6, 30))
    assert before.outcome is RecognitionOutcome.DOSSIER_NOT_READY  # documents dated after 30/6
    assert before.authority.id == "district-bcd-138"


def test_organisation_criteria_set() -> None:
    verdict = LIB.load("typical-organisation", on=date(2024, 12, 31)).evaluate(
        _example("enterprise.json"), explain=True
    )
    result = recognise(PROC, verdict, _dossier(unit=None), year=2024)
    assert result.ruleset.id == "typical-organisation"
    assert len(result.verdict.criteria) == 14


def test_inconsistent_input_raises() -> None:
    verdict = LIB.load("typical-commune", on=date(2024, 12, 31)).evaluate(ALL_MET)
    with pytest.raises(EvidenceError, match="for 2025, not 2024"):
        recognise(PROC, verdict, _dossier(year=2025), year=2024)
    with pytest.raises(EvidenceError, match="the dossier is for 'Xã Khác'"):
        recognise(PROC, verdict, _dossier(unit="Xã Khác"), year=2024)
    with pytest.raises(NotFoundError, match="no cycle 2023"):
        recognise(PROC, verdict, _dossier(), year=2023)
    prerequisites = LIB.load("typical-prerequisites", on=date(2024, 12, 31))
    bare = prerequisites.evaluate({"assessment_year": 2024})
    with pytest.raises(NotFoundError, match="not a criteria set"):
        recognise(PROC, bare, _dossier(unit=None), year=2024)
    stripped = attrs.evolve(verdict, prerequisites=())
    with pytest.raises(RuleSetError, match="no result of the prerequisites"):
        recognise(PROC, stripped, _dossier(), year=2024)


def test_missing_facts_are_named_by_their_labels_when_the_facts_are_given() -> None:
    evidence = dict(ALL_MET)
    del evidence["crimes_social_order"]
    day = PROC.recognition_date(2024)
    rs = LIB.load("typical-commune", on=day)
    verdict = rs.evaluate(evidence, explain=True)
    by_id = recognise(PROC, verdict, _dossier(unit=None), year=2024)
    assert "thiếu dữ liệu: crimes_social_order" in by_id.reason.vi
    labelled = recognise(PROC, verdict, _dossier(unit=None), year=2024, facts=rs.facts)
    label = rs.facts["crimes_social_order"].label.vi
    assert f"thiếu dữ liệu: {label}" in labelled.reason.vi
    assert "crimes_social_order" not in labelled.reason.vi
    assert "missing: crimes_social_order" in labelled.reason.en  # ids in English
    assert labelled.missing_facts == by_id.missing_facts == ("crimes_social_order",)
