"""Verdict.diff and `emulation-rules diff`: the overall changes, the criteria whose status
changed with the values read that changed them, added and removed criteria across rule
sets, brief against explained, the summary in both languages, JSON, and the command's
output and exit codes."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import emulation_rules as er
from emulation_rules.cli.main import main
from emulation_rules.model import CriterionChange, ValueChange, diff_text
from emulation_rules.model.diff_text import show_value
from emulation_rules.model.verdict import OVERALL_TEXT, STATUS_TEXT

ROOT = Path(__file__).resolve().parents[1]
ON = date(2024, 12, 31)
LIB = er.Library([ROOT / "examples" / "local-rulesets"])
RS = LIB.load("typical-commune", on=ON)
ALL_MET: dict[str, Any] = json.loads(
    (ROOT / "examples" / "commune-all-met.json").read_text(encoding="utf-8")
)
MORE_CRIMES = {**ALL_MET, "crimes_social_order": 45}  # 38 -> 45 against 40 the year before
CRIMES_LABEL_VI = "Số vụ phạm tội về trật tự xã hội trên địa bàn trong năm đánh giá"


def explained(evidence: dict[str, Any], rs: er.RuleSet = RS) -> er.Verdict:
    return rs.evaluate(evidence, explain=True)


def test_equal_verdicts_give_an_empty_diff() -> None:
    before, after = explained(ALL_MET), explained(dict(ALL_MET))
    diff = before.diff(after)
    assert diff == er.VerdictDiff()
    assert not diff.changed and not diff
    assert diff.summary.vi.startswith("Không có thay đổi")
    assert diff.summary.en.startswith("No change")
    assert RS.evaluate(ALL_MET).diff(explained(ALL_MET)).changed is False  # brief vs explained


def test_more_crimes_cross_criterion_18() -> None:
    diff = explained(ALL_MET).diff(explained(MORE_CRIMES))
    assert diff.changed
    assert (diff.status.before, diff.status.after) == (er.Status.ELIGIBLE, er.Status.NOT_ELIGIBLE)
    assert diff.reason is not None and diff.level is None and diff.ruleset is None
    [change] = diff.criteria
    assert (change.id, change.before, change.after) == (
        "18",
        er.CriterionStatus.MET,
        er.CriterionStatus.NOT_MET,
    )
    assert [(v.name, v.role, v.before, v.after) for v in change.values] == [
        ("crimes_social_order", "fact", 38, 45)
    ]
    assert diff.summary.vi.splitlines() == [
        "Kết quả chung: Đủ điều kiện → Không đủ điều kiện.",
        f"Tiêu chí 18: Đạt → Không đạt ({CRIMES_LABEL_VI}: 38 → 45).",
    ]
    assert diff.summary.en.splitlines()[1] == (
        "Criterion 18: met → not met (Crimes against social order in the commune in the "
        "assessment year: 38 → 45)."
    )
    assert "crimes_social_order" not in diff.summary.vi


def test_values_computed_from_changed_facts_are_listed_in_the_json_not_the_text() -> None:
    fewer_before = {**ALL_MET, "crimes_social_order_previous_year": 39}
    diff = explained(ALL_MET).diff(explained(fewer_before))
    [change] = diff.criteria
    names = {v.name: (v.before, v.after, v.label is None) for v in change.values}
    assert names["crimes_social_order_previous_year"] == (40, 39, False)
    assert names["max_allowed"][2] is True and names["max_allowed"][:2] != ("38", "38")
    assert "max_allowed" not in diff.summary.vi + diff.summary.en


def test_a_fact_gone_missing_leaves_the_criterion_unknown() -> None:
    without = {k: v for k, v in ALL_MET.items() if k != "crimes_social_order"}
    diff = explained(ALL_MET).diff(explained(without))
    assert diff.status.after is er.Status.UNDETERMINED
    [change] = diff.criteria
    assert change.after is er.CriterionStatus.UNKNOWN
    assert ("crimes_social_order", 38, None) in [(v.name, v.before, v.after) for v in change.values]
    assert "38 → chưa có số liệu" in diff.summary.vi
    assert "38 → not given" in diff.summary.en


def test_brief_against_explained_compares_statuses_without_values() -> None:
    for before, after in (
        (RS.evaluate(ALL_MET), explained(MORE_CRIMES)),
        (explained(ALL_MET), RS.evaluate(MORE_CRIMES)),
    ):
        diff = before.diff(after)
        assert not diff.values_compared
        assert [(c.id, c.after, c.values) for c in diff.criteria] == [
            ("18", er.CriterionStatus.NOT_MET, ())
        ]
        assert "Không so sánh được các giá trị" in diff.summary.vi
        assert "Values not compared" in diff.summary.en


def test_different_rule_sets_list_added_and_removed_criteria() -> None:
    local = LIB.load("typical-commune-phu-loc", on=ON)
    evidence = {**ALL_MET, "night_patrols_least_month": 4}
    base, overlay = explained(ALL_MET), explained(evidence, local)  # 18 needs 10% there: 38 of 40
    diff = base.diff(overlay)
    assert diff.ruleset is not None and diff.ruleset.after.id == "typical-commune-phu-loc"
    by_id = {c.id: c for c in diff.criteria}
    assert by_id["35"] == CriterionChange("35", 35, None, er.CriterionStatus.MET)
    assert by_id["18"].after is er.CriterionStatus.NOT_MET
    assert ("crime_reduction_min", "5", "10") in [
        (v.name, v.before, v.after) for v in by_id["18"].values
    ]
    assert diff.summary.vi.splitlines()[0] == (
        "Bộ tiêu chí khác nhau: typical-commune 2022.1 → typical-commune-phu-loc 2024.1."
    )
    assert "Tiêu chí 35 (chỉ có trong kết quả sau): Đạt." in diff.summary.vi
    back = overlay.diff(base)
    assert {c.id: (c.before, c.after) for c in back.criteria}["35"] == (
        er.CriterionStatus.MET,
        None,
    )
    assert "Criterion 35 (only in the earlier verdict): met." in back.summary.en


def test_the_same_version_with_another_text_is_said_so() -> None:
    before = explained(ALL_MET)
    after = attrs.evolve(before, ruleset=attrs.evolve(before.ruleset, sha256="0" * 64))
    diff = before.diff(after)
    assert diff.changed and diff.criteria == () and diff.status is None
    assert diff.summary.vi.startswith("Cùng bộ tiêu chí typical-commune 2022.1 nhưng nội dung")
    assert f"sha256 {before.ruleset.sha256[:12]}… → 000000000000…" in diff.summary.en


def test_prerequisites_date_and_unit() -> None:
    other = {**ALL_MET, "safe_standard_achieved": False, "unit_id": "Xã Phú Lộc"}
    later = RS.evaluate(other, explain=True)
    later = attrs.evolve(later, evaluated_on=date(2025, 1, 2))
    diff = explained(ALL_MET).diff(later)
    assert [(p.name, p.before, p.after) for p in diff.prerequisites] == [
        ("prerequisites", er.Status.ELIGIBLE, er.Status.NOT_ELIGIBLE)
    ]
    lines = diff.summary.vi.splitlines()
    assert "Ngày đánh giá: 31/12/2024 → 02/01/2025." in lines
    assert "Đơn vị: Xã Hòa Bình (ví dụ), năm 2024 → Xã Phú Lộc." in lines
    assert "Điều kiện lựa chọn: Đủ điều kiện → Không đủ điều kiện." in lines
    assert "Prerequisite prerequisites: Eligible → Not eligible." in diff.summary.en.splitlines()
    assert "Evaluated on: 2024-12-31 → 2025-01-02." in diff.summary.en.splitlines()


def test_level_and_points(points: er.RuleSet) -> None:
    good = {"meetings": 4, "tips": 5, "members_share": 60, "rating": "good"}
    before, after = points.evaluate(good, explain=True), points.evaluate({**good, "tips": 1})
    diff = before.diff(after)
    assert diff.points is not None and diff.points.before != diff.points.after
    assert diff.level is not None
    assert f"Điểm: {diff.points.before} → {diff.points.after}." in diff.summary.vi.splitlines()
    assert any(line.startswith("Level: ") for line in diff.summary.en.splitlines())


def test_json_round_trip() -> None:
    diff = explained(ALL_MET).diff(explained(MORE_CRIMES))
    text = er.to_json(diff)
    data = json.loads(text)
    assert data["status"] == {"before": "eligible", "after": "not_eligible"}
    assert data["criteria"][0]["values"][0]["after"] == 45
    assert er.from_json(text, er.VerdictDiff) == diff


def test_values_read_as_an_officer_writes_them() -> None:
    assert show_value(12345, "integer", "vi") == "12.345"
    assert show_value(12345, "integer", "en") == "12,345"
    assert show_value("38.95", "decimal", "vi") == "38,95"
    assert show_value("90.1", "percent", "vi") == "90,1%"
    assert show_value(True, "bool", "vi") == "có"
    assert show_value(False, "bool", "en") == "no"
    assert show_value("2024-02-16", "date", "vi") == "16/02/2024"
    assert show_value(None, "integer", "vi") == "chưa có số liệu"
    assert show_value("good", "enum", "vi") == "good"


def test_the_status_words_are_those_of_the_reasons() -> None:
    assert diff_text.STATUS_TEXT is STATUS_TEXT  # one table, in model.verdict
    assert diff_text.OVERALL_TEXT is OVERALL_TEXT


def test_only_verdicts_are_compared() -> None:
    with pytest.raises(TypeError):
        explained(ALL_MET).diff(ALL_MET)  # type: ignore[arg-type]


def test_value_change_keeps_the_label() -> None:
    change = explained(ALL_MET).diff(explained(MORE_CRIMES)).criteria[0].values[0]
    assert isinstance(change, ValueChange) and change.label is not None
    assert change.label.vi == CRIMES_LABEL_VI


# ---- the command ----


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, verdict, form in (
        ("a", explained(ALL_MET), "expanded"),
        ("a2", explained(dict(ALL_MET)), "expanded"),
        ("b", explained(MORE_CRIMES), "expanded"),
        ("b_compact", explained(MORE_CRIMES), "compact"),
        ("b_brief", RS.evaluate(MORE_CRIMES), "brief"),
    ):
        out[name] = tmp_path / f"{name}.json"
        out[name].write_text(LIB.to_json(verdict, form=form), encoding="utf-8")
    return out


def test_cli_identical_exits_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(files["a"]), str(files["a2"])]) == 0
    assert capsys.readouterr().out.startswith("Không có thay đổi")


def test_cli_table_in_both_languages(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(files["a"]), str(files["b"])]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["Thay", "đổi", "Trước", "Sau"]
    assert "Tiêu chí 18" in out and "Không đạt" in out and CRIMES_LABEL_VI in out
    assert main(["diff", str(files["a"]), str(files["b"]), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "Criterion 18" in out and "not met" in out and "Not eligible" in out


def test_cli_json_is_the_diff(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(files["a"]), str(files["b"]), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    expected = explained(ALL_MET).diff(explained(MORE_CRIMES))
    assert er.from_json(json.dumps(data), er.VerdictDiff) == expected


def test_cli_reads_compact_and_brief_verdicts(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ["--folder", str(ROOT / "examples" / "local-rulesets")]
    assert main([*folder, "diff", str(files["a"]), str(files["b_compact"]), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "Crimes against social order in the commune in the assessment year" in out
    assert main(["diff", str(files["b"]), str(files["b_compact"])]) == 0
    assert main(["diff", str(files["a"]), str(files["b_brief"]), "--lang", "en"]) == 1
    assert "Values not compared" in capsys.readouterr().out


def test_cli_reads_stdin(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(files["a"].read_text(encoding="utf-8")))
    assert main(["diff", "-", str(files["b"])]) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read"),
        ('{"status": ', "malformed JSON"),
        ('{"x": 1}', "not a Verdict"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_file(
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    fragment: str,
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(files["a"]), str(bad)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err and fragment in err, err


def test_cli_compact_verdict_of_an_unknown_rule_set_names_the_file(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(files["b_compact"].read_text(encoding="utf-8"))
    data["ruleset"]["id"] = "no-such-rules"
    files["b_compact"].write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(files["a"]), str(files["b_compact"])])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert str(files["b_compact"]) in err and "no-such-rules" in err


def test_cli_both_from_stdin_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diff", "-", "-"])
    assert exc.value.code == 2
    assert "stdin" in capsys.readouterr().err
