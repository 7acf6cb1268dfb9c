"""The fast path and the traced path agree, on generated rule sets (issue 13).

Hypothesis writes expressions covering every form of the language (literals; facts of
every type; parameters; ``let`` values; arithmetic, unary minus and exact division;
comparisons, chains and ``in``; ``and``/``or``/``not``; ``if … then … else``; the
functions; ``count``/``sum``/``all``/``any``/``min``/``max`` over lists of records, with
and without filters, nested; percentages; enumeration levels, bare and qualified; a
prerequisite's outcome read by a criterion), builds a small rule set from them, loads it
(type-checked like any rule set; the rare ill-typed draw is skipped), and evaluates
evidence with facts missing, null, and records missing fields:

* per criterion, the two-valued (fast) form, the three-valued form and the traced form
  give the same ``let`` values and the same condition value (or the same error);
* ``evaluate(evidence)`` and ``evaluate(evidence, explain=True)`` give the same status
  and missing facts per criterion, and the same overall status, reason, level, points and
  prerequisites (or the same ``EvaluationError``).

The default profile is quick; ``EMULATION_RULES_AGREEMENT_EXAMPLES=5000`` runs more.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.expr import typed as t
from emulation_rules.expr.codegen import ExprCompiler, Namespace
from emulation_rules.expr.trace import Trace
from emulation_rules.testing import strategies as kit
from support import ON, RULESETS

U = er.UNKNOWN
EXAMPLES = int(os.environ.get("EMULATION_RULES_AGREEMENT_EXAMPLES", "80"))
AGREEMENT = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- the rule set the expressions are written against ----------------------------------------

HEAD = """\
id: t-agreement
version: "1"
title: {vi: Đối chiếu hai cách tính, en: Fast and traced agreement}
description: {vi: Bộ sinh tự động để kiểm thử., en: Generated for a test.}
source: {document: TEST-AG/QĐ, part: Điều 1}
applies_to: [commune]
effective: {from: 2023-01-01}
requires:
  - {ruleset: demo-prerequisites, as: pre_ok, label: {vi: Điều kiện tiên quyết, en: Prerequisite}}
parameters:
  lim:
    {type: integer, label: {vi: Giới hạn, en: Limit}, source: {document: TEST-AG/QĐ},
     value: 3}
  ratio:
    {type: decimal, label: {vi: Hệ số, en: Ratio}, source: {document: TEST-AG/QĐ},
     value: 0.7}
  share:
    {type: percentage, label: {vi: Tỷ lệ, en: Share}, source: {document: TEST-AG/QĐ},
     value: 50%}
  deadline:
    {type: date, label: {vi: Hạn, en: Deadline}, source: {document: TEST-AG/QĐ},
     value: 2024-03-31}
  strict:
    {type: bool, label: {vi: Chặt, en: Strict}, source: {document: TEST-AG/QĐ},
     value: true}
  home:
    {type: string, label: {vi: Thôn, en: Village}, source: {document: TEST-AG/QĐ},
     value: Thôn 1}
  min_rating:
    {type: enum, enum: task_rating, label: {vi: Mức, en: Level}, source: {document: TEST-AG/QĐ},
     value: good}
