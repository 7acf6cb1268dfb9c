"""The Vietnamese of what an officer reads beyond the reasons (issue 16, point 12): the
CLI's ``evaluate`` output (plain text and Markdown) and the printed results report
(Markdown, and the text of the HTML page) of every shipped rule set, for a complete unit
and with its facts missing one at a time, name no fact id, have no English word, no
``None`` and no ``≥``/``≤`` symbols (the checks of tests/test_wording.py)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import emulation_rules as er
from emulation_rules.awards.report import build_report, to_markdown
from emulation_rules.awards.report_html import to_html
from emulation_rules.cli.render import verdict_markdown, verdict_table
from emulation_rules.testing.strategies import evidence
from test_wording import DEFINITIONS, ENGLISH, ID, LIBRARY

UNIT = "Xã Hòa Bình"


def html_text(page: str) -> str:
    """The text a reader sees on the page: no style sheet, no tags, entities decoded."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def _check_text(text: str, ids: set[str], where: str, ruleset_id: str = "") -> None:
    assert not ruleset_id or ruleset_id not in text, f"{where}: the rule set's id in the text"
    for line in text.splitlines():
        assert not ID.search(line), f"{where}: id in {line!r}"
        assert not ENGLISH.search(line), f"{where}: English in {line!r}"
        words = set(re.findall(r"\w+", line))
        assert not words & ids, f"{where}: id {words & ids} in {line!r}"
        assert "None" not in line, f"{where}: None in {line!r}"
        assert not re.search(r"[≥≤]| = ", line), f"{where}: symbol in {line!r}"


def _check(rs: er.RuleSet, ev: dict[str, Any], where: str) -> None:
    ids = (set(rs.definition.all_facts()) | set(rs.definition.parameters)) - {"unit_id"}
    verdict = rs.evaluate(ev, explain=True)
    _check_text(verdict_table(verdict, "vi", rs), ids, f"{rs.id} table {where}", rs.id)
    _check_text(verdict_markdown(verdict, "vi", rs), ids, f"{rs.id} markdown {where}", rs.id)
    report = build_report(verdict, rs, lang="vi")
    _check_text(to_markdown(report), ids, f"{rs.id} report.md {where}", rs.id)
    _check_text(html_text(to_html(report)), ids, f"{rs.id} report.html {where}", rs.id)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.id)
def test_cli_output_and_report_read_for_complete_and_missing_facts(definition: Any) -> None:
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
        ev = ev | {"unit_id": UNIT}
        _check(rs, ev, "complete")
        for name in ev:
            if name != "unit_id":
                _check(rs, {k: v for k, v in ev.items() if k != name}, f"without {name}")

    run()


def test_the_check_finds_what_it_looks_for() -> None:
    with pytest.raises(AssertionError, match="id in"):
        _check_text("Chưa có số liệu: crimes_previous_year.", set(), "x")
    with pytest.raises(AssertionError, match="English"):
        _check_text("Tiêu chí 18: not met", set(), "x")
    with pytest.raises(AssertionError, match="symbol"):
        _check_text("Cần: số vụ ≤ 38", set(), "x")
    with pytest.raises(AssertionError, match="id"):
        _check_text("Thiếu crimes", {"crimes"}, "x")
    assert html_text("<style>p{}</style><p>A &amp; B</p>").split() == ["A", "&", "B"]
