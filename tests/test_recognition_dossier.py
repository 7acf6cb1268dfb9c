"""The recognition dossier: strict reading, and when it is ready."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from emulation_rules.awards.dossier import IssueKind, check_dossier, parse_dossier
from emulation_rules.awards.recognition import load_procedure
from emulation_rules.errors import EvidenceError
from emulation_rules.model.converter import converter

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROC = load_procedure()
KINDS = PROC.document_kinds
ON = date(2024, 12, 31)


def _doc(kind: str, day: str | None = "2024-12-04", **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "date": day, "issuer": "Ban Chỉ đạo ANTT xã Hòa Bình", **extra}


def _check(data: Any, on: date = ON) -> Any:
    dossier = parse_dossier(data, kinds=KINDS)
    return check_dossier(dossier, PROC.spec.documents, year=2024, on=on)


COMPLETE = {"documents": [_doc("proposal"), _doc("results_report"), _doc("review_minutes")]}


def test_complete_dossier_is_ready() -> None:
    check = _check(COMPLETE)
    assert check.ready and check.issues == () and check.missing == ()
    assert check.present == KINDS
    assert check.summary("vi") == "Hồ sơ đủ."


def test_missing_minutes_is_not_ready() -> None:
    check = _check({"documents": [_doc("proposal"), _doc("results_report")]})
    assert not check.ready
    assert check.missing == ("review_minutes",)
    issue = check.issues[0]
    assert issue.issue is IssueKind.MISSING
    assert "Biên bản họp xét" in issue.message.vi
    assert "minutes" in issue.message.en.lower()
    assert "Biên bản họp xét" in check.summary("vi") and "not ready" in check.summary("en")


def test_undated_document_is_not_ready() -> None:
    for undated in (_doc("results_report", None), {"kind": "results_report", "issuer": "X"}):
        data = {"documents": [_doc("proposal"), undated, _doc("review_minutes")]}
        check = _check(data)
        assert not check.ready
        assert [(i.kind, i.issue) for i in check.issues] == [("results_report", IssueKind.UNDATED)]
        assert check.issues[0].documents == (1,)
        assert "chưa ghi ngày" in check.issues[0].message.vi
        assert "undated" in check.issues[0].message.en


def test_every_missing_document_is_listed_in_order() -> None:
    check = _check({"documents": []})
    assert check.missing == KINDS
    assert [i.message.vi.split(" ")[0] for i in check.issues] == ["thiếu"] * 3


def test_dates_outside_the_cycle_and_duplicates() -> None:
    data = {
        "documents": [
            _doc("proposal", "2025-01-05", reference="12/TTr-BCĐ"),
            _doc("results_report", "2023-12-30"),
            _doc("review_minutes"),
            _doc("review_minutes"),
        ]
    }
    check = _check(data)
    kinds = [(i.kind, i.issue) for i in check.issues]
    assert ("proposal", IssueKind.DATED_AFTER_RECOGNITION) in kinds
    assert ("results_report", IssueKind.DATED_BEFORE_CYCLE) in kinds
    assert ("review_minutes", IssueKind.DUPLICATE) in kinds
    assert "12/TTr-BCĐ" in check.issues[0].message.vi
    assert _check(data, on=date(2025, 1, 10)).issues[0].issue is not IssueKind.MISSING


@pytest.mark.parametrize(
    ("data", "paths"),
    [
        ([], ["(evidence)"]),
        ({"documents": "all"}, ["documents"]),
        ({"documents": [5]}, ["documents[0]"]),
        ({"documents": [_doc("proposal", "2024-13-01")]}, ["documents[0].date"]),
        ({"documents": [_doc("proposal", colour="red")]}, ["documents[0].colour"]),
        ({"documents": [{"kind": "proposal"}]}, ["documents[0].issuer"]),
        ({"documents": [_doc("memo")]}, ["documents[0].kind"]),
        ({"documents": [_doc("proposal", issuer=" ")]}, ["documents[0].issuer"]),
        ({"documents": [_doc("proposal", reference="")]}, ["documents[0].reference"]),
        ({"documents": [], "year": "2024"}, ["year"]),
        ({"documents": [], "extra": 1}, ["extra"]),
        ({}, ["documents"]),
        (
            {"documents": [_doc("memo"), _doc("proposal", issuer="")]},
            ["documents[0].kind", "documents[1].issuer"],
        ),
    ],
)
def test_bad_dossiers_raise_with_paths(data: Any, paths: list[str]) -> None:
    with pytest.raises(EvidenceError) as info:
        parse_dossier(data, kinds=KINDS)
    got = [str(p).split(": ")[0] for p in info.value.problems]
    assert got == paths


def test_examples_parse_and_round_trip() -> None:
    for name, ready in [
        ("dossier-complete.json", True),
        ("dossier-missing-minutes.json", False),
        ("dossier-undated.json", False),
    ]:
        data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
        dossier = parse_dossier(data, kinds=KINDS)
        assert converter.structure(converter.unstructure(dossier), type(dossier)) == dossier
        assert _check(data).ready is ready, name