facts:
  n1: {type: integer, label: {vi: Số một, en: Number one}, unit: {vi: vụ, en: cases}}
  n2: {type: integer, min: 1, max: 50, label: {vi: Số hai, en: Number two}}
  d1: {type: decimal, min: 0, max: 10, label: {vi: Điểm, en: Score}}
  p1: {type: percentage, label: {vi: Tỷ lệ một, en: Share one}}
  b1: {type: bool, label: {vi: Cờ một, en: Flag one}}
  b2: {type: bool, label: {vi: Cờ hai, en: Flag two}, optional: true}
  t1: {type: date, label: {vi: Ngày một, en: Day one}}
  t2: {type: date, label: {vi: Ngày hai, en: Day two}, optional: true}
  t3: {type: date, none: {vi: chưa ban hành, en: not issued}, label: {vi: Ngày ba, en: Day three}}
  s1: {type: string, label: {vi: Thôn, en: Village}}
  r1: {type: enum, enum: task_rating, label: {vi: Xếp loại, en: Rating}}
  m1: {type: enum, enum: movement_class, label: {vi: Phong trào, en: Movement}}
  teams:
    type: list
    label: {vi: Các tổ, en: Teams}
    fields:
      k: {type: integer, min: 0, max: 20, label: {vi: Việc tốt, en: Deeds}}
      v: {type: decimal, min: 0, max: 10, label: {vi: Điểm tổ, en: Team score}}
      p: {type: percentage, label: {vi: Độ phủ, en: Coverage}}
      ok: {type: bool, label: {vi: Hoạt động, en: Active}}
      on: {type: date, label: {vi: Ngày, en: Day}, optional: true}
      name: {type: string, label: {vi: Tên, en: Name}}
      r: {type: enum, enum: task_rating, label: {vi: Xếp loại tổ, en: Team rating}}
  crews:
    type: list
    label: {vi: Các đội, en: Crews}
    fields:
      m: {type: integer, min: 0, max: 9, label: {vi: Thành viên, en: Members}}
      ok: {type: bool, label: {vi: Đủ, en: Complete}}
groups:
  - {id: g, number: 1, title: {vi: Nhóm, en: Group}}
