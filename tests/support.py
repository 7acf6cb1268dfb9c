"""Helpers shared by the test modules: paths, a unit meeting every criterion of
demo-commune, a minimal rule-set template, and a compiler for single expressions."""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import emulation_rules as er
from emulation_rules.expr import Scope, check_text
from emulation_rules.expr.codegen import ExprCompiler, Namespace
from emulation_rules.expr.trace import Trace
from emulation_rules.expr.types import EnumType, Type
from emulation_rules.loading.resolve import enum_type

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ROOT / "tests" / "rulesets"
ON = date(2024, 6, 1)

# Meets every criterion of demo-commune (and of its prerequisite) on ON.
ELIGIBLE: dict[str, Any] = {
    "unit_id": "Xã Phú Lộc",
    "crimes": 38,
    "crimes_previous_year": 40,
    "amnestied": 200,
    "reoffenders": 2,
    "tips_share": 80,
    "resolution_date": "2024-03-31",
    "party_rating": "good",
    "committee_title": "advanced_collective",
    "no_violations": True,
    "funding": 1.5,
    "teams": [{"team": "Thôn 1", "good_deeds": 1, "commended": 0}],
    "safe_standard_achieved": True,
    "movement_class": "good",
}

# Meets every criterion of demo-functions.
FUNCTIONS_UNIT: dict[str, Any] = {
    "start_date": "2024-01-10",
    "end_date": "2024-03-31",
    "rating": "good",
    "movement": "Khá",
    "village": "Thôn 1",
    "score": 7.5,
    "share": 50,
    "cases": 63,
    "dismissed": False,
    "teams": [
        {"name": "A", "month": 1, "deeds": 2, "active": True, "coverage": 60, "rating": "good"},
        {"name": "B", "month": 6, "deeds": 1, "active": True, "coverage": 75.5, "rating": "done"},
    ],
}

_MINIMAL = string.Template(
    """\
id: $id
version: "$version"
title: {vi: Thử nghiệm, en: Test}
description: {vi: Bộ thử nghiệm tối thiểu., en: A minimal test rule set.}
source: {document: TEST-MIN/QĐ, part: Điều 1}
applies_to: [commune]
effective: {from: $effective}
$head
parameters:
  limit:
    type: integer
    label: {vi: Giới hạn, en: Limit}
    source: {document: TEST-MIN/QĐ, part: Điều 2}
    value: 3
$parameters
facts:
  count_a:
    type: integer
    label: {vi: Số A, en: Count A}
    unit: {vi: vụ, en: cases}
  flag: {type: bool, label: {vi: Cờ, en: Flag}}
  rating: {type: enum, enum: task_rating, label: {vi: Xếp loại, en: Rating}}
$facts
groups:
  - {id: g, number: 1, title: {vi: Nhóm, en: Group}}
criteria:
  - id: C1
    number: 1
    group: g
    title: {vi: Một, en: One}
    text: {vi: Tiêu chí một.}
    condition: |-
      $condition
$criteria
$tail
"""
)


def minimal(
    condition: str = "count_a <= limit",
    *,
    id: str = "t-min",
    version: str = "1",
    effective: str = "2023-01-01",
    head: str = "",
    parameters: str = "",
    facts: str = "",
    criteria: str = "",
    tail: str = "",
) -> str:
    """The text of a small valid rule set; each argument adds lines at its place."""
    return _MINIMAL.substitute(
        id=id,
        version=version,
        effective=effective,
        head=head,
        parameters=parameters,
        facts=facts,
        condition=condition,
        criteria=criteria,
        tail=tail,
    )


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[occurrence - 1]


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` as ``folder/name`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(folder: Path, text: str, *, on: date = ON, name: str = "rules.yaml") -> er.RuleSet:
    """Write a rule-set text into ``folder`` and load it (with the shipped rule sets and the
    test rule sets as its library)."""
    path = write(folder, name, text)
    return er.Library([RULESETS], shipped=False).load(path, on=on)


def shipped_enum_types() -> dict[str, EnumType]:
    """The shipped enumerations as expression types."""
    specs = er.Library([], shipped=False).catalogue.enumerations
    return {eid: enum_type(eid, spec) for eid, spec in specs.items()}


def scope_of(
    facts: Mapping[str, Type],
    params: Mapping[str, Type] | None = None,
    enums: Mapping[str, EnumType] | None = None,
) -> Scope:
    return Scope(dict(facts), dict(params or {}), dict(enums or shipped_enum_types()))


Compiled = Callable[..., Any]


def compile_expr(
    text: str,
    scope: Scope,
    params: Mapping[str, Any] | None = None,
    *,
    criterion: str = "C",
) -> tuple[Compiled, Compiled]:
    """The two-valued (fast) and three-valued (full) functions of one expression.

    Both take the facts as keyword arguments (every fact of the scope); ``full`` also
    takes ``T``, the trace (or None)."""
    tree = check_text(text, scope)
    ns = Namespace()
    comp = ExprCompiler(
        ns,
        fact_var=lambda n: f"F_{n}",
        local_var=lambda n: f"L_{n}",
        params=dict(params or {}),
        criterion=criterion,
        temps=itertools.count(),
    )
    args = ", ".join(f"F_{n}" for n in sorted(scope.facts))
    source = (
        f"def fast({args}):\n    return {comp.fast(tree)}\n\n"
        f"def full({args}, T=None):\n    return {comp.full(tree)}\n"
    )
    namespace = dict(ns.values)
    # the generated source is made from the typed tree, as the library does
    exec(compile(source, "<test expression>", "exec"), namespace)
    fast, full = namespace["fast"], namespace["full"]

    def call_fast(**facts: Any) -> Any:
        return fast(*(facts[n] for n in sorted(scope.facts)))

    def call_full(trace: Trace | None = None, **facts: Any) -> Any:
        return full(*(facts[n] for n in sorted(scope.facts)), T=trace)

    return call_fast, call_full


def run_cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    """Run the command line's ``main()`` with ``args``: its exit status (a ``SystemExit``
    caught), and what it wrote to stdout and stderr (``capsys``, pytest's fixture)."""
    from emulation_rules.cli.main import main

    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
