"""``emulation-rules impact`` (issue 16): ``--set PARAM=VALUE`` or ``--against
VERSION_OR_FILE``, the table in Vietnamese and English, ``--format json``, bad settings
and bad lines (exit 2, or listed with ``--keep-going`` and exit 1)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from impact_support import PHU_LOC, between_5_and_8, crime_units
from support import run_cli

ON = ("--on", "2024-12-31")


def jsonl(path: Path, units: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(u, ensure_ascii=False) + "\n" for u in units), "utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


@pytest.fixture()
def units_file(tmp_path: Path) -> Path:
    return jsonl(tmp_path / "units.jsonl", list(crime_units()))


def test_cli_set_prints_the_totals_criteria_and_units(
    capsys: pytest.CaptureFixture[str], units_file: Path
) -> None:
    units = list(crime_units())
    expected = [u["unit_id"] for u in units if between_5_and_8(u)]
    code, out, err = run(
        capsys, "impact", "typical-commune", str(units_file), "--set", "crime_reduction_min=8%", *ON
    )
    assert code == 0 and err == ""
    assert (
        "Bộ tiêu chí thay đổi: Bộ tiêu chí tạm thời xây dựng xã, phường, thị trấn điển hình về "
        "phong trào toàn dân bảo vệ an ninh Tổ quốc, phiên bản 2022.1+reform (typical-commune, "
        "sha256 "
    ) in out
    assert "Ngày đánh giá: 31/12/2024" in out
    assert "Mức giảm tối thiểu số vụ phạm tội về trật tự xã hội so với năm trước: 5% → 8%" in out
    assert f"Số đơn vị được đánh giá: {len(units)}" in out
    assert f"Đủ điều kiện → Không đủ điều kiện: {len(expected)} đơn vị" in out
    assert all(unit in out for unit in expected)
    assert "crime_reduction_min" not in out  # ids only in the English form
    code, out, _ = run(
        capsys, "impact", "typical-commune", str(units_file), "--set", "crime_reduction_min=8%",
        *ON, "--lang", "en",
    )  # fmt: skip
    assert code == 0
    assert f"Eligible → Not eligible: {len(expected)} units" in out
    assert "(crime_reduction_min): 5% → 8%" in out


def test_cli_json_is_the_report_with_line_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    units = list(crime_units())
    path = tmp_path / "units.jsonl"
    # a blank line and a unit without an id: positions are line numbers, keys fall back
    lines = [json.dumps(u, ensure_ascii=False) for u in units]
    first = next(i for i, u in enumerate(units) if between_5_and_8(u))
    no_id = {k: v for k, v in units[first].items() if k != "unit_id"}
    lines[first] = json.dumps(no_id, ensure_ascii=False)
    path.write_text("\n" + "\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "impact", "typical-commune", str(path), "--set", "crime_reduction_min=8%",
        *ON, "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    report = er.from_json(out, er.ImpactReport)
    assert data["changed"]["version"] == "2022.1+reform"
    expected = [i + 2 for i, u in enumerate(units) if between_5_and_8(u)]
    assert [u.position for u in report.unit_changes] == expected
    assert report.unit_changes[0].unit is None
    assert report.unit_changes[0].key == f"#{first + 2}"
    assert report.unit_changes[1].key == units[expected[1] - 2]["unit_id"]


def test_cli_against_a_file_and_a_version(
    capsys: pytest.CaptureFixture[str], units_file: Path
) -> None:
    overlay = str(PHU_LOC)
    code, out, _ = run(
        capsys, "impact", "typical-commune", str(units_file), "--against", overlay, *ON,
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["changed"]["id"] == "typical-commune-phu-loc"
    code, out, _ = run(
        capsys, "impact", "typical-commune", str(units_file), "--against", "2022.1", *ON
    )
    assert (
        code == 0 and "Số đơn vị thay đổi kết quả: 0" in out and "Không đơn vị nào thay đổi." in out
    )
    code, _, err = run(
        capsys, "impact", "typical-commune", str(units_file), "--against", "2030.1", *ON
    )
    assert code == 2 and "has no version '2030.1'" in err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "crime_reduction_mn=8%",
            "--set crime_reduction_mn=8%: typical-commune 2022.1 has no such parameter; "
            "did you mean 'crime_reduction_min'?",
        ),
        (
            "crime_reduction_min=8",
            "--set crime_reduction_min=8: expected a percentage written with %",
        ),
        ("crime_reduction_min=", "--set crime_reduction_min=: a value is needed"),
        ("crime_reduction_min", "--set crime_reduction_min: expected PARAMETER=VALUE"),
    ],
)
def test_cli_bad_set_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], units_file: Path, setting: str, message: str
) -> None:
    code, out, err = run(
        capsys, "impact", "typical-commune", str(units_file), "--set", setting, *ON
    )
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"emulation-rules: error: {message}" + err.split(message, 1)[1].rstrip("\n")
    ]
    assert message in err


def test_cli_set_twice_and_set_with_against_are_usage_errors(
    capsys: pytest.CaptureFixture[str], units_file: Path
) -> None:
    code, _, err = run(
        capsys, "impact", "typical-commune", str(units_file),
        "--set", "crime_reduction_min=8%", "--set", "crime_reduction_min=9%",
    )  # fmt: skip
    assert code == 2 and "already set by --set crime_reduction_min=8%" in err
    code, _, err = run(
        capsys, "impact", "typical-commune", str(units_file),
        "--set", "crime_reduction_min=8%", "--against", "2022.1",
    )  # fmt: skip
    assert code == 2 and "not allowed with" in err
    code, _, err = run(capsys, "impact", "typical-commune", str(units_file))
    assert code == 2 and "one of the arguments --set --against is required" in err


def test_cli_bad_lines_exit_2_or_are_listed_with_keep_going(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    units = list(crime_units())[:10]
    path = tmp_path / "units.jsonl"
    text = "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in units)
    text += '{"unit_id": "Xã lỗi", "crimes_social_order": -1}\n{nope\n'
    text += json.dumps(units[0], ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    args = ("impact", "typical-commune", str(path), "--set", "crime_reduction_min=8%", *ON)
    code, out, err = run(capsys, *args)
    assert code == 2
    assert err.strip() == (
        f"emulation-rules: error: {path}:11: typical-commune 2022.1: crimes_social_order: "
        "expected a whole number ≥ 0, got -1"
    )
    code, out, err = run(capsys, *args, "--keep-going", "--format", "json")
    assert code == 1
    report = er.from_json(out, er.ImpactReport)
    assert report.units == 11
    assert [(e.position, e.unit) for e in report.errors] == [(11, "Xã lỗi"), (12, None)]
    assert report.errors[1].ruleset is None and "malformed JSON" in report.errors[1].problems[0]
    code, out, _ = run(capsys, *args, "--keep-going")
    assert code == 1
    assert "Các dòng không đánh giá được:" in out and "Số dòng không đánh giá được: 2" in out


def test_cli_help_lists_impact(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "impact" in out
    code, out, _ = run(capsys, "impact", "--help")
    assert code == 0 and "--set PARAM=VALUE" in out and "--against VERSION_OR_FILE" in out


def test_cli_reads_units_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, units_file: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(units_file.read_text(encoding="utf-8")))
    code, out, _ = run(
        capsys, "impact", "typical-commune", "-", "--set", "crime_reduction_min=8%", *ON,
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    report = er.from_json(out, er.ImpactReport)
    units = list(crime_units())
    assert report.units == len(units)
    assert [u.unit for u in report.unit_changes] == [
        u["unit_id"] for u in units if between_5_and_8(u)
    ]


def test_cli_against_another_version_of_the_same_rule_set(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # demo-versioned 2023.1 (at most 4 incidents on 2024-12-31) against 2025.1 (at most 2)
    units = [{"unit_id": f"Xã {i}", "incidents": i} for i in range(7)]
    path = jsonl(tmp_path / "units.jsonl", units)
    folder = str(Path(__file__).parent / "rulesets")
    code, out, _ = run(
        capsys, "--folder", folder, "impact", "demo-versioned", str(path), "--against", "2025.1",
        "--on", "2024-12-31", "--format", "json",
    )  # fmt: skip
    assert code == 0
    report = er.from_json(out, er.ImpactReport)
    assert (report.base.version, report.changed.version) == ("2023.1", "2025.1")
    assert [(u.position, u.unit) for u in report.unit_changes] == [(4, "Xã 3"), (5, "Xã 4")]
    assert [(p.name, p.before, p.after) for p in report.parameters] == [("max_incidents", 4, 2)]