criteria:
"""

KINDS = ("bool", "int", "dec", "pct", "date", "str", "rating", "movement")
LEAVES: dict[str, list[str]] = {
    "bool": ["true", "false", "b1", "b2", "strict", "pre_ok", "exists(t3)"],
    "int": ["0", "1", "2", "7", "40", "n1", "n2", "lim"],
    "dec": ["0.7", "2.5", "1.05", "d1", "ratio"],
    "pct": ["5%", "50%", "1.5%", "100%", "p1", "share"],
    "date": ["2024-03-31", "2025-01-01", "t1", "t2", "t3", "deadline"],
    "str": ["'Thôn 1'", "'A'", "s1", "home"],
    "rating": ["r1", "min_rating", "task_rating.good", "task_rating.not_done"],
    "movement": ["m1"],
}
FIELDS: dict[str, dict[str, list[str]]] = {
    "teams": {
        "int": ["k"],
        "dec": ["v"],
        "pct": ["p"],
        "bool": ["ok"],
        "date": ["on"],
        "str": ["name"],
        "rating": ["r"],
    },
    "crews": {"int": ["m"], "bool": ["ok"]},
}
LEVELS = {"rating": ["excellent", "good", "done", "not_done"], "movement": ["good", "weak"]}
# the kinds a number of each kind may be compared with (a share with a share only)
COMPARABLE = {"int": ("int", "dec"), "dec": ("int", "dec"), "pct": ("pct",)}
LOOP_VARS = ("t", "u", "w")


class Ctx:
    """What an expression may name: the loop variables (and their lists) and the lets."""

    def __init__(
        self, loops: tuple[tuple[str, str], ...] = (), lets: tuple[tuple[str, str], ...] = ()
    ):
        self.loops, self.lets = loops, lets

    def leaves(self, kind: str) -> list[str]:
        fields = [f"{var}.{f}" for var, lst in self.loops for f in FIELDS[lst].get(kind, [])]
        lets = [name for name, k in self.lets if k == kind]
        # the loop variables' fields and the lets weigh as much as the other leaves
        return LEAVES[kind] + (fields + lets) * max(1, len(LEAVES[kind]) // 2)

    def loop(self, lst: str) -> tuple[str, Ctx] | None:
        used = {v for v, _ in self.loops}
        free = [v for v in LOOP_VARS if v not in used]
        if not free:
            return None
        return free[0], Ctx((*self.loops, (free[0], lst)), self.lets)


@st.composite
def expr(draw: st.DrawFn, kind: str, depth: int, ctx: Ctx) -> str:
    """The text of an expression of ``kind``, nested at most ``depth`` deep."""
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(ctx.leaves(kind)))
    sub = depth - 1
    forms = FORMS[kind]
    form = draw(st.sampled_from(forms))
    return form(draw, sub, ctx)


def _e(kind: str, depth: int, ctx: Ctx) -> st.SearchStrategy[str]:
    return expr(kind, depth, ctx)


def _cond(kind: str) -> Callable[[st.DrawFn, int, Ctx], str]:
    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        c, a, b = draw(_e("bool", d, ctx)), draw(_e(kind, d, ctx)), draw(_e(kind, d, ctx))
        return f"(if {c} then {a} else {b})"

    return form


def _binary(kind_a: str, ops: list[str], kind_b: str) -> Callable[[st.DrawFn, int, Ctx], str]:
    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        op = draw(st.sampled_from(ops))
        left, right = draw(_e(kind_a, d, ctx)), draw(_e(kind_b, d, ctx))
        if op == "/" and not any(c.isalpha() for c in right.replace("%", "")):
            # a divisor of literals only may fold to 0, a load error (issue 13): keep it ≥ 1
            right = f"max({right}, 1)"
        return f"({left} {op} {right})"

    return form


def _call(name: str, *kinds: str) -> Callable[[st.DrawFn, int, Ctx], str]:
    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        return f"{name}({', '.join(draw(_e(k, d, ctx)) for k in kinds)})"

    return form


def _aggregate(func: str, kind: str | None) -> Callable[[st.DrawFn, int, Ctx], str]:
    """``func(element for v in list [if filter])``; ``kind`` None: the record itself."""

    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        lists = [lst for lst in FIELDS if kind in (None, "bool") or kind in FIELDS[lst]]
        lst = draw(st.sampled_from(lists))
        inner = ctx.loop(lst)
        if inner is None:
            return draw(st.sampled_from(ctx.leaves(RESULT[func, kind])))
        var, ictx = inner
        element = var if kind is None else draw(_e(kind, d, ictx))
        filt = ""
        if kind is None or draw(st.integers(0, 3)) > 0:
            filt = f" if {draw(_e('bool', d, ictx))}"
        return f"{func}({element} for {var} in {lst}{filt})"

    return form


RESULT = {
    ("count", None): "int",
    ("count", "bool"): "int",
    ("sum", "int"): "int",
    ("sum", "dec"): "dec",
    ("sum", "pct"): "dec",
    ("all", "bool"): "bool",
    ("any", "bool"): "bool",
    **{(f, k): k for f in ("min", "max") for k in ("int", "dec", "pct", "date")},
}


def _compare(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
    kind = draw(st.sampled_from(["int", "dec", "pct", "date", "str", "rating", "movement", "bool"]))
    if kind in COMPARABLE:
        left = draw(_e(kind, d, ctx))
        right = draw(_e(draw(st.sampled_from(COMPARABLE[kind])), d, ctx))
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"({left} {op} {right})"
    if kind in ("str", "bool"):
        op = draw(st.sampled_from(["==", "!="]))
        return f"({draw(_e(kind, d, ctx))} {op} {draw(_e(kind, d, ctx))})"
    op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
    left = draw(_e(kind, d, ctx))
    if kind in LEVELS and draw(st.booleans()):  # a bare level, read in the other side's enum
        right = draw(st.sampled_from(LEVELS[kind]))
        return f"({left} {op} {right})"
    if kind == "movement":
        return f"({left} {op} {draw(st.sampled_from(ctx.leaves(kind)))})"
    return f"({left} {op} {draw(_e(kind, d, ctx))})"


def _chain(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
    kind = draw(st.sampled_from(["int", "dec", "date"]))
    ops = draw(st.lists(st.sampled_from(["<", "<=", "==", ">", ">="]), min_size=2, max_size=3))
    parts = [draw(_e(kind, d, ctx))]
    for op in ops:
        parts += [op, draw(_e(kind, d, ctx))]
    return "(" + " ".join(parts) + ")"


def _member(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
    kind = draw(st.sampled_from(["int", "str", "rating"]))
    left = draw(_e(kind, d, ctx))
    if kind == "rating":
        items = draw(st.lists(st.sampled_from(LEVELS["rating"]), min_size=1, max_size=3))
    else:
        items = draw(st.lists(_e(kind, max(d - 1, 0), ctx), min_size=1, max_size=3))
    neg = draw(st.sampled_from(["in", "not in"]))
    return f"({left} {neg} [{', '.join(items)}])"


def _junction(op: str) -> Callable[[st.DrawFn, int, Ctx], str]:
    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        items = draw(st.lists(_e("bool", d, ctx), min_size=2, max_size=3))
        return "(" + f" {op} ".join(items) + ")"

    return form


def _not(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
    return f"(not {draw(_e('bool', d, ctx))})"


def _neg(kind: str) -> Callable[[st.DrawFn, int, Ctx], str]:
    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        return f"(-{draw(_e(kind, d, ctx))})"

    return form


def _min_max(kind: str) -> Callable[[st.DrawFn, int, Ctx], str]:
    def form(draw: st.DrawFn, d: int, ctx: Ctx) -> str:
        args = draw(st.lists(_e(kind, d, ctx), min_size=2, max_size=3))
        return f"{draw(st.sampled_from(['min', 'max']))}({', '.join(args)})"

    return form


Form = Callable[[st.DrawFn, int, Ctx], str]
FORMS: dict[str, list[Form]] = {
    "bool": [
        _not,
        _junction("and"),
        _junction("or"),
        _compare,
        _compare,
        _chain,
        _member,
        _cond("bool"),
        _aggregate("all", "bool"),
        _aggregate("any", "bool"),
    ],
    "int": [
        _binary("int", ["+", "-", "*"], "int"),
        _neg("int"),
        _call("floor", "dec"),
        _call("ceil", "pct"),
        _call("abs", "int"),
        _min_max("int"),
        _call("year", "date"),
        _call("month", "date"),
        _call("quarter", "date"),
        _call("day", "date"),
        _call("days_between", "date", "date"),
        _aggregate("count", None),
        _aggregate("count", "bool"),
        _aggregate("sum", "int"),
        _aggregate("min", "int"),
        _aggregate("max", "int"),
        _cond("int"),
    ],
    "dec": [
        _binary("dec", ["+", "-", "*", "/"], "dec"),
        _binary("int", ["/", "*"], "dec"),
        _binary("pct", ["*", "/"], "int"),
        _binary("int", ["/"], "int"),
        _call("abs", "dec"),
        _neg("dec"),
        _min_max("dec"),
        _aggregate("sum", "dec"),
        _aggregate("sum", "pct"),
        _aggregate("max", "dec"),
        _cond("dec"),
    ],
    "pct": [
        _binary("pct", ["+", "-"], "pct"),
        _neg("pct"),
        _call("abs", "pct"),
        _min_max("pct"),
        _aggregate("min", "pct"),
        _aggregate("max", "pct"),
        _cond("pct"),
    ],
    "date": [_min_max("date"), _aggregate("min", "date"), _aggregate("max", "date"), _cond("date")],
    "str": [_cond("str")],
    "rating": [_cond("rating")],
    "movement": [_cond("movement")],
}


@st.composite
def criteria(draw: st.DrawFn) -> list[tuple[list[tuple[str, str, str]], str]]:
    """One to three criteria: their lets (name, kind, text) and conditions."""
    out = []
    for i in range(draw(st.integers(1, 3))):
        lets: list[tuple[str, str, str]] = []
        if draw(st.booleans()):  # an aggregate, whose value is compared on its own
            func, kind = draw(st.sampled_from(sorted(RESULT, key=str)))
            text = _aggregate(func, kind)(draw, 2, Ctx())
            lets.append((f"x{i}_a", RESULT[func, kind], text))
        for j in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(KINDS))
            ctx = Ctx(lets=tuple((n, k) for n, k, _ in lets))
            lets.append((f"x{i}_{j}", kind, draw(expr(kind, 3, ctx))))
        ctx = Ctx(lets=tuple((n, k) for n, k, _ in lets))
        out.append((lets, draw(expr("bool", 4, ctx))))
    return out


def rule_set_text(crits: list[tuple[list[tuple[str, str, str]], str]], at_least: int) -> str:
    lines = [HEAD]
    for i, (lets, condition) in enumerate(crits):
        lines.append(
            f"  - id: C{i}\n    number: {i + 1}\n    group: g\n"
            f"    title: {{vi: Tiêu chí {i}, en: Criterion {i}}}\n"
            f"    text: {{vi: Tiêu chí {i}.}}\n"
        )
        if lets:
            lines.append("    let:\n")
            lines += [f"      {name}: |-\n        {text}\n" for name, _, text in lets]
        lines.append(f"    condition: |-\n      {condition}\n")
    if at_least:
        lines.append(f"policy: {{kind: at_least, at_least: {min(at_least, len(crits))}}}\n")
    return "".join(lines)


# -- evidence with holes ----------------------------------------------------------------------


@st.composite
def holed(draw: st.DrawFn, rs: er.RuleSet) -> dict[str, Any]:
    """Evidence for ``rs``: complete or partial, then some facts nulled or dropped and some
    record fields left out."""
    if draw(st.integers(0, 9)) < 5:  # every fact known: the fast path runs
        return dict(draw(kit.evidence(rs, complete=True)))
    evidence = dict(draw(kit.evidence(rs, complete=draw(st.booleans()))))
    for name in sorted(evidence):
        value = evidence[name]
        how = draw(st.sampled_from(["keep", "keep", "null", "drop", "fields"]))
        if how == "null":
            evidence[name] = None
        elif how == "drop":
            del evidence[name]
        elif how == "fields" and isinstance(value, list):
            evidence[name] = [
                {k: v for k, v in record.items() if draw(st.integers(0, 4)) > 0} for record in value
            ]
    return evidence


# -- every sub-expression compiled alone: fast, three-valued and traced values --------------


def parts(node: t.Expr) -> list[t.Expr]:
    """The node and its sub-expressions, except leaves and what is inside an aggregate
    (where the loop variable is bound)."""
    if isinstance(node, t.Const | t.ParamRef | t.FactRef | t.LocalRef):
        return []
    if isinstance(node, t.Aggregate):
        return [node]
    return [node, *(p for child in t.children(node) for p in parts(child))]


Probe = tuple[str, Callable[..., Any], Callable[..., Any]]


def probes(rs: er.RuleSet) -> list[Probe]:
    """Per criterion, per sub-expression of its lets and condition, functions of the values
    tuple: the two-valued form, and the three-valued form (taking a trace list or None)."""
    compiled = rs._compiled
    index = {s.name: s.index for s in compiled.slots}
    unpack = "    (" + "".join(f"f{s.index}, " for s in compiled.slots) + ") = vals"
    # a date known none (NONE) reads as unknown, except to exists(), as in the library
    nones = [s.index for s in compiled.slots if s.spec is not None and s.spec.none is not None]
    full_unpack = "\n".join(
        [unpack, *(f"    r{i} = f{i}\n    if r{i} is _NONE: f{i} = U" for i in nones)]
    )
    raw = {s.name: f"r{s.index}" if s.index in nones else f"f{s.index}" for s in compiled.slots}
    out: list[Probe] = []
    for crit in rs.definition.criteria:
        ns = Namespace()
        comp = ExprCompiler(
            ns,
            fact_var=lambda n: f"f{index[n]}",
            local_var=lambda n: f"L_{n}",
            params=compiled.parameters,
            criterion=crit.id,
            temps=itertools.count(),
            raw_var=raw.__getitem__,
        )
        fast_lets = [f"    L_{name} = {comp.fast(tree)}" for name, tree in crit.lets]
        full_lets = [f"    L_{name} = {comp.full(tree)}" for name, tree in crit.lets]
        nodes = [n for _, tree in crit.lets for n in parts(tree)] + parts(crit.condition)
        lines = []
        for k, node in enumerate(nodes):
            lines += [f"def fast{k}(vals):", unpack, *fast_lets, f"    return {comp.fast(node)}"]
            lines += [
                f"def full{k}(vals, T):",
                full_unpack,
                *full_lets,
                f"    return {comp.full(node)}",
            ]
        namespace = dict(ns.values)
        # generated from the typed trees, as the library does (never from rule text)
        exec(compile("\n".join(lines) + "\n", f"<{crit.id}>", "exec"), namespace)
        out += [
            (f"{crit.id}: {node.text}", namespace[f"fast{k}"], namespace[f"full{k}"])
            for k, node in enumerate(nodes)
        ]
    return out


def outcome(func: Callable[[], Any]) -> Any:
    """A result to compare: values (booleans told from numbers), or the error's text."""
    try:
        value = func()
    except er.EvaluationError as exc:
        return ("error", str(exc))
    return _plain(value)


