"""Every reason and explanation of every shipped rule set reads as written by a person:
for a complete unit and with its facts missing one at a time, the Vietnamese text names no
fact id and has no English word, no ``None``; the English text has no Vietnamese diacritics
(besides the place names and source terms the rule sets quote)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import emulation_rules as er
from emulation_rules.evaluation.wording import bool_phrase, lower_first, requirement_words
from emulation_rules.formatting import date_text, number_text, parse_date_text, whole_bound
from emulation_rules.loading.titles import TitleError, parameter_text
from emulation_rules.testing.strategies import evidence

LIBRARY = er.Library()
DEFINITIONS = LIBRARY.definitions()

ID = re.compile(r"\b[a-z]+_[a-z_]+\b")
ENGLISH = re.compile(
    r"\b(None|True|False|not given|records?|unknown|met|not met|Missing|Needed|Required|"
    r"yes|at least|at most|of)\b"
)
# Vietnamese names an English text may quote: places, and the source's own terms
QUOTED_VI = re.compile(
    r"Bình Lương|Như Xuân|Đồng Nai|Hải Phòng|Hậu Lộc|Thanh Hóa|Kon Plông|kiềm chế|"
    r"Dân vận khéo|Ngày hội toàn dân bảo vệ an ninh Tổ quốc|[Bb]ằng khen|[Gg]iấy khen|xã hội đen"
)


def _rulesets() -> Iterator[er.RuleSet]:
    for d in DEFINITIONS:
        yield LIBRARY.load(d.id, on=d.effective.from_)


def _texts(verdict: er.Verdict) -> Iterator[tuple[str, str, str]]:
    for c in verdict.criteria:
        yield c.id, c.reason.vi, c.reason.en
        for value in c.explanation.values if c.explanation else ():
            if value.label is not None:
                yield c.id, value.label.vi, value.label.en


def _has_diacritics(text: str) -> bool:
    text = re.sub(r"\S*/\S*", "", text)  # document numbers: 11-QĐi/TW, 9475/QĐ-BCA-V05
    text = re.sub(r'"[^"\s]+(?: [^"\s]+)?"', "", text)  # a source's term: ("Khá" — good)
    decomposed = unicodedata.normalize("NFD", text)
    return any(unicodedata.combining(ch) for ch in decomposed) or "đ" in text.lower()


def _check(rs: er.RuleSet, ev: dict[str, Any], where: str) -> None:
    ids = set(rs.definition.all_facts()) | set(rs.definition.parameters)
    for explain in (True, False):
        verdict = rs.evaluate(ev, explain=explain)
        for cid, vi, en in _texts(verdict):
            at = f"{rs.id} {cid} {where}"
            assert not ID.search(vi), f"{at}: id in {vi!r}"
            assert not ENGLISH.search(vi), f"{at}: English in {vi!r}"
            words = set(re.findall(r"\w+", vi))
            assert not words & ids, f"{at}: id {words & ids} in {vi!r}"
            assert "chưa có vụ" not in vi and "có chưa có" not in vi, f"{at}: {vi!r}"
            assert not re.search(r"[≥≤]| = ", vi), f"{at}: symbol in {vi!r}"
            assert not _has_diacritics(QUOTED_VI.sub("", en)), f"{at}: Vietnamese in {en!r}"
            assert "None" not in en and "not given" not in en, f"{at}: {en!r}"


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.id)
def test_every_reason_reads_for_complete_and_missing_facts(definition: Any) -> None:
    rs = LIBRARY.load(definition.id, on=definition.effective.from_)

    @settings(
        max_examples=2,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(evidence(rs, complete=True))
    def run(ev: dict[str, Any]) -> None:
        _check(rs, ev, "complete")
        for name in ev:
            _check(rs, {k: v for k, v in ev.items() if k != name}, f"without {name}")
        _check(rs, {}, "empty")

    run()


def test_every_shipped_ruleset_is_covered() -> None:
    assert {rs.id for rs in _rulesets()} == {d.id for d in DEFINITIONS}
    assert len(DEFINITIONS) >= 9


def test_missing_value_in_a_template_reads_by_label() -> None:
    """The issue's sentence: 'năm trước có chưa có; …, tức tối đa chưa có vụ. Thiếu dữ liệu:
    crimes_social_order_previous_year.'"""
    rs = LIBRARY.load("typical-commune", on=DEFINITIONS[0].effective.from_.replace(2024, 12, 31))
    c18 = rs.evaluate({"crimes_social_order": 64}, explain=True).criterion("18")
    assert c18.reason.vi == (
        "Tiêu chí 18: Chưa xác định. Số vụ phạm tội về trật tự xã hội trên địa bàn trong năm "
        "đánh giá: 64 vụ. Mức yêu cầu: mức giảm tối thiểu số vụ phạm tội về trật tự xã hội so "
        "với năm trước là 5%. Chưa có số liệu: Số vụ phạm tội về trật tự xã hội trên địa bàn "
        "trong năm trước."
    )
    assert c18.reason.en.endswith("Missing: crimes_social_order_previous_year.")
    assert c18.missing == ("crimes_social_order_previous_year",)


