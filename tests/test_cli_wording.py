"""Issue 16, point 12: the Vietnamese text the command line prints reads as Vietnamese
(dates dd/mm/yyyy, titles instead of ids, Vietnamese words), while English keeps ISO
dates and ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
CAMPAIGN = "special-campaign-binh-luong"
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def out_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    return out


# -- 1. dates ---------------------------------------------------------------------------------
def test_evaluate_header_date(capsys: pytest.CaptureFixture[str]) -> None:
    unit = str(EX / "commune-all-met.json")
    vi = out_of(capsys, "evaluate", "typical-commune", unit, "--on", "31/12/2024")
    assert "ngày đánh giá 31/12/2024" in vi.splitlines()[0]
    en = out_of(capsys, "evaluate", "typical-commune", unit, "--on", "31/12/2024", "--lang", "en")
    assert "evaluated on 2024-12-31" in en.splitlines()[0]


def test_campaign_show_and_timeline_dates(capsys: pytest.CaptureFixture[str]) -> None:
    show = ("campaign", "show", CAMPAIGN, "--on", "16/02/2025")
    vi = out_of(capsys, *show)
    assert "Ngày: 16/02/2025" in vi and "14/02/2025" in vi and "24/08/2025" in vi
    assert not ISO.search(vi)
    en = out_of(capsys, *show, "--lang", "en")
    assert "On: 2025-02-16" in en and "2025-02-14" in en
    vi = out_of(capsys, "campaign", "timeline", CAMPAIGN)
    assert "19/08/2024" in vi and "04/02/2025" in vi and not ISO.search(vi)
    en = out_of(capsys, "campaign", "timeline", CAMPAIGN, "--lang", "en")
    assert "2024-08-19" in en and "19/08/2024" not in en


def test_awards_header_date(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("awards", "allocate", CAMPAIGN, "--round", "interim")
    vi = out_of(capsys, *args, str(EX / "candidates-binh-luong-interim.jsonl"))
    assert "xét ngày 03/02/2025" in vi.splitlines()[0]
    en = out_of(capsys, *args, str(EX / "candidates-binh-luong-interim.jsonl"), "--lang", "en")
    assert "judged on 2025-02-03" in en.splitlines()[0]


def test_monitor_alert_dates(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("monitor", CAMPAIGN, str(EX / "events-binh-luong-phase-1.jsonl"))
    vi = out_of(capsys, *args, "--until", "04/02/2025", "--engine", "python")
    alerts = vi.split("\n\n")[0].splitlines()[1:]
    firsts = [line for line in alerts if not line.startswith(" ")]
    assert firsts and all(re.match(r"\d{2}/\d{2}/\d{4}  ", line) for line in firsts)
    en = out_of(capsys, *args, "--until", "2025-02-04", "--engine", "python", "--lang", "en")
    assert re.match(r"\d{4}-\d{2}-\d{2}  ", en.splitlines()[1])


def test_recognition_date(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("recognise", "typical-commune", str(EX / "commune-all-met.json"))
    dossier = ("--dossier", str(EX / "dossier-complete.json"))
    vi = out_of(capsys, *args, *dossier)
    assert "ngày công nhận: 31/12/2024" in vi
    en = out_of(capsys, *args, *dossier, "--lang", "en")
    assert "recognition date: 2024-12-31" in en


# -- 2. ids → titles and Vietnamese words ------------------------------------------------------
def test_evaluate_groups_by_title(capsys: pytest.CaptureFixture[str]) -> None:
    unit = str(EX / "commune-fails-18-19.json")
    vi = out_of(capsys, "evaluate", "typical-commune", unit, "--on", "31/12/2024")
    table = vi.split("\n\n", 1)[1]
    assert "Công tác lãnh đạo của cấp ủy" in table
    assert not re.search(r"\b(leadership|movement|security|police)\b", table)
    assert table.count("Công tác lãnh đạo của cấp ủy") == 1  # once, on the group's first row
    md = out_of(
        capsys, "evaluate", "typical-commune", unit, "--on", "31/12/2024", "--format", "markdown"
    )
    assert "| 1 | Công tác lãnh đạo của cấp ủy Đảng" in md
    en = out_of(capsys, "evaluate", "typical-commune", unit, "--on", "31/12/2024", "--lang", "en")
    assert re.search(r"^1 +leadership +met", en, re.M) and re.search(r"^2 +leadership", en, re.M)


def test_campaign_show_words_not_ids(capsys: pytest.CaptureFixture[str]) -> None:
    show = ("campaign", "show", CAMPAIGN, "--on", "16/02/2025")
    vi = out_of(capsys, *show)
    assert "Trạng thái: Đợt thi đua thứ hai" in vi and "Đợt: Đợt thi đua thứ hai" in vi
    assert "Báo cáo sơ kết đợt thi đua thứ nhất" in vi
    assert "Quá hạn, chưa gửi" in vi and "Chưa đến hạn" in vi
    for word in ("state", "phase-2", "interim-report-1", "overdue", "pending"):
        assert word not in vi
    en = out_of(capsys, *show, "--lang", "en")
    assert "state: phase-2" in en and "interim-report-1" in en and "overdue" in en


def test_timeline_words_not_ids(capsys: pytest.CaptureFixture[str]) -> None:
    vi = out_of(capsys, "campaign", "timeline", CAMPAIGN)
    assert vi.splitlines()[0].split() == ["Ngày", "Mốc", "Nội", "dung"]
    assert "Bắt đầu đợt" in vi and "Hạn gửi báo cáo" in vi
    for word in ("Date", "Event", "phase_start", "phase-1", "interim-review-1", "report_due"):
        assert word not in vi
    en = out_of(capsys, "campaign", "timeline", CAMPAIGN, "--lang", "en")
    assert en.splitlines()[0].split() == ["Date", "Event", "Id", "Title"]
    assert "phase_start" in en and "interim-review-1" in en


def test_awards_round_title_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("awards", "allocate", CAMPAIGN, "--round", "interim")
    vi = out_of(capsys, *args, str(EX / "candidates-binh-luong-interim.jsonl"))
    head = vi.splitlines()[0]
    assert "Khen thưởng sơ kết đợt thi đua thứ nhất" in head and "interim" not in head
    assert "Tổ bảo vệ ANTT số 18" in vi and not re.search(r"\bto-\d+\b", vi)
    en = out_of(capsys, *args, str(EX / "candidates-binh-luong-interim.jsonl"), "--lang", "en")
    assert "round interim (interim-review-1)" in en and "to-18" in en


def test_monitor_table_phase_title(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("monitor", CAMPAIGN, str(EX / "events-binh-luong-phase-1.jsonl"), "--engine", "python")
    vi = out_of(capsys, *args, "--until", "04/02/2025")
    assert "Xã Bình Lương — Đợt thi đua thứ nhất (kết quả cuối đợt)" in vi
    en = out_of(capsys, *args, "--until", "04/02/2025", "--lang", "en")
    assert "— phase-1 (final)" in en


def test_pages_levels_by_label() -> None:
    page = (ROOT / "docs" / "rulesets" / "typical-commune.md").read_text(encoding="utf-8")
    assert "| Tập thể lao động tiên tiến (`advanced_collective`) |" in page
    assert "| advanced_collective |" not in page and "| good |" not in page


# -- 3. terms ----------------------------------------------------------------------------------
def _unit(tmp_path: Path, name: str, **changes: object) -> str:
    data = json.loads((EX / "commune-all-met.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_prerequisite_line_names_it_and_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    failing = _unit(tmp_path, "fail.json", safe_standard_achieved=False)
    vi = out_of(capsys, "evaluate", "typical-commune", failing, "--on", "31/12/2024")
    assert "tiên quyết" not in vi
    assert (
        "Điều kiện lựa chọn đơn vị xây dựng điển hình về phong trào toàn dân bảo vệ an ninh Tổ"
        " quốc: Không đủ điều kiện (không đạt: tiêu chí 1"
        " (Đạt tiêu chuẩn “An toàn về ANTT”))"
    ) in vi
    assert "chưa đáp ứng điều kiện lựa chọn" in vi
    missing = _unit(tmp_path, "miss.json", safe_standard_year=None)
    vi = out_of(capsys, "evaluate", "typical-commune", missing, "--on", "31/12/2024")
    line = next(x for x in vi.splitlines() if x.startswith("Điều kiện lựa chọn"))
    assert "thiếu dữ liệu: Năm được công nhận đạt tiêu chuẩn" in line
    assert "safe_standard_year" not in line
    en = out_of(
        capsys, "evaluate", "typical-commune", missing, "--on", "31/12/2024", "--lang", "en"
    )
    assert "Prerequisite typical-prerequisites: Undetermined (missing: safe_standard_year)" in en


def test_award_caps_are_not_targets(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("awards", "allocate", CAMPAIGN, "--round", "interim")
    vi = out_of(capsys, *args, str(EX / "candidates-binh-luong-interim.jsonl"))
    assert "∞" not in vi and "chỉ tiêu 20" not in vi and "vượt chỉ tiêu" not in vi
    assert "đề nghị 20 (số lượng không quá 20)" in vi and "(không giới hạn số lượng)" in vi
    assert "số lượng không quá 20." in vi  # the reasons too
    en = out_of(capsys, *args, str(EX / "candidates-binh-luong-interim.jsonl"), "--lang", "en")
    assert "∞" not in en and "quota 20" in en and "no limit" in en


def test_month_alert_default_text_without_jargon() -> None:
    from datetime import date

    from emulation_rules.monitor.alerts import month_alert_text

    text = month_alert_text(None, "Xã A", "Tổ 3", date(2024, 11, 1), "4.7")
    assert text.vi == "Xã A: trong tháng 11/2024, Tổ 3 không đạt chỉ tiêu 4.7."
    assert text.en == "Xã A: the 2024-11 record of Tổ 3 fails target 4.7."
    ending = month_alert_text(
        None, "Xã A", "Tổ 3", date(2024, 11, 1), "4.7", ends=(date(2024, 11, 30), 7)
    )
    assert "bản ghi" not in ending.vi and "ngày 30/11/2024 (còn 7 ngày)" in ending.vi


def test_recognition_prerequisite_line_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = _unit(tmp_path, "miss.json", safe_standard_year=None)
    args = ("recognise", "typical-commune", missing, "--dossier", str(EX / "dossier-complete.json"))
    vi = out_of(capsys, *args)
    line = next(x for x in vi.splitlines() if x.startswith("Điều kiện lựa chọn đơn vị"))
    assert "thiếu dữ liệu: Năm được công nhận đạt tiêu chuẩn" in line
    assert "safe_standard_year" not in line
    en = out_of(capsys, *args, "--lang", "en")
    assert "Prerequisite typical-prerequisites: Undetermined (missing: safe_standard_year)" in en


def test_deadlines_in_one_writing(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    from emulation_rules.campaigns.spec import Reading
    from emulation_rules.campaigns.wording import deadline_text

    vi = out_of(capsys, "campaign", "show", CAMPAIGN, "--on", "16/02/2025")
    assert "trước ngày 25/08/2025" in vi and "25/8/2025" not in vi
    kon_plong = ("campaign", "show", "special-campaign-kon-plong", "--issued", "07/10/2024")
    vi = out_of(capsys, *kon_plong, "--on", "16/02/2025")
    assert "trước ngày 03/02/2025" in vi and "tháng 02 năm" not in vi
    en = out_of(capsys, "campaign", "show", CAMPAIGN, "--on", "16/02/2025", "--lang", "en")
    assert "trước ngày 25/8/2025" in en  # the plan's own words, as before
    by = deadline_text(Reading.BY, date(2025, 6, 9))
    assert (by.vi, by.en) == ("đến hết ngày 09/06/2025", "by 2025-06-09")


def test_citations_name_the_kind_of_text(capsys: pytest.CaptureFixture[str]) -> None:
    from emulation_rules.model.common import Citation

    assert Citation("9475/QĐ-BCA-V05").render() == "Quyết định số 9475/QĐ-BCA-V05"
    assert Citation("…/KH-BCĐ").render() == "Kế hoạch số …/KH-BCĐ"
    assert (
        Citation("KH-UBND (số không đọc được)").render() == "Kế hoạch KH-UBND (số không đọc được)"
    )
    assert Citation("Quyết định số 1/QĐ-X").render() == "Quyết định số 1/QĐ-X"  # not twice
    assert Citation("Luật Thi đua, khen thưởng").render() == "Luật Thi đua, khen thưởng"
    vi = out_of(capsys, "show", "typical-commune")
    assert vi.splitlines()[1].startswith(
        "Quyết định số 9475/QĐ-BCA-V05 (in ở phần II là 9745) ngày 28/12/2022"
    )


def test_no_recognition_date_without_recognition(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    failing = _unit(tmp_path, "fail.json", safe_standard_achieved=False)
    args = ("recognise", "typical-commune", failing, "--dossier", str(EX / "dossier-complete.json"))
    vi = out_of(capsys, *args)
    assert (
        "CÔNG NHẬN" in vi.splitlines()[0] and "Năm xét: 2024; ngày xét công nhận: 31/12/2024" in vi
    )
    assert "ngày công nhận" not in vi