def _plain(v: Any) -> Any:
    if v is U:
        return ("unknown",)
    if isinstance(v, bool):
        return ("bool", v)
    return ("value", v)


def prerequisite_values(rs: er.RuleSet, evidence: dict[str, Any]) -> tuple[Any, ...]:
    """The prerequisites' outcomes as the criteria read them (true, false or unknown)."""
    truth = {er.Status.ELIGIBLE: True, er.Status.NOT_ELIGIBLE: False}
    return tuple(truth.get(p._evaluate(evidence, False, "").status, U) for p in rs.prerequisites)


def verdict_outcome(rs: er.RuleSet, evidence: dict[str, Any], explain: bool) -> Any:
    try:
        v = rs.evaluate(evidence, explain=explain)
    except er.EvaluationError as exc:
        return ("error", str(exc), exc.criterion)
    return (
        [(c.id, c.status, c.missing) for c in v.criteria],
        (v.status, v.reason, v.level, v.points),
        v.prerequisites,
    )


# -- the property ------------------------------------------------------------------------------


def check_agreement(
    folder: Path, crits: list[tuple[list[tuple[str, str, str]], str]], at_least: int, data: Any
) -> None:
    text = rule_set_text(crits, at_least)
    try:
        rs = load(folder, text)
    except er.RuleSetError:
        assume(False)  # ill-typed (a rare draw): skipped
        raise
    evidence = data.draw(holed(rs), label="evidence")

    fast = verdict_outcome(rs, evidence, explain=False)
    traced = verdict_outcome(rs, evidence, explain=True)
    assert fast == traced, text

    # every sub-expression (lets included): the same value, or the same error
    pre = prerequisite_values(rs, evidence)
    try:  # the generated `run` computes every criterion when every fact they read is known
        known = rs._compiled.run(evidence, pre)[2] is not None
    except er.EvaluationError:
        known = True
    # the values alone (an unknown prerequisite makes `run` return before computing)
    errs, vals, _, _ = rs._compiled.run(evidence, (U,) * len(pre))
    assert errs is None and vals is not None
    vals = vals[: len(vals) - len(pre)] + pre  # the outcomes come last
    for where, fast_fn, full_fn in probes(rs):
        three = outcome(lambda f=full_fn: f(vals, None))
        assert outcome(lambda f=full_fn: f(vals, Trace())) == three, where
        if known:  # every fact the criteria read is known: the fast form is valid
            assert outcome(lambda f=fast_fn: f(vals)) == three, where


