"""The shipped YAML cases and the examples work from an installed wheel: every file a case
reads by a relative path (``evidence_file``, a ``ruleset`` path, an ``include``d file) is
shipped, at the same relative place as in the checkout, by the wheel's ``force-include``
table; and ``emulation-rules test --shipped`` runs the installed package's cases from any
folder. (``.ci/run`` builds and installs the real wheel and runs them outside the
checkout.)"""

from __future__ import annotations

import posixpath
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulation_rules.cli.main import main
from emulation_rules.testing import find_case_files

ROOT = Path(__file__).resolve().parents[1]
PATH_KEYS = ("evidence_file", "ruleset", "file")


def force_include() -> dict[str, str]:
    """The wheel's force-include table: checkout folder -> its place in the wheel."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, str] = data["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    return table


def in_wheel(checkout_path: str, table: Mapping[str, str]) -> str | None:
    """Where a checkout path (relative to the root, normalised) lands in the wheel."""
    for source, target in table.items():
        if checkout_path == source or checkout_path.startswith(source + "/"):
            return target + checkout_path[len(source) :]
    return None


def relative_paths(node: Any) -> Iterator[str]:
    """The file paths a case file names (values of PATH_KEYS that end in .json or .yaml)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PATH_KEYS and isinstance(value, str) and value.endswith((".json", ".yaml")):
                yield value
            else:
                yield from relative_paths(value)
    elif isinstance(node, list):
        for item in node:
            yield from relative_paths(item)


def case_files() -> list[Path]:
    return find_case_files([ROOT / "rulesets" / "cases", ROOT / "examples"])


def broken_in_wheel(table: Mapping[str, str]) -> list[str]:
    """The relative paths of the case files that would not resolve in the wheel."""
    broken = []
    for file in case_files():
        case = file.relative_to(ROOT).as_posix()
        case_in_wheel = in_wheel(case, table)
        if case_in_wheel is None:
            broken.append(f"{case}: not shipped")
            continue
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        for rel in relative_paths(doc):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(case), rel))
            assert (ROOT / target).is_file(), f"{case}: {rel} does not exist"
            wheel_target = posixpath.normpath(posixpath.join(posixpath.dirname(case_in_wheel), rel))
            if in_wheel(target, table) != wheel_target:
                broken.append(f"{case}: {rel}")
    return broken


def test_every_file_a_case_reads_is_in_the_wheel_at_the_same_relative_place() -> None:
    assert broken_in_wheel(force_include()) == []


def test_the_layout_check_finds_what_the_wheel_would_miss() -> None:
    without_examples = {k: v for k, v in force_include().items() if k != "examples"}
    broken = broken_in_wheel(without_examples)
    assert "rulesets/cases/typical-commune.yaml: ../../examples/commune-all-met.json" in broken
    assert "rulesets/cases/typical-organisation.yaml: ../../examples/school.json" in broken
    assert "examples/local-rulesets/cases/typical-commune-phu-loc.yaml: not shipped" in broken


def test_shipped_runs_the_shipped_cases_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["test", "--shipped"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith(" cases") and ", 0 failed," in last
    assert int(last.split()[0]) > 400


def test_shipped_with_paths_runs_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    local = ROOT / "examples" / "local-rulesets"
    assert main(["test", "--shipped", str(local), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "typical-commune-phu-loc" in out and "typical-prerequisites" in out
