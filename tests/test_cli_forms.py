"""``evaluate --format json --form expanded|compact|brief`` (issue 15)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import emulation_rules as er
from support import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
DAY = date(2025, 6, 1)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


@pytest.fixture(scope="module")
def shipped() -> er.Library:
    return er.Library()


@pytest.mark.parametrize("form", ["expanded", "compact", "brief"])
def test_each_form_is_read_back_by_a_library(
    capsys: pytest.CaptureFixture[str], shipped: er.Library, form: str, tmp_path: Path
) -> None:
    units = tmp_path / "units.jsonl"
    lines = [
        json.dumps(json.loads((EXAMPLES / f"{n}.json").read_text(encoding="utf-8")))
        for n in ("commune-all-met", "commune-fails-18-19", "commune-missing-evidence")
    ]
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "evaluate",
        "typical-commune",
        str(units),
        "--on",
        DAY.isoformat(),
        "--format",
        "json",
        "--form",
        form,
    )
    assert code == 0, err
    rs = shipped.load("typical-commune", on=DAY)
    written = out.splitlines()
    assert len(written) == 3
    for line, text in zip(written, lines, strict=True):
        expected = rs.evaluate(json.loads(text), explain=form != "brief")
        assert shipped.from_json(line, er.Verdict) == expected
        assert (json.loads(line).get("form") == "compact") is (form != "expanded")


def test_a_form_other_than_expanded_needs_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "evaluate",
        "typical-commune",
        str(EXAMPLES / "commune-all-met.json"),
        "--form",
        "compact",
    )
    assert code == 2
    assert "--form compact is a JSON form: use it with --format json" in err
