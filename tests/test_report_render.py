"""The results report (báo cáo kết quả): every criterion in order, with its status,
evidence and reason, as Markdown and as self-contained, escaped HTML."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.awards.report import build_report, report_markdown
from emulation_rules.awards.report_html import report_html, to_html
from emulation_rules.errors import EvidenceError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LIB = er.Library()
ON = date(2024, 12, 31)


def _evidence(name: str = "commune-fails-18-19.json", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def commune() -> er.RuleSet:
    return LIB.load("typical-commune", on=ON)


@pytest.fixture(scope="module")
def failing(commune: er.RuleSet) -> er.Verdict:
    evidence = _evidence(movement_class="Trung bình", movement_class_previous_year="Trung bình")
    del evidence["drug_addicts_previous_year"]
    return commune.evaluate(evidence, explain=True)


def test_markdown_lists_every_criterion_in_order(commune: er.RuleSet, failing: er.Verdict) -> None:
    md = report_markdown(failing, commune)
    rows = re.findall(r"^\| (\d+) \| .*? \| \*\*(.+?)\*\* \| (.*) \| (.*) \|$", md, re.M)
    assert [r[0] for r in rows] == [str(n) for n in range(1, 35)]
    statuses = {r[0]: r[1] for r in rows}
    assert statuses["15"] == statuses["18"] == "Không đạt"
    assert statuses["19"] == "Chưa xác định"
    assert statuses["1"] == "Đạt"
    row18 = next(r for r in rows if r[0] == "18")
    assert "40 vụ" in row18[2] and "tối đa 38 vụ" in row18[3]  # evidence and reason
    assert md.count("## Nhóm ") == 4
    assert "Điều kiện lựa chọn" in md and "tiêu chí 2 (Phong trào" in md
    assert "Đạt 31/34 tiêu chí; không đạt 2; chưa xác định 1." in md
    head = md.index("**Tiêu chí không đạt, chưa xác định:**")
    assert md.index("- 15. ", head) < md.index("- 18. ", head) < md.index("- 19. ", head)


def test_english_report(commune: er.RuleSet, failing: er.Verdict) -> None:
    md = report_markdown(failing, commune, lang="en")
    assert md.startswith("# Report on the results")
    assert "| 18 | Crimes against social order" in md and "**not met**" in md
    assert "## Group 3. Ensuring security and order" in md


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        a = dict(attrs)
        row_id = a.get("id") or ""
        if tag == "tr" and row_id.startswith("criterion-"):
            status = (a.get("class") or "").split()[0]  # "long" marks a row that may split
            self.rows.append((row_id.removeprefix("criterion-"), status))
        for key in ("src", "href"):
            if a.get(key):
                self.urls.append(a[key] or "")


def test_html_lists_every_criterion_in_order(commune: er.RuleSet, failing: er.Verdict) -> None:
    page = report_html(failing, commune)
    parser = _Cells()
    parser.feed(page)
    assert [r[0] for r in parser.rows] == [str(n) for n in range(1, 35)]
    classes = dict(parser.rows)
    assert classes["18"] == "not_met" and classes["19"] == "unknown" and classes["1"] == "met"
    assert page.count('<td class="status">Không đạt</td>') == 2
    row18 = page[page.index('id="criterion-18"') : page.index('id="criterion-19"')]
    assert '<td class="status">Không đạt</td>' in row18
    assert '<p class="reason">Năm đánh giá có 39 vụ' in row18 and "tối đa 38 vụ" in row18
    assert '<span class="value">40 vụ</span>' in row18
    # self-contained: inline CSS, no script, no external asset
    assert "<style>" in page and "script" not in parser.tags and "link" not in parser.tags
    assert parser.urls == [] and "http" not in page.lower().replace("http-equiv", "")
    assert '<meta charset="utf-8">' in page and '<html lang="vi">' in page
    assert "Tiêu chí không đạt, chưa xác định:" in page


def test_html_escapes_text(commune: er.RuleSet) -> None:
    nasty = '<script>alert("x")</script> & Xã <b>A</b>'
    verdict = commune.evaluate(_evidence(unit_id=nasty), explain=True)
    page = report_html(verdict, commune)
    assert "<script>" not in page and "<b>A</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Xã &lt;b&gt;A&lt;/b&gt;" in page
    md = report_markdown(verdict, commune)
    assert "<script>" not in md and "\\<script\\>" in md


def test_markdown_cells_escape_pipes(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(_evidence(unit_id="Xã A | B"), explain=True)
    assert "Xã A \\| B" in report_markdown(verdict, commune)


def test_brief_verdict_still_lists_every_criterion(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(_evidence())
    report = build_report(verdict, commune)
    assert [r.id for g in report.groups for r in g.rows] == [str(n) for n in range(1, 35)]
    assert all(r.values == () for g in report.groups for r in g.rows)
    page = to_html(report)
    assert '<p class="values">' not in page and 'id="criterion-34"' in page


def test_organisation_report() -> None:
    rs = LIB.load("typical-organisation", on=ON)
    verdict = rs.evaluate(_evidence("enterprise.json"), explain=True)
    report = build_report(verdict, rs, lang="en")
    assert [r.id for g in report.groups for r in g.rows] == [c.id for c in rs.criteria]
    assert len([r for g in report.groups for r in g.rows]) == 14


def test_report_refuses_a_verdict_of_another_rule_set(
    commune: er.RuleSet, failing: er.Verdict
) -> None:
    other = LIB.load("typical-organisation", on=ON)
    with pytest.raises(EvidenceError, match="the verdict is of typical-commune"):
        build_report(failing, other)
    with pytest.raises(EvidenceError, match="expected vi or en"):
        build_report(failing, commune, lang="fr")
