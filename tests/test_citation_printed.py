"""Citations show both numbers where the source prints both (issue 17, point 6)."""

from __future__ import annotations

from datetime import date

import emulation_rules as er
from emulation_rules.model.common import Citation, PrintedAs, Text

LIB = er.Library()


def test_the_rule_sets_source_renders_both_numbers_in_both_languages() -> None:
    for ruleset in ("typical-commune", "typical-organisation"):
        source = LIB.load(ruleset, on=date(2025, 6, 1)).definition.source
        assert "9475/QĐ-BCA-V05 (in ở phần II là 9745)" in source.render("vi")
        assert "9475/QĐ-BCA-V05 (printed 9745 in part II)" in source.render("en")


def test_each_criterion_citation_carries_the_other_number() -> None:
    d = LIB.load("typical-commune", on=date(2025, 6, 1)).definition
    for criterion in d.criteria:
        cited = criterion.citation
        if cited.document == "9475/QĐ-BCA-V05":
            assert "(in ở phần II là 9745)" in cited.render("vi"), criterion.id


def test_a_citation_without_another_number_renders_as_before() -> None:
    plain = Citation("99/KH-BCĐ", date=date(2024, 4, 9))
    assert plain.render("vi") == plain.render("en") == "Kế hoạch số 99/KH-BCĐ ngày 09/04/2024"
    both = Citation("1/QĐ-X", printed_elsewhere=(PrintedAs("2", Text("mục I", "section I")),))
    assert both.render() == "Quyết định số 1/QĐ-X (in ở mục I là 2)"
