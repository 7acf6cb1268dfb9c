"""JSON from outside (issue 13, points 5, 7, 8): one reader for every file, line and row,
so that deep nesting, huge integers, lone surrogates, duplicate keys, a byte order mark
and garbage given to ``from_json`` are library errors naming where, never tracebacks."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.awards import read_candidates
from emulation_rules.campaigns import (
    Campaign,
    CampaignCatalogue,
    CampaignState,
    SqliteCampaignStore,
    state_from_json,
)
from emulation_rules.errors import (
    CampaignError,
    CaseFileError,
    EvidenceError,
    FormatError,
    StoreError,
    brief,
)
from emulation_rules.jsontext import MAX_DEPTH, loads
from emulation_rules.model.verdict import CriterionResult
from emulation_rules.monitor.state import MonitorState
from emulation_rules.testing.casefile import load_case_file
from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = str(ROOT / "tests" / "rulesets" / "demo-commune.yaml")
EVENTS = ROOT / "examples" / "events-binh-luong-phase-1.jsonl"
DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "9" * 5000


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


# -- the reader -------------------------------------------------------------------------------
def test_decimals_exact_and_a_bom_dropped() -> None:
    assert loads('\ufeff{"a": 0.7, "b": [1, "x"]}') == {"a": Decimal("0.7"), "b": [1, "x"]}
    assert loads(b'\xef\xbb\xbf{"a": 0.7}') == {"a": Decimal("0.7")}


@pytest.mark.parametrize(
    ("text", "path", "needle"),
    [
        ('{"a": 1, "b": {"c": 2, "c": 3}}', ("b", "c"), "the key 'c' is given twice"),
        ('{"x": [1, {"y": NaN}]}', ("x", 1, "y"), "NaN is not a number JSON allows"),
        ('{"x": -Infinity}', ("x",), "-Infinity is not a number"),
        ('{"x": 1e999999999999999999999}', ("x",), "out of range"),
        ('{"n": ' + HUGE + "}", ("n",), "an integer of 5000 digits (at most 4300"),
        ('{"unit_id": "\\ud800"}', ("unit_id",), "lone surrogate"),
        ('{"ok": "\\ud83d\\ude00", "k\\udc00": 1}', (), "lone surrogate"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), (), f"more than {MAX_DEPTH} levels"),
        (DEEP, (), f"more than {MAX_DEPTH} levels"),
        ('{"a": ', (), "malformed JSON: Expecting value"),
        ('{"n": ' + HUGE + ', "b": }', (), "malformed JSON: Expecting value"),
    ],
)
def test_the_reader_refuses_in_its_own_words(text: str, path: tuple[Any, ...], needle: str) -> None:
    with pytest.raises(FormatError) as info:
        loads(text, where="unit.json")
    assert info.value.path == path
    assert needle in str(info.value) and str(info.value).startswith("unit.json")
    str(info.value).encode("utf-8")  # printable: a surrogate is shown escaped


def test_nesting_within_the_bound_and_a_valid_pair_are_read() -> None:
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert loads('{"s": "[[[[\\"{{{{"}') == {"s": '[[[["{{{{'}  # brackets in texts do not count
    assert loads('"\\ud83d\\ude00"') == "😀"


def test_non_utf8_bytes_and_lines_are_located() -> None:
    with pytest.raises(FormatError, match=r"f\.json: not UTF-8 text \(byte 7 is 0xff\)"):
        loads(b'{"a": \xff}', where="f.json")
    with pytest.raises(FormatError, match=r"^f\.jsonl:12:6: malformed JSON"):
        loads('{"a":', where="f.jsonl", line=12)


def test_brief_never_fails() -> None:
    assert brief(10**5000) in ("an integer of about 5001 digits", "an integer of about 5000 digits")
    assert brief(-(10**5000)).startswith("an integer of about 500")
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    assert "too large to show" in brief(deep)
    assert brief("x" * 100).endswith("...") and len(brief("x" * 100)) == 60


# -- from_json of the public types ------------------------------------------------------------
GARBAGE = ["{", "[]", "1", "null", '"x"', "{}", '{"bogus": 1}', DEEP, '{"a": 1, "a": 2}', b"\xff"]


@pytest.mark.parametrize("cls", [er.Verdict, CriterionResult, CampaignState, MonitorState])
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_from_json_on_garbage_is_a_format_error(cls: type, text: str | bytes) -> None:
    if cls is MonitorState and text in ("{}",):
        assert er.from_json(text, cls) == MonitorState()  # every field has a default
        return
    with pytest.raises(FormatError):
        er.from_json(text, cls)


def test_from_json_names_the_path_and_the_file(commune: er.RuleSet) -> None:
    from support import ELIGIBLE

    data = json.loads(er.to_json(commune.evaluate(ELIGIBLE)))
    data["criteria"][2]["status"] = "passed"
    with pytest.raises(FormatError) as info:
        er.from_json(json.dumps(data), er.Verdict, where="v.json")
    assert info.value.path == ("criteria", 2, "status")
    assert str(info.value).startswith("v.json: criteria[2].status: not a Verdict: 'passed'")


def test_campaign_state_from_json_stays_a_campaign_error() -> None:
    with pytest.raises(CampaignError, match="not a campaign state: line 1:101: malformed JSON"):
        state_from_json(DEEP)
    with pytest.raises(CampaignError, match="given twice"):
        state_from_json('{"state": 1, "state": 2}')


# -- the evaluator, candidates, case files ------------------------------------------------------
def test_a_huge_integer_in_evidence_is_an_evidence_error(commune: er.RuleSet) -> None:
    with pytest.raises(EvidenceError, match=r"crimes: expected a whole number .*about 500. digits"):
        commune.evaluate({"crimes": 10**5000})


def test_candidates_with_deep_huge_or_duplicate_lines_name_each_line() -> None:
    line = '{"id": "a", "kind": "collective", "evidence": {"x": 1, "x": 2}}'
    with pytest.raises(FormatError) as info:
        read_candidates(f'{DEEP}\n{{"n": {HUGE}}}\n{line}\n', "c.jsonl")
    paths = [p.path for p in info.value.problems]
    assert paths == [("c.jsonl:1",), ("c.jsonl:2", "n"), ("c.jsonl:3", "evidence", "x")]
    assert "levels deep (column 101)" in info.value.problems[0].message


def test_case_file_evidence_with_a_duplicate_key_is_a_case_file_error(tmp_path: Path) -> None:
    (tmp_path / "unit.json").write_text('{"crimes": 1, "crimes": 2}', encoding="utf-8")
    cases = tmp_path / "demo.cases.yaml"
    cases.write_text(
        f"ruleset: {DEMO}\ncases:\n- name: a\n  evidence_file: unit.json\n"
        "  expect: {status: eligible}\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseFileError, match="given twice"):
        load_case_file(cases)


# -- the command line ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (DEEP, "unit.json:1:101: malformed JSON: nested more than 100 levels deep"),
        ('{"crimes": ' + HUGE + "}", "unit.json: crimes: malformed JSON: an integer of 5000"),
        ('{"unit_id": "\\udc80", "crimes": 1}', "unit.json: unit_id: malformed JSON: the text"),
        ('{"crimes": 1, "crimes": 40}', "unit.json: crimes: malformed JSON: the key 'crimes'"),
    ],
)
def test_cli_evaluate_refuses_hostile_json_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "unit.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "evaluate", DEMO, str(path), "--on", "2024-06-01")
    assert (code, out) == (2, "")
    assert needle in err and err.count("\n") == 1, err


def test_cli_reads_a_bom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "unit.json"
    path.write_bytes(b'\xef\xbb\xbf{"crimes": 1}')
    code, out, err = run(capsys, "evaluate", DEMO, str(path), "--on", "2024-06-01")
    assert code == 0 and err == "" and out


def test_cli_jsonl_names_file_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "units.jsonl"
    path.write_text('{"crimes": 1}\n' + DEEP + "\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", DEMO, str(path), "--on", "2024-06-01")
    assert code == 2 and "units.jsonl:2:101: malformed JSON: nested more than" in err


def test_cli_monitor_deep_event_line_and_deep_state(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(EVENTS.read_text(encoding="utf-8") + DEEP + "\n", encoding="utf-8")
    n = len(EVENTS.read_text(encoding="utf-8").splitlines()) + 1
    base = ["monitor", "special-campaign-binh-luong", "--engine", "python"]
    code, _, err = run(capsys, *base[:2], str(events), *base[2:])
    assert code == 2 and f"events.jsonl:{n}:101: malformed JSON: nested more" in err
    state = tmp_path / "state.json"
    state.write_text(DEEP, encoding="utf-8")
    code, _, err = run(capsys, *base[:2], str(EVENTS), "--resume", str(state), *base[2:])
    assert code == 2 and "state.json:1:101: malformed JSON: nested more" in err


def test_cli_surrogate_in_unit_id_exits_2_before_any_output(tmp_path: Path) -> None:
    """In a real process (stdout encodes to UTF-8): before, the table was half printed and
    then UnicodeEncodeError ended it in a traceback."""
    path = tmp_path / "unit.json"
    path.write_text('{"unit_id": "X\\ud800", "crimes": 1}', encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "emulation_rules",
            "evaluate",
            DEMO,
            str(path),
            "--on",
            "2024-06-01",
        ],
        capture_output=True,
        env={"PYTHONIOENCODING": "utf-8", "PATH": ""},
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"Traceback" not in proc.stderr and proc.stderr.count(b"\n") == 1
    assert b"unit_id: malformed JSON: the text" in proc.stderr


# -- a damaged store row ------------------------------------------------------------------------
def _store_with_one_instance(db: Path) -> None:
    definition = CampaignCatalogue().get("special-campaign-binh-luong")
    campaign: Campaign = Campaign.new(definition, "bl", on=date(2024, 9, 20))
    campaign.issue(on=date(2024, 9, 20))
    with SqliteCampaignStore(db) as store:
        store.create(campaign.to_state())


def test_an_audit_row_dated_february_30_is_a_store_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.db"
    _store_with_one_instance(db)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE audit SET on_date = '2025-02-30' WHERE seq = 1")
    with SqliteCampaignStore(db) as store, pytest.raises(StoreError) as info:
        store.log("bl")
    assert "table audit, instance 'bl', seq 1: column on_date: not a date" in str(info.value)
    assert "'2025-02-30'" in str(info.value)
    code, _, err = run(capsys, "campaign", "log", "bl", "--db", str(db))
    assert code == 2 and "column on_date" in err and err.count("\n") == 1


def test_a_damaged_state_row_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    _store_with_one_instance(db)
    with sqlite3.connect(db) as raw:
        raw.execute('UPDATE campaign SET data = \'{"state": 1, "state": 2}\'')
    with SqliteCampaignStore(db) as store, pytest.raises(StoreError) as info:
        store.load("bl")
    assert "table campaign, instance 'bl', column data: " in str(info.value)
    assert "given twice" in str(info.value)


# -- rule-set files that are not UTF-8 ------------------------------------------------------------
def test_a_non_utf8_file_in_a_folder_is_a_rule_set_error_naming_it(tmp_path: Path) -> None:
    """Before: UnicodeDecodeError, even when loading a shipped rule set from the folder."""
    (tmp_path / "bad.yaml").write_bytes(b"id: x\ntitle: \xff\xfe\n")
    with pytest.raises(er.RuleSetError, match=r"bad\.yaml\b.*not UTF-8 text"):
        er.Library([tmp_path]).load("typical-commune")


def test_cli_validate_non_utf8_and_control_characters_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for content in (b"id: x\n\xc3(\n", b"\x1fid: x\n"):
        path = tmp_path / "rules.yaml"
        path.write_bytes(content)
        code, _, err = run(capsys, "validate", str(path))
        assert code == 2 and "rules.yaml" in err and err.count("\n") == 1, err


def test_an_instance_id_in_bytes_that_are_not_utf8_is_a_store_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``campaign start X $'x\\xff'``: the argument arrives as a lone surrogate. Before:
    UnicodeEncodeError from sqlite3, a traceback."""
    db = str(tmp_path / "c.db")
    args = ("campaign", "start", "special-campaign-binh-luong", "x\udcff", "--db", db)
    code, out, err = run(capsys, *args, "--on", "2024-09-20")
    assert (code, out) == (2, "") and "lone surrogate" in err and err.count("\n") == 1


def test_a_saved_state_with_a_huge_integer_id_is_a_monitor_error() -> None:
    """Found by the entry-point property: the message showed the saved id with str(),
    which fails over 4,300 digits (a ValueError escaped ``Monitor.restore``)."""
    from emulation_rules.errors import MonitorError
    from emulation_rules.monitor import Monitor

    definition = CampaignCatalogue().get("special-campaign-binh-luong")
    ruleset = er.Library().load("special-campaign-targets-binh-luong", on=date(2024, 8, 19))
    data = {"format": 2, "campaign": {"id": 10**5000}}
    with pytest.raises(MonitorError, match="saved for campaign id an integer of about"):
        Monitor.restore(data, definition, ruleset, engine="python")


def test_a_librarys_own_from_json_reads_like_the_default() -> None:
    lib = er.Library()
    with pytest.raises(er.FormatError) as info:
        lib.from_json('{"a": 1, "a": 2}', er.Verdict)
    assert "given twice" in str(info.value)
    with pytest.raises(er.FormatError):
        lib.from_json("[1, 2]", er.Verdict)
