"""The ``recognise`` and ``report`` commands, run through a small parser built here."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from emulation_rules.cli import recognition as cli
from emulation_rules.errors import EmulationRulesError

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="emulation-rules")
    parser.add_argument("--folder", action="append", default=[])
    sub = parser.add_subparsers(dest="command", required=True)
    cli.add_parser(sub)
    return cli.run(parser.parse_args(list(argv)))


def recognise(*extra: str, evidence: str = "commune-all-met.json") -> list[str]:
    return ["recognise", "typical-commune", str(EX / evidence), *extra]


def test_recognise_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(*recognise("--dossier", str(EX / "dossier-complete.json"))) == 0
    out = capsys.readouterr().out
    assert out.startswith("KẾT QUẢ XÉT CÔNG NHẬN: CÔNG NHẬN")
    assert "Ban Chỉ đạo 138 huyện Hậu Lộc" in out and "31/12/2024" in out


def test_recognise_failing_criteria_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    args = recognise(
        "--dossier", str(EX / "dossier-undated.json"), "--lang", "en",
        evidence="commune-fails-18-19.json",
    )  # fmt: skip
    assert run(*args) == 0
    out = capsys.readouterr().out
    assert out.startswith("RECOGNITION: DOSSIER NOT READY")
    assert "is undated" in out and "Criteria not met:" in out and "  18. " in out


def test_recognise_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = recognise("--dossier", str(EX / "dossier-missing-minutes.json"), "--format", "json")
    assert run(*args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "dossier_not_ready"
    assert data["dossier"]["issues"][0]["kind"] == "review_minutes"
    assert data["authority"]["id"] == "district-bcd-138"
    assert data["verdict"]["status"] == "eligible"


def test_recognise_2025_names_the_successor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = json.loads((EX / "commune-all-met.json").read_text(encoding="utf-8"))
    evidence.update(
        assessment_year=2025,
        safe_standard_year=2024,
        party_committee_resolution_date="2025-01-15",
        peoples_committee_plan_date="2025-02-20",
        steering_committee_programme_date="2025-03-05",
    )
    dossier = {
        "documents": [
            {"kind": k, "date": "2025-12-01", "issuer": "BCĐ ANTT xã"}
            for k in ("proposal", "results_report", "review_minutes")
        ]
    }
    ev, do = tmp_path / "unit.json", tmp_path / "dossier.json"
    ev.write_text(json.dumps(evidence), encoding="utf-8")
    do.write_text(json.dumps(dossier), encoding="utf-8")
    assert run("recognise", "typical-commune", str(ev), "--dossier", str(do), "--format",
               "json") == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "recognised" and data["year"] == 2025
    assert data["authority"]["level"] != "district"
    assert data["authority"]["assumption"] is not None
    assert run("recognise", "typical-commune", str(ev), "--dossier", str(do)) == 0
    assert "GIẢ ĐỊNH" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (recognise("--dossier", str(EX / "nowhere.json")), "cannot read"),
        (recognise("--dossier", str(EX / "dossier-complete.json"), "--year", "2025"),
         "assessment_year: the evidence is for 2024"),
        (recognise("--dossier", str(EX / "dossier-complete.json"), "--on", "2025-12-01"),
         "outside cycle 2024"),
        (recognise("--dossier", str(EX / "commune-all-met.json")),
         r"commune-all-met\.json: admin_reform_and_project_06_guidance: unknown key"),
        (recognise("--dossier", str(EX / "dossier-complete.json"), "--procedure", "x"),
         "no recognition procedure"),
        (["recognise", "special-campaign-targets", str(EX / "commune-all-met.json"),
          "--dossier", str(EX / "dossier-complete.json")], "commune-all-met.json: "),
    ],
)  # fmt: skip
def test_recognise_bad_input(args: list[str], message: str) -> None:
    with pytest.raises(EmulationRulesError, match=message):
        run(*args)


def test_bad_json_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"documents": [', encoding="utf-8")
    with pytest.raises(EmulationRulesError, match=r"bad\.json:1:\d+: malformed JSON"):
        run(*recognise("--dossier", str(bad)))
    with pytest.raises(EmulationRulesError, match=r"bad\.json: documents\[1\]\.kind"):
        dossier = json.loads((EX / "dossier-undated.json").read_text(encoding="utf-8"))
        dossier["documents"][1]["kind"] = "memo"
        bad.write_text(json.dumps(dossier), encoding="utf-8")
        run(*recognise("--dossier", str(bad)))


def test_report_markdown_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = str(EX / "commune-fails-18-19.json")
    assert run("report", "typical-commune", unit, "--on", "2024-12-31") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Báo cáo kết quả") and "| 18 |" in out
    target = tmp_path / "r.html"
    assert run("report", "typical-commune", unit, "--format", "html", "--lang", "en",
               "-o", str(target)) == 0  # fmt: skip
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="en"' in html
    with pytest.raises(EmulationRulesError, match="cannot write"):
        run("report", "typical-commune", unit, "-o", str(tmp_path / "no" / "r.md"))
