"""Batches that go on past a bad unit (issue 16, point 5): ``RuleSet.evaluate_each``
(results keyed by unit) and the CLI's ``--keep-going``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from support import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
DAY = date(2025, 6, 1)


def good(unit: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (EXAMPLES / "commune-all-met.json").read_text(encoding="utf-8")
    )
    data["unit_id"] = unit
    return data


@pytest.fixture(scope="module")
def commune() -> er.RuleSet:
    return er.Library().load("typical-commune", on=DAY)


def test_evaluate_each_keys_every_unit_and_never_stops(commune: er.RuleSet) -> None:
    units = [good("xã A"), good("xã B") | {"crimes": 1}, {"unit_id": 7}, good("xã D"), {}]
    results = list(commune.evaluate_each(units))
    assert [r.index for r in results] == [0, 1, 2, 3, 4]
    assert [r.key for r in results] == ["xã A", "xã B", 2, "xã D", 4]
    assert [r.ok for r in results] == [True, False, False, True, True]
    assert results[0].verdict == commune.evaluate(units[0]) and results[0].error is None
    error = results[1].error
    assert isinstance(error, er.EvidenceError) and results[1].verdict is None
    assert [p.path for p in error.problems] == [("crimes",)]
    assert isinstance(results[2].error, er.EvidenceError)
    assert results[4].verdict is not None and results[4].verdict.status is er.Status.UNDETERMINED


def test_evaluate_each_in_a_pool_gives_the_same_results(commune: er.RuleSet) -> None:
    units = [good(f"xã {i}") if i % 3 else {"crimes": i} for i in range(12)]
    here = list(commune.evaluate_each(units))
    pooled = list(commune.evaluate_each(units, workers=2, chunk_size=5))
    assert [(r.index, r.key, r.verdict) for r in pooled] == [
        (r.index, r.key, r.verdict) for r in here
    ]
    assert [type(r.error) for r in pooled] == [type(r.error) for r in here]


def test_evaluate_many_refuses_an_unknown_error_policy(commune: er.RuleSet) -> None:
    with pytest.raises(ValueError, match="errors: must be"):
        commune.evaluate_many([], errors="ignore")  # type: ignore[arg-type]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


@pytest.fixture
def units_file(tmp_path: Path) -> Path:
    lines = [
        json.dumps(good("xã A"), ensure_ascii=False),
        json.dumps(good("xã B") | {"crimes": 1}, ensure_ascii=False),
        json.dumps(good("xã C"), ensure_ascii=False),
        '{"unit_id": "xã D", ',
        json.dumps(good("xã E"), ensure_ascii=False),
    ]
    path = tmp_path / "units.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [[], ["--workers", "2"]])
def test_keep_going_writes_error_records_beside_the_verdicts(
    capsys: pytest.CaptureFixture[str], units_file: Path, workers: list[str]
) -> None:
    code, out, err = run(
        capsys,
        "evaluate",
        "typical-commune",
        str(units_file),
        "--on",
        DAY.isoformat(),
        "--format",
        "json",
        "--brief",
        "--keep-going",
        *workers,
    )
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 5
    assert [r["unit"] for r in records if "unit" in r] == ["xã A", "xã C", "xã E"]
    bad = records[1]["error"]
    assert (bad["line"], bad["unit"]) == (2, "xã B")
    assert (
        bad["problems"][0]["path"] == "crimes" and "unknown fact" in bad["problems"][0]["message"]
    )
    assert records[3]["error"]["line"] == 4 and records[3]["error"]["unit"] is None
    assert "5 unit(s), 3 evaluated, 2 refused" in err


def test_keep_going_with_tables_reports_errors_on_stderr(
    capsys: pytest.CaptureFixture[str], units_file: Path
) -> None:
    code, out, err = run(
        capsys,
        "evaluate",
        "typical-commune",
        str(units_file),
        "--on",
        DAY.isoformat(),
        "--brief",
        "--keep-going",
    )
    assert code == 1
    assert out.count("Xã") + out.count("xã") >= 3
    assert "units.jsonl:2: crimes: unknown fact" in err
    assert "units.jsonl:4:" in err


def test_without_keep_going_the_first_bad_line_stops_the_run(
    capsys: pytest.CaptureFixture[str], units_file: Path
) -> None:
    code, out, err = run(
        capsys,
        "evaluate",
        "typical-commune",
        str(units_file),
        "--on",
        DAY.isoformat(),
        "--format",
        "json",
        "--brief",
    )
    assert code == 2
    assert len(out.splitlines()) == 1
    assert "units.jsonl:2: crimes: unknown fact" in err
