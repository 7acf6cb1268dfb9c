"""Issue 16, point 12, the remaining patterns: quarters in Roman numerals, what would
pass for a criterion of alternatives, criteria that do not apply, a plan's targets named
as the plan names them, words of the sources instead of IT jargon, what the officer has
to do, titles instead of ids in the CLI's headers, and the Vietnamese of the CLI's
evaluate output and of the printed report for every shipped rule set."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.cli.main import main
from emulation_rules.formatting import roman_numeral, with_unit

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LIBRARY = er.Library()
ON = date(2024, 12, 31)


def _evidence(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def test_roman_numerals_and_units_that_place_the_number() -> None:
    assert [roman_numeral(n) for n in (1, 2, 3, 4, 9, 14, 40, 3999)] == [
        "I", "II", "III", "IV", "IX", "XIV", "XL", "MMMCMXCIX"
    ]  # fmt: skip
    assert roman_numeral(0) == "0" and roman_numeral(4000) == "4000"  # outside: digits
    assert with_unit("1", 1, "Quý {roman}") == "Quý I"
    assert with_unit("1", 1, "quarter {n}") == "quarter 1"
    assert with_unit("12", 12, "buổi") == "12 buổi" and with_unit("12", 12, None) == "12"


def test_quarters_read_quy_i(capsys: pytest.CaptureFixture[str]) -> None:
    rs = LIBRARY.load("typical-commune", on=ON)
    assert "trong Quý I;" in rs.definition.criterion("2").spec.title.vi
    verdict = rs.evaluate(_evidence("commune-all-met.json"), explain=True)
    reason = next(c for c in verdict.criteria if c.id == "2").reason
    assert "chậm nhất hết Quý I" in reason.vi and "quý 1" not in reason.vi.lower()
    assert "by the end of quarter 1" in reason.en
    main(["evaluate", "typical-commune", str(EXAMPLES / "commune-missing-evidence.json"),
          "--on", "31/12/2024"])  # fmt: skip
    out = capsys.readouterr().out
    assert "là Quý I." in out and "là 1." not in out


def _commune_without_addicts() -> tuple[er.RuleSet, er.Verdict]:
    rs = LIBRARY.load("typical-commune", on=ON)
    ev = _evidence("commune-all-met.json")
    ev["drug_addicts"] = 0  # no addict: last year's count does not apply
    del ev["drug_addicts_previous_year"]
    return rs, rs.evaluate(ev, explain=True)


def test_a_fact_a_decided_criterion_did_not_need_does_not_apply() -> None:
    rs, verdict = _commune_without_addicts()
    c19 = next(c for c in verdict.criteria if c.id == "19")
    assert c19.status is er.CriterionStatus.MET
    label = rs.facts["drug_addicts_previous_year"].label.vi
    assert f"Không áp dụng: {label}." in c19.reason.vi and "Chưa có số liệu" not in c19.reason.vi
    assert "Not applicable: drug_addicts_previous_year." in c19.reason.en
    assert c19.missing == ()
    from emulation_rules.awards.report import build_report

    row = next(r for g in build_report(verdict, rs).groups for r in g.rows if r.id == "19")
    shown = {v.name: v.value for v in row.values}
    assert shown["drug_addicts_previous_year"] == "không áp dụng"
    # a criterion that cannot be decided without a fact still says it is missing
    ev = _evidence("commune-all-met.json")
    del ev["drug_addicts_previous_year"]
    c19 = next(c for c in rs.evaluate(ev, explain=True).criteria if c.id == "19")
    assert c19.status is er.CriterionStatus.UNKNOWN
    assert f"Chưa có số liệu: {label}" in c19.reason.vi and "Không áp dụng" not in c19.reason.vi


@pytest.mark.parametrize(
    ("change", "cid", "fact", "bound", "vi_gap"),
    [
        ({"drug_addicts": 16}, "19", "drug_addicts", 12, "không quá 12 người (đang vượt 4 người)"),
        ({"drug_addicts": 13}, "19", "drug_addicts", 12, "không quá 12 người (đang vượt 1 người)"),
        (
            {"amnestied_or_released_reoffenders": 3},
            "29",
            "amnestied_or_released_reoffenders",
            2,
            "không quá 2 người (đang vượt 1 người)",
        ),
    ],
)
def test_what_would_pass_a_criterion_of_alternatives(
    change: dict[str, int], cid: str, fact: str, bound: int, vi_gap: str
) -> None:
    rs = LIBRARY.load("typical-commune", on=ON)
    ev = _evidence("commune-all-met.json") | change
    c = next(c for c in rs.evaluate(ev, explain=True).criteria if c.id == cid)
    assert c.status is er.CriterionStatus.NOT_MET and c.explanation is not None
    assert [(n.fact, n.op, n.value) for n in c.explanation.needed] == [(fact, "<=", bound)]
    assert f"Cần: {rs.facts[fact].label.vi} {vi_gap}." in c.reason.vi
    assert "Needed: " in c.reason.en and f"at most {bound} persons" in c.reason.en
    # the requirement is sufficient: the bound itself passes, one more fails
    for value, status in ((bound, er.CriterionStatus.MET), (bound + 1, er.CriterionStatus.NOT_MET)):
        again = next(x for x in rs.evaluate(ev | {fact: value}).criteria if x.id == cid)
        assert again.status is status


def test_a_met_alternative_needs_nothing() -> None:
    rs = LIBRARY.load("typical-commune", on=ON)
    ev = _evidence("commune-all-met.json") | {"drug_addicts": 0, "drug_plant_cases": 1}
    c = next(c for c in rs.evaluate(ev, explain=True).criteria if c.id == "19")
    assert c.explanation is not None
    assert [n.fact for n in c.explanation.needed] == ["drug_plant_cases"]
