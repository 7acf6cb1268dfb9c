"""Where the library makes an error, the error carries its Vietnamese: a reusable check.

:func:`untranslated_sites` reads the source of some packages (their ``.py`` files, never
importing them) and lists every place that makes one of the library's errors (or of an
error class the modules read derive from them), or a
:class:`~emulation_rules.errors.Problem`, with a message that has no Vietnamese. A message
is translated when

* the call passes ``message_vi=…`` (not ``None``); or
* the message is a ``Bilingual(en, vi)`` call, a call of a function declared to return
  ``Bilingual`` (or ``Bilingual | None``; in the packages read or in
  ``emulation_rules.error_text``), an error's
  ``.bilingual()``, or a name bound to one of those (a module constant, a local);
* the message is a parameter of a function annotated ``Bilingual``, or of an error
  *factory* (a method named like ``err``/``error``/``_error`` that builds the error from the
  message it is given): then the factory's callers are checked instead, each call of a
  factory counting as a place that makes an error;
* the message is a *carrier*: ``message_of(exc)``, the message a caught exception was
  raised with (Bilingual when the code raising it made it so).

An error re-raised as it is (``raise exc``, ``raise exc.located(…)``), or made by a
function that builds it (``raise _not_in_force(…)``), is not a place of its own: the
function that builds it is checked where it calls the error class.

Usage (another package, later)::

    assert untranslated_sites([SRC / "evaluation", SRC / "awards"]) == []
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable, Iterator
from pathlib import Path

import emulation_rules.errors as errors_module

SRC = Path(__file__).resolve().parents[1] / "src" / "emulation_rules"

FACTORIES = frozenset({"err", "error", "_error"})
"""Methods that make an error from the message they are given (first argument)."""

CARRIERS = frozenset({"message_of"})
"""Functions that hand on the message a caught exception carried."""


def library_errors() -> set[str]:
    """The names of the library's error classes (``EmulationRulesError`` and its family)
    and of ``Problem``."""
    names = {
        name
        for name, obj in vars(errors_module).items()
        if inspect.isclass(obj) and issubclass(obj, errors_module.EmulationRulesError)
    }
    return names | {"Problem"}


def defined_errors(trees: Iterable[ast.Module], known: set[str]) -> set[str]:
    """The error classes the modules read define on top of ``known`` (``class
    MyError(FormatError)``), followed through their bases until nothing new is found."""
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    found = set(known)
    while True:
        more = {
            c.name
            for c in classes
            if c.name not in found and any(_name_of(b) in found for b in c.bases)
        }
        if not more:
            return found
        found |= more


def _files(packages: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for package in packages:
        out.extend([package] if package.suffix == ".py" else sorted(package.rglob("*.py")))
    return out


def _name_of(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_none(node: ast.expr) -> bool:
    """``message_vi=None``: no Vietnamese given."""
    return isinstance(node, ast.Constant) and node.value is None


def _is_logger(node: ast.expr) -> bool:
    """``LOGGER.error(...)``, ``log.error(...)``: a log record, not an error made."""
    name = _name_of(node) or ""
    return "log" in name.lower()


def _returns_bilingual(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.FunctionDef)
        and node.returns is not None
        and "Bilingual" in ast.unparse(node.returns)
    )


def bilingual_functions(trees: Iterable[ast.Module]) -> set[str]:
    """Names of the functions and methods declared to return ``Bilingual``."""
    helpers = ast.parse((SRC / "error_text.py").read_text(encoding="utf-8"))
    return {
        node.name
        for tree in (*trees, helpers)
        for node in ast.walk(tree)
        if _returns_bilingual(node)
    } | {"Bilingual", "bilingual"} | _aliases(trees)


def _aliases(trees: Iterable[ast.Module]) -> set[str]:
    """The names ``Bilingual`` is imported under (``from … import Bilingual as B``)."""
    return {
        alias.asname
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name == "Bilingual" and alias.asname
    }


class _Checker(ast.NodeVisitor):
    """Walks one module, keeping the enclosing function and its translated names."""

    def __init__(self, path: Path, errors: set[str], bilingual: set[str]) -> None:
        self.path = path
        self.errors = errors
        self.bilingual = bilingual
        self.constants: set[str] = set()
        self.scopes: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, set[str]]] = []
        self.found: list[str] = []

    def _translated_expr(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            name = _name_of(node.func)
            return name in self.bilingual or name in CARRIERS
        if isinstance(node, ast.Name):
            if node.id in self.constants:
                return True
            if self.scopes:
                func, names = self.scopes[-1]
                if node.id in names:
                    return True
                for arg in (*func.args.args, *func.args.kwonlyargs):
                    if arg.arg == node.id:
                        note = ast.unparse(arg.annotation) if arg.annotation else ""
                        return func.name in FACTORIES or "Bilingual" in note
        if isinstance(node, ast.IfExp):
            return self._translated_expr(node.body) and self._translated_expr(node.orelse)
        return False

    def visit_Module(self, node: ast.Module) -> None:
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign | ast.AnnAssign)
                and stmt.value is not None
                and self._translated_expr(stmt.value)
            ):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                self.constants |= {t.id for t in targets if isinstance(t, ast.Name)}
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scopes.append((node, set()))
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.scopes and self._translated_expr(node.value):
            self.scopes[-1][1].update(t.id for t in node.targets if isinstance(t, ast.Name))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name_of(node.func)
        is_error = isinstance(node.func, ast.Name) and name in self.errors
        is_factory = (
            isinstance(node.func, ast.Attribute)
            and name in FACTORIES
            and not _is_logger(node.func.value)
        )
        if is_error or is_factory:
            self._check(node, name or "?", is_error)
        self.generic_visit(node)

    def _check(self, node: ast.Call, name: str, is_error: bool) -> None:
        if is_error and any(k.arg == "message_vi" and not _is_none(k.value) for k in node.keywords):
            return
        message = self._message(node, name)
        if message is None or self._translated_expr(message):
            return
        self.found.append(f"{self.path}:{node.lineno}: {name}({ast.unparse(message)[:70]})")

    @staticmethod
    def _message(node: ast.Call, name: str) -> ast.expr | None:
        """The message argument of an error's (or factory's) call; None when the call
        takes no message (an ``EvidenceError`` of problems, each checked where made)."""
        if name == "Problem":
            args = node.args[1:2] or [k.value for k in node.keywords if k.arg == "message"]
        elif name in ("EvidenceError", "EventError"):
            return None
        else:
            args = node.args[:1] or [k.value for k in node.keywords if k.arg == "message"]
        return args[0] if args else None


def untranslated_sites(packages: Iterable[Path]) -> list[str]:
    """``file:line: Class(message…)`` for every place in ``packages`` (folders or ``.py``
    files) that makes a library error (or a ``Problem``, or calls an error factory) with
    a message that carries no Vietnamese; empty when every one does."""
    files = _files(packages)
    trees = [ast.parse(f.read_text(encoding="utf-8"), str(f)) for f in files]
    errors = defined_errors(trees, library_errors())
    bilingual = bilingual_functions(trees)
    found: list[str] = []
    for path, tree in zip(files, trees, strict=True):
        shown = path.relative_to(SRC.parent) if path.is_relative_to(SRC.parent) else path
        checker = _Checker(shown, errors, bilingual)
        checker.visit(tree)
        found.extend(checker.found)
    return found


def iter_packages(*names: str) -> Iterator[Path]:
    """The folders (or modules) of ``emulation_rules`` named, as paths."""
    for name in names:
        folder = SRC / name
        yield folder if folder.is_dir() else folder.with_suffix(".py")