def test_what_would_pass_is_sufficient_when_the_total_is_missing() -> None:
    """Criterion 34, police_officers missing, 9 rated: 10 officers would be 90%, so what
    would pass is exactly 9, not at least 9."""
    rs = LIBRARY.load("typical-commune", on=DEFINITIONS[0].effective.from_.replace(2024, 12, 31))
    ev = {
        "police_unit_rating": "excellent",
        "police_party_cell_rating": "good",
        "police_officers_rated_good_or_better": 9,
    }
    c34 = rs.evaluate(ev, explain=True).criterion("34")
    assert c34.explanation is not None
    assert c34.explanation.needed == (
        er.model.verdict.Needed("police_officers", "==", 9, "integer"),
    )
    assert c34.reason.vi.endswith(
        "Cần: Số cán bộ, chiến sĩ Công an xã được xếp loại trong năm đúng 9 người."
    )
    full = rs.evaluate({**ev, "police_officers": 11, "police_unit_rating": "done"}, explain=True)
    assert "từ mức “Hoàn thành tốt nhiệm vụ” trở lên" in full.criterion("34").reason.vi


def test_a_full_share_needs_all_and_states_the_gap() -> None:
    rs = LIBRARY.load("typical-commune", on=DEFINITIONS[0].effective.from_.replace(2024, 12, 31))
    c26 = rs.evaluate(
        {"residential_units": 11, "residential_units_inspected": 7}, explain=True
    ).criterion("26")
    assert c26.reason.vi.endswith("đúng 11 thôn, tổ dân phố (còn thiếu 4 thôn, tổ dân phố).")
    assert c26.reason.en.endswith("exactly 11 units (4 units short).")


def test_numbers_and_dates_have_one_format() -> None:
    assert number_text(12345, "vi") == "12.345" and number_text(12345, "en") == "12,345"
    assert number_text(Decimal("1234567.25"), "vi") == "1.234.567,25"
    assert number_text("-15000.5", "en") == "-15,000.5"
    assert number_text(2024, "vi") == "2024"  # a year, or any four digits, ungrouped
    assert number_text(Decimal("1E+2"), "vi") == "100"
    assert date_text("2025-02-16", "vi") == "16/02/2025"
    assert date_text("2024-04-09", "vi") == "09/04/2024"  # always padded
    assert date_text("2025-02-16", "en") == "2025-02-16"
    assert parse_date_text("31/12/2024") == parse_date_text("2024-12-31") is not None
    assert parse_date_text("9/4/2024") == parse_date_text("2024-04-09")
    assert parse_date_text("31/02/2024") is None
    # whole persons, rounded the way the comparison reads
    assert whole_bound("<=", Decimal("185.175")) == ("<=", 185)
    assert whole_bound("<", Decimal("185.175")) == ("<=", 185)
    assert whole_bound("<", 3) == ("<=", 2)
    assert whole_bound(">", Decimal("4.2")) == (">=", 5)
    assert whole_bound(">=", Decimal("4.2")) == (">=", 5)


def test_requirements_and_statements_in_words() -> None:
    assert requirement_words(">=", "9 người", "integer", "vi") == "ít nhất 9 người"
    assert requirement_words("<=", "185 người", "integer", "vi") == "không quá 185 người"
    assert requirement_words("==", "11 thôn", "integer", "vi") == "đúng 11 thôn"
    assert requirement_words(">=", "Khá", "enum", "vi") == "từ mức “Khá” trở lên"
    assert requirement_words("<", "22/08/2025", "date", "vi") == "trước ngày 22/08/2025"
    assert bool_phrase("Ban Chỉ đạo có quy chế hoạt động", False, "vi") == (
        "Ban Chỉ đạo không có quy chế hoạt động"
    )
    assert (
        bool_phrase("Đã triển khai chuyên đề PCCC", False, "vi") == "Chưa triển khai chuyên đề PCCC"
    )
    assert bool_phrase("Đơn vị đang nợ lương", False, "vi") == "Đơn vị không nợ lương"
    assert bool_phrase("Lịch tiếp công dân được niêm yết", False, "vi") == (
        "Lịch tiếp công dân chưa được niêm yết"
    )
    # a verb inside parentheses is not the statement's own
    assert bool_phrase("Tập thể (có thành viên) vi phạm pháp luật", False, "vi") == (
        "Tập thể (có thành viên) không vi phạm pháp luật"
    )
    assert bool_phrase("Ban Chỉ đạo có quy chế hoạt động", True, "vi") == (
        "Ban Chỉ đạo có quy chế hoạt động"
    )
    assert lower_first("Số vụ") == "số vụ"
    assert lower_first("Công an xã có") == "Công an xã có"
    assert lower_first("UBND xã") == "UBND xã"


