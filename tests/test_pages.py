"""The generated reference pages and evidence schemas of the shipped rule sets are
current (regenerate with `emulation-rules docs`), and a page holds every criterion."""

from __future__ import annotations

from pathlib import Path

import emulation_rules as er
from emulation_rules import pages

ROOT = Path(__file__).resolve().parents[1]


def test_generated_files_are_current() -> None:
    lib = er.Library()
    files = pages.generate(
        lib, ROOT / "docs" / "rulesets", ROOT / "rulesets" / "schema" / "evidence"
    )
    assert files, "no shipped rule sets"
    stale = pages.stale(files)
    assert not stale, f"stale generated files (run `emulation-rules docs`): {stale}"


def test_page_lists_every_criterion_in_order(tmp_path: Path) -> None:
    lib = er.Library([ROOT / "tests" / "rulesets"], shipped=False)
    d = lib.catalogue.definition("demo-commune")
    page = pages.ruleset_page(lib, d)
    positions = [page.index(f"#### Tiêu chí {c.id} —") for c in d.criteria]
    assert positions == sorted(positions)
    assert "> Tội phạm về trật tự xã hội được kiềm chế hoặc giảm ít nhất 5%" in page
    assert "crimes <= max_allowed" in page and "let max_allowed =" in page
    assert "also cited as TEST-9745/QĐ" in page
    files = pages.generate(lib, tmp_path / "p", tmp_path / "s", ["demo-commune"])
    assert [p.name for p in files] == ["demo-commune.md", "demo-commune.schema.json"]
    assert pages.stale(files) == list(files)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert pages.stale(files) == []
