"""The CLI's ``evaluate`` on streams: JSON Lines from a file or standard input read line
by line, verdicts written as they come, ``--jsonl``, ``--workers``, and how standard input
is told apart (one JSON document, or JSON Lines)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.cli.main import main
from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = str(ROOT / "tests" / "rulesets" / "demo-commune.yaml")
ON = ("--on", "2024-06-01")


def unit(i: int, **extra: Any) -> dict[str, Any]:
    return {"unit_id": f"Xã {i}", "crimes": 30 + i % 12, "crimes_previous_year": 40, **extra}


def line(i: int, **extra: Any) -> str:
    return json.dumps(unit(i, **extra), ensure_ascii=False) + "\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


def units_of(out: str) -> list[str]:
    return [json.loads(text)["unit"] for text in out.splitlines()]


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


# -- standard input --------------------------------------------------------------------------


def test_json_lines_on_stdin(capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch) -> None:
    stdin(mp, "".join(line(i) for i in range(5)))
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json", "--brief")
    assert code == 0, err
    assert units_of(out) == [f"Xã {i}" for i in range(5)]


def test_a_pretty_document_on_stdin_is_one_unit(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> None:
    stdin(mp, json.dumps(unit(1), ensure_ascii=False, indent=2) + "\n")
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json")
    assert code == 0, err
    assert out.startswith("{\n") and json.loads(out)["unit"] == "Xã 1"


@pytest.mark.parametrize("text", [line(1), "\n\n" + line(1) + "\n\n", line(1).rstrip("\n")])
def test_one_line_alone_on_stdin_is_one_document(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch, text: str
) -> None:
    stdin(mp, text)
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json")
    assert code == 0, err
    assert out.startswith("{\n")  # the single document's pretty JSON, as before


def test_blank_lines_on_stdin_keep_the_line_numbers(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> None:
    stdin(mp, "\n" + line(1) + "\n" + line(2) + line(3, crimes=-1))
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json", "--brief")
    assert code == 2
    assert units_of(out) == ["Xã 1", "Xã 2"]  # the verdicts before the bad line are out
    assert err.startswith("emulation-rules: error: stdin:5: crimes: expected a whole number")


def test_a_malformed_line_on_stdin_is_named(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> None:
    stdin(mp, line(1) + '{"crimes": 1,,}\n' + line(3))
    code, _, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json", "--brief")
    assert code == 2 and "stdin:2:14: malformed JSON" in err
    stdin(mp, '{"crimes": 1,,}\n' + line(2))  # a bad first line: read as one document
    code, _, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json", "--brief")
    assert code == 2 and "stdin:1:14: malformed JSON" in err


def test_an_empty_stdin_is_refused(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> None:
    stdin(mp, "\n \n")
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON)
    assert code == 2 and out == ""
    assert err.startswith("emulation-rules: error: stdin:") and "malformed JSON" in err


def test_stdin_that_is_not_utf8_mid_stream(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> None:
    good = "".join(line(i) for i in range(400))  # more than one buffer of decoded text
    data = good.encode() + b'{"unit_id": "\xff"}\n'
    mp.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json", "--brief")
    assert code == 2 and err == "emulation-rules: error: stdin is not UTF-8 text\n"
    written = units_of(out)
    assert 0 < len(written) < 400 and written == [f"Xã {i}" for i in range(len(written))]


def test_jsonl_flag_reads_any_file_as_lines(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "units.json"
    path.write_text(line(1), encoding="utf-8")
    code, out, err = run(capsys, "evaluate", DEMO, str(path), *ON, "--format", "json", "--jsonl")
    assert code == 0, err
    assert units_of(out) == ["Xã 1"]  # one line a verdict, even for one unit
    stdin(mp, line(2))
    code, out, err = run(capsys, "evaluate", DEMO, "-", *ON, "--format", "json", "--jsonl")
    assert code == 0 and units_of(out) == ["Xã 2"]


# -- streaming ---------------------------------------------------------------------------


class Lines:
    """A standard input that refuses to be read more than ``limit`` lines ahead of what
    has been written to standard output (counted in verdict lines)."""

    def __init__(self, n: int, limit: int, out: io.StringIO) -> None:
        self.n = n
        self.limit = limit
        self.out = out
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for i in range(self.n):
            written = self.out.getvalue().count("\n")
            if self.read - written >= self.limit:
                raise AssertionError(f"read {self.read} lines with {written} verdicts out")
            self.read += 1
            yield line(i)

    def close(self) -> None:
        """Called by a forked worker process (it closes its standard input)."""


@pytest.mark.parametrize(("workers", "limit"), [("1", 3), ("2", 2 * 2 * 64 + 3)])
def test_units_are_read_as_the_verdicts_are_written(
    mp: pytest.MonkeyPatch, workers: str, limit: int
) -> None:
    out = io.StringIO()
    source = Lines(600, limit, out)
    mp.setattr("sys.stdin", source)
    mp.setattr("sys.stdout", out)
    args = ["evaluate", DEMO, "-", *ON, "--format", "json", "--brief", "--workers", workers]
    assert main(args) == 0
    assert source.read == 600
    assert units_of(out.getvalue()) == [f"Xã {i}" for i in range(600)]


def test_a_jsonl_file_is_not_read_whole(
    capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "units.jsonl"
    path.write_text("".join(line(i) for i in range(50)), encoding="utf-8")
    mp.setattr(Path, "read_text", lambda *a, **k: pytest.fail("read whole"))
    code, out, err = run(capsys, "evaluate", DEMO, str(path), *ON, "--format", "json", "--brief")
    assert code == 0, err
    assert len(units_of(out)) == 50


# -- workers -------------------------------------------------------------------------------


def test_workers_give_the_same_output_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "units.jsonl"
    path.write_text("\n".join(line(i) for i in range(150)), encoding="utf-8")  # blank lines
    outs = []
    for workers in ("1", "2"):
        for fmt in ("json", "table"):
            args = ("evaluate", DEMO, str(path), *ON, "--format", fmt, "--workers", workers)
            code, out, err = run(capsys, *args)
            assert code == 0, err
            outs.append(out)
    assert outs[0] == outs[2] and outs[1] == outs[3]
    assert units_of(outs[0]) == [f"Xã {i}" for i in range(150)]


def test_a_bad_unit_in_a_worker_stops_at_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "units.jsonl"
    lines = [line(i) for i in range(200)]
    lines[130] = line(130, crimes="many")
    path.write_text("".join(lines), encoding="utf-8")
    code, out, err = run(
        capsys, "evaluate", DEMO, str(path), *ON, "--format", "json", "--workers", "2"
    )
    assert code == 2
    assert units_of(out) == [f"Xã {i}" for i in range(130)]
    assert f"{path}:131: crimes: expected a whole number" in err
    lines[130] = '{"crimes": 1,,}\n'
    path.write_text("".join(lines), encoding="utf-8")
    code, out, err = run(
        capsys, "evaluate", DEMO, str(path), *ON, "--format", "json", "--workers", "2"
    )
    assert code == 2 and len(units_of(out)) == 130
    assert f"{path}:131:14: malformed JSON" in err


@pytest.mark.parametrize("bad", ["0", "-1", "two", "1.5"])
def test_workers_must_be_a_whole_number(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, _, err = run(capsys, "evaluate", DEMO, "-", "--workers", bad)
    assert code == 2 and "--workers: not a whole number >= 1" in err


@pytest.fixture
def mp(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return monkeypatch


# -- one reader of lines for every command -------------------------------------------------


def test_candidates_read_from_lines_as_from_text() -> None:
    from emulation_rules.awards import read_candidates

    path = ROOT / "examples" / "candidates-binh-luong-interim.jsonl"
    text = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8") as lines:
        assert read_candidates(lines, "c.jsonl") == read_candidates(text, "c.jsonl")
    bad = ["\n", '{"id": "a", "kind": "collective"}\n', "{oops\n"]
    with pytest.raises(er.FormatError) as info:
        read_candidates(iter(bad), "c.jsonl")
    assert info.value.where == "c.jsonl:3"
