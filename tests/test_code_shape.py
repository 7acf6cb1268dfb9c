"""The shape of the code: no function in src/ longer than 60 lines, except those listed
(with the reason they are kept)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "emulation_rules"
LIMIT = 60

KEPT: set[str] = set()  # none: a function that must stay longer is listed here with why


def long_functions() -> dict[str, int]:
    """``path:name`` → lines, for every function over LIMIT lines (decorators included)."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - start + 1
                if length > LIMIT:
                    out[f"{path.relative_to(SRC).as_posix()}:{node.name}"] = length
    return out


def test_no_function_is_longer_than_sixty_lines_except_those_kept() -> None:
    assert set(long_functions()) <= KEPT, long_functions()
