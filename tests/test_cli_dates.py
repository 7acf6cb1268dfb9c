"""Every date option of the command line takes ``YYYY-MM-DD`` and, as Vietnamese
documents write dates, ``dd/mm/yyyy`` (issue 16, point 12)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

from emulation_rules.cli.args import iso_date
from support import run_cli

EXAMPLE = Path(__file__).parent.parent / "examples" / "commune-fails-18-19.json"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-12-31", date(2024, 12, 31)),
        ("31/12/2024", date(2024, 12, 31)),
        ("9/4/2024", date(2024, 4, 9)),
        ("09/04/2024", date(2024, 4, 9)),
        (" 1/1/2025 ", date(2025, 1, 1)),
    ],
)
def test_a_date_is_read_in_either_writing(text: str, day: date) -> None:
    assert iso_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2024", "2024/12/31", "12-31-2024", "31/12/24", "x", ""])
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD or dd/mm/yyyy"):
        iso_date(text)


def test_the_cli_takes_a_vietnamese_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "evaluate", "typical-commune", str(EXAMPLE), "--on", "31/12/2024"
    )
    code_iso, out_iso, _ = run_cli(
        capsys, "evaluate", "typical-commune", str(EXAMPLE), "--on", "2024-12-31"
    )
    assert (code, out) == (code_iso, out_iso) and code == 0
