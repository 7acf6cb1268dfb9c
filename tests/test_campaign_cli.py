"""The ``campaign`` command, run as ``emulation-rules campaign …``."""

from __future__ import annotations

import sqlite3
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
    assert "Đợt thi đua thứ hai" in out and "Báo cáo sơ kết đợt thi đua thứ nhất" in out
    assert "Quá hạn, chưa gửi" in out


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
    show = ("campaign", "show", "special-campaign-binh-luong", "--db", db, "--instance", "bl")
    assert run(*show, "--on", "2025-02-20") == 0
    assert "Đã gửi đúng hạn" in capsys.readouterr().out
    assert run("campaign", "log", "nope", *base) == 2


# -- issue 13: dates outside the plan, missing stores, another campaign's instance ----------


def test_start_outside_the_plans_period_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.db"
    args = ("campaign", "start", "special-campaign-national", "x", "--db", str(db))
    assert run(*args, "--on", "2030-01-01") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2030-01-01 is outside the period" in err
    assert "2024-08-19 – 2025-08-19" in err
    assert not db.exists()  # nothing stored
    assert run(*args, "--on", "2024-09-01", "--issued", "2030-01-01") == 2
    assert "outside the period" in capsys.readouterr().err and not db.exists()


def test_submit_outside_the_plans_period_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.db")
    start = ("campaign", "start", "special-campaign-binh-luong", "bl", "--db", db)
    assert run(*start, "--on", "2024-09-20", "--issued", "2024-09-20") == 0
    submit = ("campaign", "submit", "bl", "final-report", "--db", db)
    assert run(*submit, "--on", "2030-01-01") == 2
    assert "2030-01-01 is outside the period" in capsys.readouterr().err
    assert run("campaign", "log", "bl", "--db", db, "--format", "json") == 0
    assert "2030" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "command",
    [
        ("log", "bl"),
        ("advance", "bl", "--to", "2025-01-01"),
        ("submit", "bl", "interim-report-1", "--on", "2025-02-10"),
        ("show", "special-campaign-binh-luong", "--instance", "bl"),
    ],
)
def test_a_mistyped_store_path_is_refused_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    db = tmp_path / "typo.db"
    assert run("campaign", *command, "--db", str(db)) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"emulation-rules: error: no campaign store at {db}"
    assert not db.exists()


def test_a_file_that_is_not_a_store_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n", encoding="utf-8")
    assert run("campaign", "log", "bl", "--db", str(other)) == 2
    assert "not a campaign store" in capsys.readouterr().err
    assert other.read_text(encoding="utf-8") == "not a database\n"
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert run("campaign", "log", "bl", "--db", str(empty)) == 2
    assert f"no campaign store at {empty}" in capsys.readouterr().err


def test_show_refuses_an_instance_of_another_campaign(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.db")
    start = ("campaign", "start", "special-campaign-binh-luong", "bl", "--db", db)
    assert run(*start, "--on", "2024-09-20") == 0
    capsys.readouterr()
    show = ("campaign", "show", "special-campaign-dong-nai", "--db", db, "--instance", "bl")
    assert run(*show, "--on", "2025-01-01") == 2
    err = capsys.readouterr().err
    assert "'bl'" in err and "special-campaign-binh-luong" in err
    assert "not of special-campaign-dong-nai" in err


# -- issue 18: what may be done, effective dates, a highlighted diagram, fire -------------------


def _stored(tmp_path: Path) -> str:
    db = str(tmp_path / "c.db")
    start = ("campaign", "start", "special-campaign-binh-luong", "bl", "--db", db)
    assert (
        run(*start, "--on", "2024-09-20", "--issued", "2024-09-20", "--launched", "2024-09-25") == 0
    )
    return db


def test_show_lists_what_may_be_done_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _stored(tmp_path)
    assert run("campaign", "advance", "bl", "--db", db, "--to", "2024-10-01") == 0
    capsys.readouterr()
    show = ("campaign", "show", "special-campaign-binh-luong", "--db", db, "--instance", "bl")
    assert run(*show, "--on", "2024-10-01") == 0
    out = capsys.readouterr().out
    assert "Thao tác" in out and "Gửi báo cáo" in out and "Hủy phong trào" in out
    assert "được gửi từ ngày 04/02/2025" in out
    assert "submit_report" not in out  # names, not ids
    assert run(*show, "--on", "2024-10-01", "--format", "json") == 0
    out = capsys.readouterr().out
    assert '"guard": "report_open"' in out and '"allowed": true' in out


def test_log_shows_the_effective_and_the_recorded_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _stored(tmp_path)
    assert run("campaign", "advance", "bl", "--db", db, "--to", "2024-10-20") == 0
    out = capsys.readouterr().out
    assert "2024-09-25 begin_phase: launched → phase-1 (recorded 2024-10-20)" in out
    assert run("campaign", "log", "bl", "--db", db) == 0
    out = capsys.readouterr().out
    assert "Effective" in out and "Recorded" in out
    line = next(x for x in out.splitlines() if "begin_phase" in x)
    assert "2024-09-25" in line and "2024-10-20" in line


def test_diagram_of_a_stored_instance_highlights_its_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _stored(tmp_path)
    assert run("campaign", "advance", "bl", "--db", db, "--to", "2024-10-01") == 0
    capsys.readouterr()
    args = ("campaign", "diagram", "special-campaign-binh-luong", "--instance", "bl")
    assert run(*args, "--store", db) == 0
    out = capsys.readouterr().out
    assert "class phase_1 current" in out and "Đợt thi đua thứ nhất" in out
    assert run(*args, "--store", db, "--format", "dot", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert 'phase_1 [label="phase-1", style="filled,bold"' in out
    assert run(*args) == 2  # --instance needs --store
    assert "needs --store" in capsys.readouterr().err


def test_fire_a_trigger_named_in_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _stored(tmp_path)
    fire = ("campaign", "fire", "bl")
    assert (
        run(
            *fire, "submit_report", "--db", db, "--report", "interim-report-1", "--on", "2025-02-04"
        )
        == 0
    )
    assert "submit_report" in capsys.readouterr().out
    assert run(*fire, "close", "--db", db, "--on", "2025-02-05") == 2
    assert "close is not possible in state launched" in capsys.readouterr().err
    assert run(*fire, "cancel", "--db", db, "--on", "2025-02-06") == 0
    assert "cancelled" in capsys.readouterr().out
