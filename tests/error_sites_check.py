"""A static check that every library error a package makes carries its Vietnamese.

:func:`unbilingual_raises` reads the source of some packages (never imports them) and
lists every place that makes an error of the library (a subclass of
``EmulationRulesError``, including the ones those packages define) or a ``Problem``
without Vietnamese. A construction is bilingual when it passes ``message_vi=`` (not
``None``), or when its message is known to be a ``Bilingual`` text:

* a ``Bilingual(...)`` call, or ``exc.bilingual()``;
* a call of a function of the scanned packages annotated ``-> Bilingual``;
* a name assigned one of those in the same function, or a parameter annotated
  ``Bilingual`` (the helper's callers are then held to it by mypy);
* a conditional expression whose two branches are bilingual.

Errors that list problems (``EvidenceError``, ``EventError``) are bilingual through their
``Problem`` constructions, which are checked in turn. Re-raising an existing error object
(``raise exc``, ``raise exc._evolve(...)``, ``raise located(...)``) is not a construction
and is not listed.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable, Iterator
from pathlib import Path

import emulation_rules.errors as errors_module
from emulation_rules.errors import EmulationRulesError

LISTING = {"EvidenceError", "EventError"}
"""Errors made of problems: their Vietnamese is the problems'."""


def _library_errors() -> set[str]:
    return {
        name
        for name, obj in vars(errors_module).items()
        if inspect.isclass(obj) and issubclass(obj, EmulationRulesError)
    }


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _files(package_dirs: Iterable[Path | str]) -> Iterator[Path]:
    for folder in package_dirs:
        path = Path(folder)
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _returns_bilingual(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return fn.returns is not None and "Bilingual" in ast.unparse(fn.returns)


class _Site(ast.NodeVisitor):
    """Walks one module, function by function, listing unbilingual constructions."""

    def __init__(self, where: str, errors: set[str], helpers: set[str]) -> None:
        self.where = where
        self.errors = errors
        self.helpers = helpers
        self.scopes: list[dict[str, bool]] = [{}]
        self.found: list[str] = []

    def bilingual(self, node: ast.expr | None) -> bool:
        if node is None:
            return False
        if isinstance(node, ast.Call):
            name = _name_of(node.func)
            return name in ("Bilingual", "bilingual") or name in self.helpers
        if isinstance(node, ast.IfExp):
            return self.bilingual(node.body) and self.bilingual(node.orelse)
        if isinstance(node, ast.Name):
            return any(scope.get(node.id, False) for scope in reversed(self.scopes))
        if isinstance(node, ast.Attribute):
            return node.attr.isupper()  # a module constant such as A_TEXT
        return False

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope: dict[str, bool] = {}
        for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
            if arg.annotation is not None and "Bilingual" in ast.unparse(arg.annotation):
                scope[arg.arg] = True
        self.scopes.append(scope)
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _assign(self, targets: list[ast.expr], value: ast.expr | None) -> None:
        ok = self.bilingual(value)
        for target in targets:
            if isinstance(target, ast.Name):
                # a name is bilingual only if every assignment to it is
                scope = self.scopes[-1]
                scope[target.id] = ok and scope.get(target.id, True)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._assign(node.targets, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        ok = "Bilingual" in ast.unparse(node.annotation)
        if ok and isinstance(node.target, ast.Name):
            self.scopes[-1][node.target.id] = True
        else:
            self._assign([node.target], node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name_of(node.func)
        if name == "Problem":
            self._check(node, 1)
        elif name in self.errors and name not in LISTING:
            self._check(node, 0)
        self.generic_visit(node)

    def _check(self, node: ast.Call, position: int) -> None:
        keywords = {k.arg: k.value for k in node.keywords}
        vi = keywords.get("message_vi")
        if vi is not None and not (isinstance(vi, ast.Constant) and vi.value is None):
            return
        message = node.args[position] if len(node.args) > position else keywords.get("message")
        if self.bilingual(message):
            return
        self.found.append(f"{self.where}:{node.lineno}: {ast.unparse(node)[:100]}")


def unbilingual_raises(package_dirs: Iterable[Path | str]) -> list[str]:
    """``file:line: code`` of every library error or ``Problem`` made without Vietnamese
    in the Python files under ``package_dirs`` (folders or files)."""
    files = list(_files(package_dirs))
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}
    errors = _library_errors()
    helpers: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_name_of(b) in errors for b in node.bases):
                errors.add(node.name)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _returns_bilingual(
                node
            ):
                helpers.add(node.name)
    found: list[str] = []
    for path, tree in trees.items():
        site = _Site(str(path), errors, helpers)
        site.visit(tree)
        found.extend(site.found)
    return found
