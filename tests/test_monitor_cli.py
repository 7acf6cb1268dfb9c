"""``emulation-rules monitor CAMPAIGN EVENTS.jsonl``, run through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import emulation_rules.cli.monitor as cli_monitor
import emulation_rules.monitor.engine as engine_module
from emulation_rules.cli.main import main
from emulation_rules.monitor import Monitor
from monitor_support import EXAMPLE, campaign, ruleset


def run(*argv: str) -> int:
    """The exit status of ``emulation-rules ARGV`` (bad input exits 2)."""
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def test_replay_prints_alerts_and_the_final_table(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["monitor", "special-campaign-binh-luong", str(EXAMPLE), "--until", "2025-02-04"]
    assert run(*args, "--engine", "python") == 0
    out = capsys.readouterr().out
    assert out.startswith("Cảnh báo (17)\n")
    assert "Tháng không đạt" in out and "Tổ bảo vệ ANTT thôn 3 không có việc tốt nào" in out
    # a week before November closes, thôn 3 still has nothing for it: warned
    assert (
        "23/11/2024  Tháng sắp kết thúc    4.7    Xã Bình Lương: Tổ bảo vệ ANTT thôn 3 chưa có"
        " việc tốt nào và chưa có cá nhân được biểu dương trong tháng 11/2024; tháng kết thúc"
        " ngày 30/11/2024 (còn 7 ngày) (chỉ tiêu 4.7)."
    ) in out
    assert "Xã Bình Lương — Đợt thi đua thứ nhất (kết quả cuối đợt)" in out
    assert "phase-2" not in out  # no event in phase 2 yet: no table for it
    assert run(*args, "--engine", "python", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "Alerts (17)" in out and "Xã Bình Lương — phase-1 (final)" in out
    for kind in ("Month ending", "Month failed", "Deadline near", "Missed"):
        assert kind in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["monitor", "special-campaign-binh-luong", str(EXAMPLE), "--format", "json"]
    assert run(*args, "--engine", "python") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"] == "python" and data["clock"] == "2025-02-03"
    assert data["ruleset"] == "special-campaign-targets-binh-luong"
    [table] = data["indicators"]
    assert table["phase"] == "phase-1" and table["final"] is False
    statuses = {t["criterion"]: t["status"] for t in table["targets"]}
    assert statuses["4.7"] == "missed" and statuses["4.1a"] == "at_risk"
    assert {a["kind"] for a in data["alerts"]} == {
        "at_risk",
        "missed",
        "month_closed",
        "month_ending",
        "deadline_near",
    }


def test_the_saved_state_restores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.json"
    args = ["monitor", "special-campaign-binh-luong", str(EXAMPLE), "--save", str(state)]
    assert run(*args, "--engine", "python") == 0
    capsys.readouterr()
    data = json.loads(state.read_text("utf-8"))
    m = Monitor.restore(data, campaign(), ruleset(), engine="python")
    assert m.clock is not None and m.clock.isoformat() == "2025-02-03" and len(m.alerts) == 15


def test_a_day_by_day_job_resumes_from_its_saved_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = EXAMPLE.read_text("utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[:70]), encoding="utf-8")
    second.write_text("".join(lines[70:]), encoding="utf-8")
    state = str(tmp_path / "state.json")
    common = ["--engine", "python", "--format", "json"]
    assert run("monitor", "special-campaign-binh-luong", str(EXAMPLE), *common) == 0
    whole = json.loads(capsys.readouterr().out)
    assert run("monitor", "special-campaign-binh-luong", str(first), "--save", state, *common) == 0
    before = json.loads(capsys.readouterr().out)
    args = ["monitor", "special-campaign-binh-luong", str(second), "--resume", state]
    assert run(*args, "--save", state, *common) == 0
    after = json.loads(capsys.readouterr().out)
    assert len(before["alerts"]) == 3 and len(after["alerts"]) == 12  # only the new ones
    assert before["alerts"] + after["alerts"] == whole["alerts"]
    assert after["indicators"] == whole["indicators"] and after["clock"] == whole["clock"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{", "state.json:2:1: malformed JSON"),
        ("[]", "not a saved monitor state"),
        ('{"format": 2, "campaign": {"id": "x"}}', "the state was saved for campaign id x"),
    ],
)
def test_a_bad_saved_state_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, needle: str
) -> None:
    state = tmp_path / "state.json"
    state.write_text(content + "\n", encoding="utf-8")
    args = ["monitor", "special-campaign-binh-luong", str(EXAMPLE), "--resume", str(state)]
    assert run(*args, "--engine", "python") == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1, err


def bad_file(tmp_path: Path, lines: list[str]) -> str:
    good = EXAMPLE.read_text("utf-8").splitlines()[:3]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(good + lines) + "\n", encoding="utf-8")
    return str(path)


HEAD = '{"unit": "X", "date": "2024-09-01", '
LATE = '{"unit": "X", "date": "2026-01-01", '


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        (
            HEAD + '"kind": "tip", "payload": {"through_force": "có"}}',
            "events.jsonl:4: payload.through_force: expected true or false",
        ),
        (HEAD + '"kind": "tip", "payload": {"through_force": tru', "events.jsonl:4:"),
        (HEAD + '"kind": "rumour"}', "events.jsonl:4: kind: unknown kind"),
        (
            LATE + '"kind": "tip", "payload": {"through_force": true}}',
            "events.jsonl:4: date: 2026-01-01 is in no phase",
        ),
        (
            HEAD + '"kind": "model", "payload": {"name": "A", "recognised_by": "county"}}',
            "events.jsonl:4: payload.recognised_by: expected a level of police_level",
        ),
    ],
)
def test_bad_lines_exit_2_naming_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, needle: str
) -> None:
    path = bad_file(tmp_path, [line])
    assert run("monitor", "special-campaign-binh-luong", path, "--engine", "python") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("emulation-rules: error: ")
    assert needle in err


def test_other_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("monitor", "nope", str(EXAMPLE)) == 2
    assert "no campaign 'nope'" in capsys.readouterr().err
    assert run("monitor", "special-campaign-binh-luong", str(tmp_path / "missing.jsonl")) == 2
    assert "cannot read" in capsys.readouterr().err
    args = [
        "monitor",
        "special-campaign-binh-luong",
        str(EXAMPLE),
        "--ruleset",
        "special-campaign-targets-dong-nai",
    ]
    assert run(*args, "--on", "2024-10-15") == 2
    assert "not a target of campaign" in capsys.readouterr().err


def test_without_durable_rules(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(engine_module, "durable_available", lambda: False)
    monkeypatch.setattr(cli_monitor, "durable_available", lambda: False)
    args = ["monitor", "special-campaign-binh-luong", str(EXAMPLE)]
    assert run(*args, "--engine", "durable") == 2
    err = capsys.readouterr().err
    assert 'pip install "emulation-rules[streaming]"' in err and err.count("\n") == 1
    assert run(*args) == 0  # auto: the same rules, in Python, and a note on stderr
    captured = capsys.readouterr()
    assert "durable-rules is not installed" in captured.err and "Cảnh báo (15)" in captured.out