OVERLAY = """\
id: overlay-8-percent
version: "2025.1"
title: {vi: Bộ tiêu chí của tỉnh, en: Provincial criteria}
description: {vi: Tỉnh nâng mức giảm tội phạm., en: The province raises the reduction.}
source: {document: TEST-1/KH, date: 2025-01-15, issuer: Test province, part: Mục II}
applies_to: [commune]
effective: {from: 2024-01-01}
extends: typical-commune
parameters:
  crime_reduction_min:
    type: percentage
    label: {vi: Mức giảm tối thiểu (tỉnh), en: Minimum reduction (province)}
    source: {document: TEST-1/KH, part: Mục II.1}
    value: 8%
"""


def test_an_overlay_changed_parameter_shows_in_titles_and_reasons(tmp_path: Any) -> None:
    """Point 11: an overlay tightening 5% to 8% no longer prints the title 'Kiềm chế hoặc
    giảm ít nhất 5%' beside 'cần giảm ít nhất 8%'."""
    (tmp_path / "overlay.yaml").write_text(OVERLAY, encoding="utf-8")
    lib = er.Library([tmp_path])
    on = DEFINITIONS[0].effective.from_.replace(2024, 12, 31)
    base, overlay = lib.load("typical-commune", on=on), lib.load("overlay-8-percent", on=on)
    assert base.definition.criterion("18").spec.title.vi.startswith(
        "Kiềm chế hoặc giảm ít nhất 5% "
    )
    c18 = overlay.definition.criterion("18")
    assert c18.spec.title.vi.startswith("Kiềm chế hoặc giảm ít nhất 8% ")
    assert c18.spec.title.en.endswith("reduced by at least 8%")
    ev = {"crimes_social_order": 50, "crimes_social_order_previous_year": 50}
    reason = overlay.evaluate(ev, explain=True).criterion("18").reason
    assert "cần giảm ít nhất 8%, tức tối đa 46 vụ" in reason.vi


def test_no_title_states_a_parameter_value_without_naming_it() -> None:
    """A number in a criterion's title equal to the value of a parameter the criterion
    reads must come from the parameter (``{name}`` in the file), so overlays change it."""
    for d in DEFINITIONS:
        for c in d.criteria:
            source = (c.template or c.spec).title.vi  # as written in the file
            for name in c.parameters:
                spec = d.parameters[name]
                try:
                    shown = parameter_text(spec, "vi").split()[0]
                except TitleError:
                    continue
                pattern = r"(?<![\d,.])" + re.escape(shown) + r"(?![\d,])"
                assert not re.search(pattern, source), f"{d.id} {c.id}: {shown} in {source!r}"


@pytest.mark.parametrize(
    ("unit", "one", "two"),
    [
        ("cases", "case", "cases"),
        ("persons", "person", "persons"),
        ("model(s)", "model", "models"),
        ("activity(ies)", "activity", "activities"),
        ("businesses", "business", "businesses"),
        ("collectives or individuals", "collective or individual", "collectives or individuals"),
        ("premises", "premises", "premises"),
        ("good deeds", "good deed", "good deeds"),
    ],
)
def test_an_english_unit_agrees_with_its_number(unit: str, one: str, two: str) -> None:
    from emulation_rules.formatting import english_unit, with_unit

    assert (english_unit(unit, 1), english_unit(unit, 2)) == (one, two)
    assert with_unit("1", 1, unit, "en") == f"1 {one}"
    assert with_unit("1", 1, "vụ") == "1 vụ"  # Vietnamese nouns do not inflect


def test_one_case_over_reads_in_the_singular() -> None:
    rs = LIBRARY.load("typical-commune", on="2024-12-31")
    ev = {"crimes_social_order": 39, "crimes_social_order_previous_year": 40}
    reason = rs.evaluate(ev, explain=True).criterion("18").reason
    assert "(1 case over)" in reason.en and "(đang vượt 1 vụ)" in reason.vi
