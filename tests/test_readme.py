"""The README's tour runs as written, and its first command's example exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_tour_runs() -> None:
    block = re.findall(r"```python\n(.*?)```", README, re.S)[0]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # our own README, not rule text
    verdict = namespace["verdict"]
    assert isinstance(verdict, er.Verdict)
    assert verdict.criterion("18").status is er.CriterionStatus.NOT_MET


def test_first_command_runs_on_a_shipped_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    line = next(ln for ln in README.splitlines() if "emulation-rules evaluate" in ln)
    args = shlex.split(line.split("/emulation-rules ", 1)[1])
    assert (ROOT / args[2]).is_file()
    assert main(args) == 0
