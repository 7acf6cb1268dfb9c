"""The command line: each command's output, and exit 2 with one line on bad input."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.cli.main import COMMANDS, build_parser
from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = str(ROOT / "tests" / "rulesets" / "demo-commune.yaml")
UNIT = {
    "unit_id": "Xã Phú Lộc",
    "crimes": 40,
    "crimes_previous_year": 41,
    "amnestied": 200,
    "reoffenders": 2,
    "tips_share": 80,
    "resolution_date": "2024-03-31",
    "party_rating": "Hoàn thành tốt nhiệm vụ",
    "committee_title": "advanced_collective",
    "no_violations": True,
    "funding": 1.5,
    "teams": [{"team": "Thôn 1", "good_deeds": 1, "commended": 0}],
    "safe_standard_achieved": True,
    "movement_class": "good",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


@pytest.fixture
def unit_file(tmp_path: Path) -> Path:
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(UNIT, ensure_ascii=False), encoding="utf-8")
    return path


def test_evaluate_table_vi(capsys: pytest.CaptureFixture[str], unit_file: Path) -> None:
    code, out, err = run(capsys, "evaluate", DEMO, str(unit_file), "--on", "2024-06-01")
    assert code == 0, err
    assert "Không đủ điều kiện: không đạt tiêu chí 18." in out
    assert "Xã Phú Lộc" in out
    assert "không quá 38 vụ" in out


def test_evaluate_json_fields(capsys: pytest.CaptureFixture[str], unit_file: Path) -> None:
    code, out, _ = run(
        capsys, "evaluate", DEMO, str(unit_file), "--on", "2024-06-01", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "not_eligible"
    assert set(data["ruleset"]) == {"id", "version", "sha256"}
    assert data["ruleset"]["id"] == "demo-commune" and len(data["ruleset"]["sha256"]) == 64
    c18 = next(c for c in data["criteria"] if c["id"] == "18")
    assert {"id", "number", "status", "missing", "reason"} <= set(c18)
    assert c18["status"] == "not_met" and c18["number"] == 18
    assert er.from_json(out, er.Verdict).status is er.Status.NOT_ELIGIBLE


def test_evaluate_english_markdown(capsys: pytest.CaptureFixture[str], unit_file: Path) -> None:
    code, out, _ = run(
        capsys,
        "evaluate",
        DEMO,
        str(unit_file),
        "--on",
        "2024-06-01",
        "--lang",
        "en",
        "--format",
        "markdown",
    )
    assert code == 0
    assert out.startswith("## demo-commune")
    assert "| 18 | security | not met |" in out


def test_evaluate_jsonl_one_verdict_per_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    units = tmp_path / "units.jsonl"
    lines = [dict(UNIT, unit_id=f"Xã {i}", crimes=35 + i) for i in range(5)]
    units.write_text(
        "\n".join(json.dumps(u, ensure_ascii=False) for u in lines) + "\n\n", encoding="utf-8"
    )
    code, out, err = run(
        capsys,
        "evaluate",
        DEMO,
        str(units),
        "--on",
        "2024-06-01",
        "--format",
        "json",
        "--brief",
        "--progress",
        "always",
    )
    assert code == 0
    verdicts = [json.loads(line) for line in out.splitlines()]
    assert [v["unit"] for v in verdicts] == [f"Xã {i}" for i in range(5)]
    assert [v["status"] for v in verdicts] == ["eligible"] * 4 + ["not_eligible"]
    assert "5/5" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"crimes": -3}', "crimes: expected a whole number ≥ 0, got -3"),
        ('{"crimes": 3, "crimez": 1}', "crimez: unknown fact"),
        ('{"tips_share": 120}', "tips_share: expected a percentage from 0 to 100"),
        ('{"crimes": ', "malformed JSON"),
        ("[1, 2]", "evidence must be a mapping of facts"),
        ('{"resolution_date": "31/03/2024"}', "resolution_date: expected a date YYYY-MM-DD"),
        ('{"funding": NaN}', "malformed JSON"),
    ],
)
def test_bad_evidence_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "evaluate", DEMO, str(path), "--on", "2024-06-01")
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


def test_bad_jsonl_line_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "units.jsonl"
    path.write_text(
        json.dumps(UNIT, ensure_ascii=False) + '\n{"crimes": "many"}\n', encoding="utf-8"
    )
    code, _, err = run(
        capsys, "evaluate", DEMO, str(path), "--on", "2024-06-01", "--format", "json"
    )
    assert code == 2
    assert "units.jsonl:2: crimes: expected a whole number" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["evaluate", "no-such-ruleset", "x.json"], "no rule set 'no-such-ruleset'"),
        (["evaluate", DEMO, "/nonexistent/unit.json"], "cannot read /nonexistent/unit.json"),
        (["evaluate", DEMO, "x.json", "--on", "2024-13-01"], "not a date"),
        (["show", "/nonexistent/rules.yaml"], "cannot read"),
        (["schema"], "schema needs a RULESET"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_show_json_has_criteria_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", DEMO, "--on", "2024-06-01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    numbers = [c["number"] for c in data["criteria"]]
    assert numbers == [2, 6, 18, 29, 30, 31, 32]
    c18 = data["criteria"][2]
    assert {"number", "group", "title", "text", "source"} <= set(c18)
    assert c18["source"]["part"] == "Phụ lục I, tiêu chí 18"
    assert data["parameters"]["min_crime_reduction"]["in_force"] == "0.05"


def test_show_table_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", DEMO, "--on", "2025-06-01")
    assert code == 0 and "crimes <= max_allowed" in out
    code, out, _ = run(
        capsys, "--folder", str(ROOT / "tests" / "rulesets"), "list", "--format", "json"
    )
    assert code == 0
    ids = {r["id"] for r in json.loads(out)}
    assert {"demo-commune", "demo-prerequisites"} <= ids


def test_validate_reports_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = Path(DEMO)
    code, out, _ = run(capsys, "validate", str(good))
    assert code == 0 and out.startswith("ok: ")
    bad = tmp_path / "bad.yaml"
    text = good.read_text(encoding="utf-8").replace("party_rating >= good", "party_rating >= goood")
    (tmp_path / "demo-prerequisites.yaml").write_text(
        (ROOT / "tests" / "rulesets" / "demo-prerequisites.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    bad.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2
    line = text.splitlines().index(next(ln for ln in text.splitlines() if "goood" in ln)) + 1
    assert f"bad.yaml:{line}" in err
    assert "criterion 6" in err and "did you mean `good`" in err


def test_validate_reads_the_whole_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Loading a self-contained file reads only that file; validating it still reports a
    version defined twice in its folder."""
    text = (ROOT / "tests" / "rulesets" / "demo-points.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    assert er.load(tmp_path / "a.yaml").id == "demo-points"
    code, _, err = run(capsys, "validate", str(tmp_path / "a.yaml"))
    assert code == 2 and "is also defined in" in err


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", DEMO, "--on", "2024-06-01")
    assert code == 0
    assert json.loads(out)["properties"]["crimes"]["anyOf"][0]["type"] == "integer"
    code, out, _ = run(capsys, "schema", "--format-schema", "ruleset")
    assert code == 0 and json.loads(out)["title"] == "emulation-rules rule set"


def test_entry_point_runs_as_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "emulation_rules", "evaluate", DEMO, "-", "--on", "2024-06-01"],
        input='{"crimes": "x"}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("emulation-rules: error: stdin: crimes")