def load(folder: Path, text: str) -> er.RuleSet:
    """Load a generated rule set (type-checked like any other), with demo-prerequisites."""
    path = folder / "t-agreement.yaml"
    path.write_text(text, encoding="utf-8")
    return er.Library([RULESETS], shipped=False).load(path, on=ON)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("agreement")


@AGREEMENT
@given(crits=criteria(), at_least=st.sampled_from([0, 0, 1, 2]), data=st.data())
def test_fast_and_traced_paths_agree_on_generated_rule_sets(
    folder: Path,
    crits: list[tuple[list[tuple[str, str, str]], str]],
    at_least: int,
    data: st.DataObject,
) -> None:
    check_agreement(folder, crits, at_least, data)


def forms_of(rs: er.RuleSet) -> set[str]:
    """The forms of the language a rule set's typed trees use."""
    out: set[str] = set()
    for crit in rs.definition.criteria:
        for tree in [*(e for _, e in crit.lets), crit.condition]:
            for node in t.walk(tree):
                name = type(node).__name__
                out.add(name)
                match node:
                    case t.Const() | t.FactRef() | t.ParamRef() | t.LocalRef() | t.Cond():
                        out.add(f"{name} {node.type.kind} {node.type.number_kind}".strip())
                    case t.Arith(op=op) | t.Compare(op=op):
                        out.add(f"{name} {op}")
                    case t.Member(negate=negate):
                        out.add(f"{name} {negate}")
                    case t.Func(name=func):
                        out.add(f"{name} {func}")
                    case t.Aggregate(func=func, cond=cond, iterable=it):
                        out.add(f"{name} {func} {cond is not None} {it.text}")
    return out


