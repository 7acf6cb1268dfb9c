"""The ``campaign`` command, run as ``emulation-rules campaign …``."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulation_rules.cli.main import main


def run(*argv: str) -> int:
    """The exit status of ``emulation-rules ARGV`` (bad input exits 2)."""
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("campaign", "show", "special-campaign-binh-luong", "--on", "2025-02-16") == 0
    out = capsys.readouterr().out
    assert "phase-2" in out and "interim-report-1" in out and "overdue" in out


def test_show_json_on_issuance(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["campaign", "show", "special-campaign-kon-plong", "--on", "2025-07-01"]
    assert run(*args) == 2  # needs --issued
    assert run(*args, "--issued", "2024-10-07", "--format", "json") == 0
    out = capsys.readouterr().out
    assert '"authority_exists": false' in out


def test_timeline_and_diagram(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("campaign", "timeline", "special-campaign-dong-nai", "--lang", "en") == 0
    assert "final-report" in capsys.readouterr().out
    assert run("campaign", "diagram", "typical-units-hau-loc", "--format", "dot") == 0
    assert capsys.readouterr().out.startswith('digraph "typical-units-hau-loc"')


def test_bad_input_exits_2() -> None:
    assert run("campaign", "show", "nope") == 2
    assert run("campaign", "show", "special-campaign-national", "--on", "2025-13-01") == 2
    assert run("campaign", "diagram", "missing.yaml") == 2


def test_stored_instance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.db")
    base = ("--db", db)
    assert (
        run(
            "campaign",
            "start",
            "special-campaign-binh-luong",
            "bl",
            *base,
            "--on",
            "2024-09-20",
            "--issued",
            "2024-09-20",
            "--launched",
            "2024-09-25",
        )
        == 0
    )
    assert run("campaign", "advance", "bl", *base, "--to", "2025-02-10") == 0
    assert "interim-review-1" in capsys.readouterr().out
    assert run("campaign", "submit", "bl", "interim-report-1", *base, "--on", "2025-02-11") == 0
    assert run("campaign", "submit", "bl", "interim-report-1", *base, "--on", "2025-02-12") == 2
    assert run("campaign", "log", "bl", *base) == 0
    assert "submit_report" in capsys.readouterr().out
    assert run("campaign", "show", "x", "--db", db, "--instance", "bl", "--on", "2025-02-20") == 0
    assert "submitted_on_time" in capsys.readouterr().out
    assert run("campaign", "log", "nope", *base) == 2
