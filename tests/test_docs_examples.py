"""Every code example of README.md and docs/*.md runs as written (issue 16, point 6), so the
docs cannot drift from the code again.

- ```python blocks run page by page, in order, in one namespace per page (a later block
  uses the names of an earlier one), from a scratch folder holding the checkout's
  `examples/` and the few host files the pages name (`units.jsonl`, `my/rules/`, …:
  `workspace` below). The names a page uses without making them are the stand-ins of
  `host_names` (a host's evidence, its units, its `store` and `report` functions).
- Command lines (```sh, ```text or unlabelled blocks) starting with `emulation-rules`
  run through the CLI's `main()` in that folder and must exit 0 (or the status the page
  documents: `EXPECTED_STATUS`). A synopsis line (`[--lang vi|en]`, `FILE|ID`) is checked
  against the parser: every option it names exists for its command.
- A block preceded by `<!-- not run: why -->` is not run, and `<!-- file: PATH -->` marks a
  block that is the text of a shipped file (run by its own test). YAML blocks parse, and
  one marked `<!-- excerpt: PATH -->` is part of that file (keys and list items as there).
  A block marked `<!-- expressions: … -->` lists expressions, one a line: each parses.
  Lines of shell blocks that are not `emulation-rules` commands (pip, pytest) and the few
  costly lines of `NOT_RUN` are skipped. Every skip shows in its test id with its
  reason: nothing is left out silently.

Blocks of other languages (json, ebnf, mermaid) and output samples are not code run
here; printed sentences in comments are illustrative (their wording is checked elsewhere).
"""

from __future__ import annotations

import argparse
import doctest
import io
import json
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import takewhile
from pathlib import Path
from typing import Any

import pytest
import yaml

import emulation_rules as er
from emulation_rules.cli.main import build_parser, main
from emulation_rules.expr.parser import parse

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PAGES += [p for p in sorted((ROOT / "docs").rglob("*/*.md")) if "```python" in p.read_text("utf-8")]

FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!--\s*(not run|file|excerpt|expressions):\s*(.+?)\s*-->$")
SHELL_LANGS = {"sh", "text", ""}
# Command lines not run here, each with its reason (kept few).
NOT_RUN = {
    "emulation-rules test --shipped": "the shipped cases run as pytest items (rulesets/cases), 2 s",
    "emulation-rules awards --campaigns my/campaigns": "needs a host's campaign and award folders",
}
# Run in the checkout itself (they read its docs/ and rulesets/, and write nothing).
IN_CHECKOUT = ("emulation-rules docs --check",)
# Documented exit statuses other than 0.
EXPECTED_STATUS = {
    "emulation-rules diff ": 1,  # the two verdicts differ
    "emulation-rules test my/rules --coverage --fail-under 100": 1,  # one case: coverage < 100
}


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence
    lang: str
    code: str
    marker: tuple[str, str] | None

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, with the marker comment right before each."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        before = [ln for ln in lines[:i] if ln.strip()][-1:]
        marker = MARKER.match(before[0].strip()) if before else None
        found.append(
            Block(
                page,
                i + 1,
                opening.group(1),
                "\n".join(lines[i + 1 : end]) + "\n",
                (marker.group(1), marker.group(2)) if marker else None,
            )
        )
        i = end + 1
    return found


def python_params() -> Iterator[Any]:
    for page in PAGES:
        for b in blocks(page):
            if b.lang != "python":
                continue
            if b.marker and b.marker[0] == "not run":
                reason = f"not run: {b.marker[1]}"
                yield pytest.param(b, id=f"{b.where} [{reason}]", marks=pytest.mark.skip(reason))
            else:
                yield pytest.param(b, id=b.where)


# ---- the scratch folder and the host's stand-ins ---------------------------------------

OVERLAY = """\
id: {id}
version: "2024.1"
title: {{vi: Bộ tiêu chí của tỉnh (ví dụ), en: A province's criteria (an example)}}
description: {{vi: Ví dụ cho tài liệu., en: An example for the docs.}}
source: {{document: 01/KH (ví dụ), date: 2024-01-15, issuer: UBND tỉnh (ví dụ), part: Mục II}}
applies_to: [commune]
effective: {{from: 2024-01-01}}
extends: typical-commune
parameters:
  crime_reduction_min:
    type: percentage
    label: {{vi: Mức giảm tối thiểu (ví dụ), en: Minimum reduction (an example)}}
    source: {{document: 01/KH (ví dụ), part: Mục II}}
    value: 8%
"""

CASES = """\
ruleset: my-overlay
on: 2024-12-31
cases:
- name: all met
  evidence_file: ../../../examples/commune-all-met.json
  expect: {status: eligible, others: met}
"""


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"))
    return data