ALL_FORMS = {
    *(f"Const {k}" for k in ("bool", "number integer", "number decimal", "number percent")),
    *(f"Const {k}" for k in ("date", "string", "enum")),
    *(f"FactRef {k}" for k in ("bool", "number integer", "number decimal", "number percent")),
    *(f"FactRef {k}" for k in ("date", "string", "enum", "list")),
    *(f"ParamRef {k}" for k in ("bool", "number integer", "number decimal", "number percent")),
    *(f"ParamRef {k}" for k in ("date", "string", "enum")),
    *("LocalRef", "VarRef", "Field", "Neg", "Chain", "Member True", "Member False"),
    *("And", "Or", "Not"),
    *(f"Arith {op}" for op in "+-*/"),
    *(f"Compare {op}" for op in ("<", "<=", ">", ">=", "==", "!=")),
    *(f"Cond {k}" for k in ("bool", "number integer", "number decimal", "number percent")),
    *(f"Cond {k}" for k in ("date", "string", "enum")),
    *(f"Func {f}" for f in ("abs", "floor", "ceil", "min", "max", "year", "month")),
    *(f"Func {f}" for f in ("quarter", "day", "days_between", "exists")),
    *(
        f"Aggregate {f} {c} teams"
        for f in ("count", "sum", "all", "any", "min", "max")
        for c in (True, False)
    ),
    "Aggregate count True crews",
}


def test_the_generator_covers_the_language_with_well_typed_rule_sets(folder: Path) -> None:
    """Every form of the language is drawn, and the skipped (ill-typed) draws stay few, so
    that the property tests what it says."""
    refused: list[str] = []
    drawn: list[str] = []
    forms: set[str] = set()

    @settings(max_examples=400, deadline=None, database=None, derandomize=True)
    @given(crits=criteria())
    def draw(crits: list[tuple[list[tuple[str, str, str]], str]]) -> None:
        if len(drawn) >= 100 and forms >= ALL_FORMS:
            return  # enough seen
        text = rule_set_text(crits, 0)
        drawn.append(text)
        try:
            forms.update(forms_of(load(folder, text)))
        except er.RuleSetError as exc:
            refused.append(str(exc))

    draw()
    assert len(refused) <= len(drawn) // 10, refused
    assert ALL_FORMS - forms == set()
    assert "FactRef bool" in forms and any("pre_ok" in text for text in drawn)
