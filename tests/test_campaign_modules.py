"""The campaigns package has no import circle: each module imports alone in a fresh
interpreter, and the graph of its imports (every import statement, wherever it stands,
TYPE_CHECKING blocks and functions included) has no cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "emulation_rules" / "campaigns"
MODULES = sorted(
    f"emulation_rules.campaigns.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"
)


def _imports(module: str) -> list[tuple[str, bool]]:
    """The campaigns modules ``module`` imports, and whether each import is at the top."""
    path = SRC / Path(*module.split(".")).with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name in MODULES:
                out.append((name, id(node) in top))
    return out


def test_no_import_cycle_in_campaigns() -> None:
    graph = {m: {name for name, _ in _imports(m)} for m in MODULES}
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [module])
    assert "emulation_rules.campaigns.campaign" not in graph["emulation_rules.campaigns.definition"]


def test_no_lazy_imports_in_campaigns() -> None:
    lazy = [(m, name) for m in MODULES for name, at_top in _imports(m) if not at_top]
    assert not lazy, lazy


def test_the_graph_sees_imports_inside_functions(tmp_path: Path) -> None:
    # the walker finds an import hidden in a function (what a lazy import looks like)
    tree = ast.parse("def f():\n    from emulation_rules.campaigns.campaign import Campaign\n")
    found = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert found and found[0] not in tree.body


@pytest.mark.parametrize("module", [*MODULES, "emulation_rules.cli.campaign"])
def test_each_module_imports_alone(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def _raise_sites() -> list[tuple[str, int, ast.Call]]:
    files = [*PACKAGE.glob("*.py"), SRC / "emulation_rules" / "cli" / "campaign.py"]
    out = []
    for path in sorted(files):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                out.append((path.name, node.lineno, node.exc))
    return out


def test_every_error_raised_in_campaigns_carries_vietnamese() -> None:
    # an error class raised directly takes message_vi= or a Bilingual message; a helper
    # (a lower-case function or method: found.error, self._damaged, self.fail …) builds a
    # bilingual one, and the located plan errors go through _Checker.fail
    bare = []
    for name, line, call in _raise_sites():
        func = ast.unparse(call.func)
        if func == "AssertionError":
            continue
        if func == "self.error":
            bare.append((name, line, func))
            continue
        if not func.split(".")[-1][:1].isupper():
            continue
        first = call.args[0] if call.args else None
        bilingual = isinstance(first, ast.Call) and ast.unparse(first.func) == "Bilingual"
        keywords = {k.arg for k in call.keywords}
        if "message_vi" not in keywords and not bilingual:
            if isinstance(first, ast.Name) and first.id == "refused":  # check_date's Bilingual
                continue
            bare.append((name, line, func))
    assert not bare, bare
    assert len(_raise_sites()) > 40  # the walk sees the raise sites