def test_division_by_zero_in_a_batch_names_file_line_and_unit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    division = str(ROOT / "tests" / "rulesets" / "demo-division.yaml")
    path = tmp_path / "units.jsonl"
    good = {"unit_id": "Xã A", "part": 1, "total": 2, "items": [{"v": 1}]}
    bad = {"unit_id": "Xã B", "part": 1, "total": 0, "items": [{"v": 1}]}
    text = "\n\n".join(json.dumps(u, ensure_ascii=False) for u in (good, bad))
    path.write_text(text + "\n", encoding="utf-8")  # the bad unit is on line 3
    code, out, err = run(capsys, "evaluate", division, str(path), "--format", "json")
    assert code == 2 and len(out.splitlines()) == 1  # the first unit's verdict
    assert len(err.strip().splitlines()) == 1
    assert f"{path}:3 (unit 'Xã B'): " in err and "division by zero" in err


def test_every_command_has_its_entry_in_the_dispatch_table() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMANDS)


def test_evidence_that_is_not_an_object_is_named_without_an_empty_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    units = tmp_path / "units.json"
    units.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run_cli(capsys, "evaluate", "typical-commune", str(units), "--on", "2024-12-31")
    assert code == 2
    assert f"{units}: evidence must be a mapping of facts" in err and ": :" not in err
