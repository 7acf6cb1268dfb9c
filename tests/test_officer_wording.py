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


def test_a_plans_targets_are_named_as_the_plan_names_them() -> None:
    rs = LIBRARY.load("special-campaign-targets-binh-luong", on=ON)
    assert rs.definition.items.name.vi == "Chỉ tiêu"  # inherited from the base
    verdict = rs.evaluate(_evidence("security-team-phase-at-risk.json"))
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert verdict.reason.vi.startswith("Chưa hoàn thành chỉ tiêu: không đạt chỉ tiêu 4.1a")
    assert verdict.reason.en.startswith("Target not achieved: targets not met: 4.1a")
    c = next(c for c in verdict.criteria if c.id == "4.1a")
    assert c.reason.vi.startswith("Chỉ tiêu 4.1a: Không đạt") and "Tiêu chí" not in c.reason.vi
    assert c.reason.en.startswith("Target 4.1a: not met")
    explained = rs.evaluate(_evidence("security-team-phase-at-risk.json"), explain=True)
    c = next(c for c in explained.criteria if c.id == "4.1a")
    assert c.reason.vi.startswith("Chỉ tiêu 4.1a: Không đạt")
    from emulation_rules.awards.report import report_markdown

    md = report_markdown(explained, rs)
    assert "**Chỉ tiêu không đạt, chưa xác định:**" in md and "| Số | Chỉ tiêu |" in md
    assert "chỉ tiêu; không đạt 2" in md


def test_criteria_keep_their_words() -> None:
    rs = LIBRARY.load("typical-commune", on=ON)
    ev = _evidence("commune-fails-18-19.json")
    verdict = rs.evaluate(ev)
    assert verdict.reason.vi.startswith("Không đủ điều kiện: không đạt tiêu chí 18")
    assert next(c for c in verdict.criteria if c.id == "18").reason.vi.startswith("Tiêu chí 18")
    assert "items" not in rs.definition.canonical  # the hash of a criteria set is unchanged


def test_vietnamese_headers_name_rule_sets_and_campaigns_by_title(
    capsys: pytest.CaptureFixture[str],
) -> None:
    unit = str(EXAMPLES / "commune-fails-18-19.json")
    main(["evaluate", "typical-commune", unit, "--on", "31/12/2024"])
    head = capsys.readouterr().out.splitlines()[0]
    title = LIBRARY.load("typical-commune", on=ON).title.vi
    assert head.startswith(f"{title} (phiên bản 2022.1, mã kiểm tra ")
    assert "typical-commune" not in head and "ngày đánh giá 31/12/2024" in head
    main(["evaluate", "typical-commune", unit, "--on", "31/12/2024", "--lang", "en"])
    assert capsys.readouterr().out.startswith("typical-commune 2022.1 (sha256 ")
    main(["campaign", "show", "special-campaign-binh-luong", "--on", "16/02/2025"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Triển khai thực hiện phong trào") and "special-campaign" not in first


def test_what_the_officer_has_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    rs = LIBRARY.load("typical-commune", on=ON)
    missing = str(EXAMPLES / "commune-missing-evidence.json")
    main(["evaluate", "typical-commune", missing, "--on", "31/12/2024"])
    out = capsys.readouterr().out
    todo = out[out.index("\nViệc cần làm:\n") :]
    label = rs.facts["crimes_social_order_previous_year"].label.vi
    assert f"- Bổ sung số liệu: {label} (cho tiêu chí 18)." in todo
    assert "crimes_social_order" not in todo and out.index("\n34 ") < out.index("Việc cần làm")
    failing = str(EXAMPLES / "commune-fails-18-19.json")
    main(["evaluate", "typical-commune", failing, "--on", "31/12/2024", "--format", "markdown"])
    md = capsys.readouterr().out
    assert "**Việc cần làm:**" in md
    assert (
        "- Tiêu chí 18 (Kiềm chế hoặc giảm ít nhất 5% số vụ phạm tội về trật tự xã hội): cần " in md
    )
    assert "không quá 38 vụ (đang vượt 1 vụ)." in md
    main(["evaluate", "typical-commune", failing, "--on", "31/12/2024", "--lang", "en"])
    assert "\nTo do:\n- Criterion 18 (" in capsys.readouterr().out
    # nothing to do when every criterion is met
    main(
        [
            "evaluate",
            "typical-commune",
            str(EXAMPLES / "commune-all-met.json"),
            "--on",
            "31/12/2024",
        ]
    )
    assert "Việc cần làm" not in capsys.readouterr().out
    from emulation_rules.awards import report_html, report_markdown

    verdict = rs.evaluate(_evidence("commune-fails-18-19.json"), explain=True)
    assert "## Việc cần làm" in report_markdown(verdict, rs)
    page = report_html(verdict, rs)
    assert "<h2>Việc cần làm</h2>" in page and page.index("criterion-34") < page.index(
        "Việc cần làm</h2>"
    )


JARGON = ("bản ghi", "kê khai trùng", "thôn trùng", "vượt chỉ tiêu", "phân bổ chỉ tiêu", "tổ–tháng")


def _vi_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        out = [v for k, v in node.items() if k == "vi" and isinstance(v, str)]
        for v in node.values():
            out += _vi_texts(v)
        return out
    if isinstance(node, list):
        return [t for item in node for t in _vi_texts(item)]
    return []


def test_shipped_vietnamese_texts_have_no_it_jargon() -> None:
    import yaml

    folder = Path(er.__file__).resolve().parent / "rulesets"
    if not folder.is_dir():
        folder = Path(__file__).resolve().parents[1] / "rulesets"
    files = sorted(folder.rglob("*.yaml"))
    assert len(files) > 10
    for path in files:
        for text in _vi_texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            found = [w for w in JARGON if w in text]
            assert not found, f"{path.name}: {found} in {text[:80]!r}"