def _units() -> list[dict[str, Any]]:
    """Three communes: all met, failing 18 and 19, and one that would fail 18 at 8%."""
    met = _example("commune-all-met.json")
    fails = _example("commune-fails-18-19.json")
    near = {**met, "unit_id": "Xã 37", "crimes_social_order": 37}
    return [met, fails, near]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch folder with the checkout's examples and the host files the pages name."""
    ws = tmp_path_factory.mktemp("docs")
    (ws / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    lines = "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in _units())
    for name in ("units.jsonl", "communes.jsonl"):
        (ws / name).write_text(lines, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "commune-all-met.json", ws / "unit.json")
    dossier = _example("dossier-complete.json")
    dossier["unit"] = _example("enterprise.json")["unit_id"]
    (ws / "d.json").write_text(json.dumps(dossier, ensure_ascii=False), "utf-8")
    for name in ("candidates.jsonl", "c.jsonl"):
        shutil.copy(ROOT / "examples" / "candidates-binh-luong-interim.jsonl", ws / name)
    (ws / "my" / "rules").mkdir(parents=True)
    (ws / "my" / "rules" / "my-overlay.yaml").write_text(OVERLAY.format(id="my-overlay"), "utf-8")
    (ws / "my" / "rules" / "cases").mkdir()
    (ws / "my" / "rules" / "cases" / "my-overlay.yaml").write_text(CASES, "utf-8")
    (ws / "draft.yaml").write_text(OVERLAY.format(id="typical-commune-draft"), "utf-8")
    rs = er.Library().load("typical-commune", on=date(2024, 12, 31))
    met, fails, _ = _units()
    (ws / "before.json").write_text(er.to_json(rs.evaluate(met, explain=True)), "utf-8")
    (ws / "after.json").write_text(er.to_json(rs.evaluate(fails, explain=True)), "utf-8")
    return ws


@dataclass
class Host:
    """What a host's code around the examples does: stores verdicts, reports errors."""

    stored: list[tuple[object, object]] = field(default_factory=list)
    reported: list[tuple[object, object]] = field(default_factory=list)

    def store(self, key: object, verdict: object) -> None:
        assert isinstance(verdict, er.Verdict)
        self.stored.append((key, verdict))

    def report(self, key: object, error: object) -> None:
        assert isinstance(error, er.EmulationRulesError)
        self.reported.append((key, error))


def host_names(host: Host) -> dict[str, object]:
    """The names a page uses without making them, and nothing else."""
    return {
        "evidence": _example("commune-fails-18-19.json"),  # a host's evidence of one unit
        "units": _units(),  # a host's units (parsed JSON Lines, database rows…)
        "store": host.store,  # stores a verdict under the unit's key
        "report": host.report,  # reports a unit's error
    }


@dataclass
class PageRun:
    """One namespace per page; blocks run in order, each once."""

    namespace: dict[str, object]
    done: set[int] = field(default_factory=set)

    def run(self, block: Block) -> None:
        for earlier in blocks(block.page):
            if earlier.lang != "python" or earlier.line in self.done or earlier.marker:
                continue
            if earlier.line > block.line:
                break
            self.done.add(earlier.line)
            # our own docs, not rule text
            exec(compile(earlier.code, earlier.where, "exec"), self.namespace)


@pytest.fixture(scope="module")
def page_runs() -> dict[Path, PageRun]:
    return {}


@pytest.mark.parametrize("block", list(python_params()))
def test_python_block_runs(
    block: Block,
    workspace: Path,
    page_runs: dict[Path, PageRun],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(workspace)
    if block.marker and block.marker[0] == "file":
        assert block.code == (ROOT / block.marker[1]).read_text(encoding="utf-8")
        return
    host = Host()
    run = page_runs.setdefault(block.page, PageRun(host_names(host)))
    run.run(block)
    assert block.line in run.done


def test_package_docstring_runs(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    tests = doctest.DocTestFinder(recurse=False).find(er, "emulation_rules")
    assert tests and tests[0].examples
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


# ---- command lines -----------------------------------------------------------------------


def command_lines() -> Iterator[tuple[Block, int, str]]:
    for page in PAGES:
        for b in blocks(page):
            if b.lang not in SHELL_LANGS or b.marker:
                continue
            lines = b.code.splitlines()
            for n, text in enumerate(lines, start=b.line + 1):
                if re.match(r"(cat \S+ \| )?emulation-rules |pip |pytest |python3 ", text):
                    more = takewhile(lambda ln: ln.startswith(" "), lines[n - b.line :])
                    yield b, n, " ".join([text, *(ln.strip() for ln in more)])


def _skip_reason(text: str) -> str | None:
    if "emulation-rules " not in text:
        return "not an emulation-rules command (installs or runs pytest)"
    return next((why for start, why in NOT_RUN.items() if text.startswith(start)), None)


def command_params() -> Iterator[Any]:
    for b, n, text in command_lines():
        short = text.split("#")[0].strip()[:90]
        where = f"{b.page.relative_to(ROOT)}:{n} {short}"
        reason = _skip_reason(text)
        if reason:
            marks = pytest.mark.skip(reason)
            yield pytest.param(text, id=f"{where} [not run: {reason}]", marks=marks)
        else:
            yield pytest.param(text, id=where)


def is_synopsis(args: list[str]) -> bool:
    return any(
        "|" in a or a.startswith("[") or a.endswith("]") or re.fullmatch(r"[A-Z][A-Z.]+\w*", a)
        for a in args
    )


def _options(parser: argparse.ArgumentParser, words: list[str]) -> set[str]:
    """The option strings of the (sub)command that `words` names, with the global ones."""
    known = {s for a in parser._actions for s in a.option_strings}
    current = parser
    for w in words:
        subs = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or w not in subs[0].choices:
            break
        current = subs[0].choices[w]
        known |= {s for a in current._actions for s in a.option_strings}
    return known


def check_synopsis(args: list[str]) -> None:
    words = [a for a in args if re.fullmatch(r"[a-z]+", a)]
    known = _options(build_parser(), words)
    named = {m for a in args for m in re.findall(r"--[a-z][a-z-]*", a)}
    assert named <= known, f"options not in the parser: {sorted(named - known)}"


@pytest.mark.parametrize("text", list(command_params()))
def test_command_line_runs(
    text: str, workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT if text.startswith(IN_CHECKOUT) else workspace)
    line = text.split(" # ")[0].split("&& ")[-1]
    stdin, line = line.split(" | ", 1) if " | " in line else ("", line)
    args = shlex.split(line)
    assert args[0].endswith("emulation-rules")
    args = args[1:]
    if is_synopsis(args):
        check_synopsis(args)
        return
    if stdin:
        data = (workspace / shlex.split(stdin)[1]).read_bytes()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    if ">" in args:  # the output is captured, not written
        args = args[: args.index(">")]
    args = [m for a in args for m in (sorted(map(str, Path().glob(a))) if "*" in a else [a])]
    try:
        status = main(args)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    expected = next((s for start, s in EXPECTED_STATUS.items() if line.startswith(start)), 0)
    assert status == expected, err
    assert out or Path(args[-1]).exists()


def test_synopsis_check_finds_an_option_the_parser_lacks() -> None:
    check_synopsis(["campaign", "show", "ID", "--on", "DATE", "[--format", "table|json]"])
    with pytest.raises(AssertionError, match="--colour"):
        check_synopsis(["campaign", "show", "ID", "[--colour", "WHEN]"])
    with pytest.raises(AssertionError, match="--brief"):
        check_synopsis(["campaign", "log", "INSTANCE", "[--brief]"])  # evaluate's, not log's


def test_every_page_is_read() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in PAGES}
    assert {"README.md", "docs/evaluation.md", "docs/testing.md"} <= names
    assert sum(b.lang == "python" for p in PAGES for b in blocks(p)) >= 12


def is_excerpt(part: object, whole: object) -> bool:
    """Every key of `part` is in `whole` with an excerpt of its value; every list item of
    `part` is an item of `whole`'s list."""
    if isinstance(part, dict) and isinstance(whole, dict):
        return all(k in whole and is_excerpt(v, whole[k]) for k, v in part.items())
    if isinstance(part, list) and isinstance(whole, list):
        return all(item in whole for item in part)
    return part == whole


def yaml_params() -> Iterator[Any]:
    for page in PAGES:
        for b in blocks(page):
            if b.lang == "yaml":
                yield pytest.param(b, id=b.where)


@pytest.mark.parametrize("block", list(yaml_params()))
def test_yaml_block_parses(block: Block) -> None:
    data = yaml.safe_load(block.code)
    assert isinstance(data, dict)
    if block.marker and block.marker[0] == "excerpt":
        shipped = yaml.safe_load((ROOT / block.marker[1]).read_text(encoding="utf-8"))
        assert is_excerpt(data, shipped)


def test_excerpt_check_finds_a_changed_item() -> None:
    whole = {"on": 1, "cases": [{"name": "a", "x": 1}, {"name": "b"}]}
    assert is_excerpt({"cases": [{"name": "b"}]}, whole)
    assert not is_excerpt({"cases": [{"name": "a", "x": 2}]}, whole)
    assert not is_excerpt({"off": 1}, whole)


def expression_params() -> Iterator[Any]:
    for page in PAGES:
        for b in blocks(page):
            if b.marker and b.marker[0] == "expressions":
                yield pytest.param(b, id=b.where)


@pytest.mark.parametrize("block", list(expression_params()))
def test_listed_expressions_parse(block: Block) -> None:
    for line in block.code.splitlines():
        parse(re.split(r"\s{2,}", line.strip())[0])  # the expression, then what it means
