"""Files written all or nothing (issue 13, point 2): a failed save leaves the old file
intact, leaves no temporary file behind, and is a ``WriteError`` naming the file (the
CLI exits 2 with one line)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from emulation_rules.cli.main import main
from emulation_rules.errors import EmulationRulesError, WriteError
from emulation_rules.fileio import write_text_atomic
from monitor_support import EXAMPLE, ROOT

CAMPAIGN = "special-campaign-binh-luong"


def run(*argv: str) -> int:
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def no_space(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_writes_and_replaces_keeping_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_text_atomic(path, "một\n")
    assert path.read_text("utf-8") == "một\n"
    path.chmod(0o640)
    write_text_atomic(str(path), "hai\n")
    assert path.read_text("utf-8") == "hai\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
    write_text_atomic(tmp_path / "a" / "b.md", "x", parents=True)
    assert (tmp_path / "a" / "b.md").read_text("utf-8") == "x"


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_disk_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    path = tmp_path / "state.json"
    path.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(os, call, no_space)
    with pytest.raises(WriteError) as caught:
        write_text_atomic(path, "new " * 10_000)
    monkeypatch.undo()
    assert isinstance(caught.value, EmulationRulesError)
    assert caught.value.file == str(path) and str(path) in str(caught.value)
    assert "No space left on device" in str(caught.value)
    assert path.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left


def test_unwritable_texts_and_places_are_write_errors(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot be encoded"):
        write_text_atomic(tmp_path / "s.json", "lone \udc80 surrogate")
    assert not (tmp_path / "s.json").exists()
    (tmp_path / "dir").mkdir()
    with pytest.raises(WriteError, match="dir"):
        write_text_atomic(tmp_path / "dir", "x")
    with pytest.raises(WriteError):
        write_text_atomic(tmp_path / "missing" / "s.json", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir"]


def saved_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, str]:
    """A state saved over the first 70 events, and a file of the rest."""
    lines = EXAMPLE.read_text("utf-8").splitlines(keepends=True)
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("".join(lines[:70]), encoding="utf-8")
    rest.write_text("".join(lines[70:]), encoding="utf-8")
    state = tmp_path / "s.json"
    assert run("monitor", CAMPAIGN, str(first), "--engine", "python", "--save", str(state)) == 0
    capsys.readouterr()
    return state, rest, state.read_text("utf-8")


def test_the_daily_job_on_a_full_disk_keeps_yesterdays_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state, rest, before = saved_state(tmp_path, capsys)
    args = ["monitor", CAMPAIGN, str(rest), "--engine", "python"]
    daily = [*args, "--resume", str(state), "--save", str(state)]
    monkeypatch.setattr(os, "fsync", no_space)
    assert run(*daily) == 2
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"emulation-rules: error: {state}: ")
    assert "No space left on device" in err
    assert state.read_text("utf-8") == before  # intact: the next run works
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.jsonl", "rest.jsonl", "s.json"]
    assert run(*daily) == 0
    assert json.loads(state.read_text("utf-8"))["state"]["clock"] == "2025-02-03"


def test_a_report_output_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.md"
    out.write_text("old report\n", encoding="utf-8")
    evidence = str(ROOT / "examples" / "commune-fails-18-19.json")
    args = ["report", "typical-commune", evidence, "--output", str(out)]
    monkeypatch.setattr(os, "write", no_space)
    code = run(*args, "--on", "2024-12-31")
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and str(out) in err, err
    assert out.read_text("utf-8") == "old report\n"
    assert run(*args, "--on", "2024-12-31") == 0
    assert out.read_text("utf-8") != "old report\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_real_file_size_limit_keeps_yesterdays_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ulimit -f``: the kernel refuses to grow a file past the limit (EFBIG, with
    SIGXFSZ ignored as a daily job's shell may set it)."""
    state, rest, before = saved_state(tmp_path, capsys)
    limit = len(before.encode("utf-8")) // 2
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        from emulation_rules.cli.main import main
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        sys.exit(main(sys.argv[1:]))
        """
    )
    args = ["monitor", CAMPAIGN, str(rest), "--engine", "python"]
    daily = [*args, "--resume", str(state), "--save", str(state)]
    done = subprocess.run(
        [sys.executable, "-c", script, *daily], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and str(state) in done.stderr
    assert "File too large" in done.stderr
    assert state.read_text("utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.jsonl", "rest.jsonl", "s.json"]
    assert run(*daily) == 0
