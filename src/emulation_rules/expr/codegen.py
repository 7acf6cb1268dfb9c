"""Turns typed trees into Python source, once, when a rule set is loaded (as attrs does
for ``__init__``), so that evaluating a unit runs plain Python and walks no tree.

Only the typed tree reaches this module, never rule text: every constant (literals,
parameter values, strings) is passed through the namespace by a generated name
(``_k0``, ``_k1``, …), and every identifier in the source is one this module made.

Two forms of each expression:

* ``fast``: two-valued; valid when every fact it reads is known;
* ``full``: three-valued (Kleene), with the comparisons traced for explanations.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from emulation_rules.expr import runtime as rt
from emulation_rules.expr import typed as t
from emulation_rules.expr.types import BOOL


class Namespace:
    """The globals of generated code: helpers and constants, by generated names."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {
            "U": rt.UNKNOWN,
            "_NONE": rt.NONE,
            "_kand": rt.kand,
            "_and_traced": rt.and_traced,
            "_kor": rt.kor,
            "_knot": rt.knot,
            "_cond": rt.conditional,
            "_cond_traced": rt.conditional_traced,
            "_div": rt.divide,
            "_udiv": rt.u_divide,
            "_ufield": rt.u_field,
            "_uneg": rt.u_neg,
            "_traced": rt.traced,
            "_member": rt.member,
            "_aggmin": rt.agg_min,
            "_aggmax": rt.agg_max,
            "_uagg": rt.u_aggregate,
        }
        for name, func in rt.FUNCTIONS.items():
            self.values[f"_f_{name}"] = func
        for name, func in rt.U_FUNCTIONS.items():
            self.values[f"_uf_{name}"] = func
        for op, func in rt.U_ARITHMETIC.items():
            self.values[f"_ua{_OP_NAMES[op]}"] = func
        for op, func in rt.U_COMPARISONS.items():
            self.values[f"_uc{_OP_NAMES[op]}"] = func
        self._consts: dict[tuple[type, Any], str] = {}
        self._counter = itertools.count()

    def const(self, value: Any) -> str:
        """A generated name bound to ``value``."""
        try:
            key: tuple[type, Any] = (type(value), value)
            hash(key)
        except TypeError:
            key = (type(value), id(value))
        name = self._consts.get(key)
        if name is None:
            name = f"_k{next(self._counter)}"
            self._consts[key] = name
            self.values[name] = value
        return name


_OP_NAMES = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "<": "lt",
    "<=": "le",
    ">": "gt",
    ">=": "ge",
    "==": "eq",
    "!=": "ne",
}


class ExprCompiler:
    """Compiles typed expressions of one criterion into Python source expressions.

    ``fact_var`` and ``local_var`` map a fact or local name to the Python variable that
    holds it; ``params`` gives the parameter values; ``criterion`` is named in run-time
    errors. ``raw_var`` maps a date fact declaring ``none:`` to the variable holding its
    value as given (``NONE`` kept), which ``exists()`` reads in the three-valued form,
    where ``fact_var`` holds ``UNKNOWN`` for ``NONE`` (default: ``fact_var``).
    """

    def __init__(
        self,
        ns: Namespace,
        *,
        fact_var: Callable[[str], str],
        local_var: Callable[[str], str],
        params: Mapping[str, Any],
        criterion: str,
        temps: itertools.count[int] | None = None,
        raw_var: Callable[[str], str] | None = None,
    ) -> None:
        self.ns = ns
        self.fact_var = fact_var
        self.raw_var = raw_var or fact_var
        self.local_var = local_var
        self.params = params
        self.crit = ns.const(criterion)
        self.temps = temps or itertools.count()
        self.vars: dict[str, str] = {}

    def _temp(self) -> str:
        return f"_t{next(self.temps)}"

    def _with_var(self, name: str, body: Callable[[str], str]) -> str:
        py = f"_v{next(self.temps)}"
        saved = self.vars.get(name)
        self.vars[name] = py
        try:
            return body(py)
        finally:
            if saved is None:
                del self.vars[name]
            else:
                self.vars[name] = saved

    def _constant(self, node: t.Expr) -> tuple[bool, Any]:
        """Whether ``node`` is known at compile time, and its value (constant folding)."""
        match node:
            case t.Const(value=value):
                return True, value
            case t.ParamRef(name=name):
                return True, self.params[name]
            case t.Neg(operand=x):
                known, value = self._constant(x)
                return (True, -value) if known else (False, None)
            case t.Arith(op=op, left=a, right=b):
                known_a, va = self._constant(a)
                known_b, vb = self._constant(b)
                if not (known_a and known_b):
                    return False, None
                if op == "/":
                    return (False, None) if vb == 0 else (True, rt.divide(va, vb, ""))
                return True, rt.ARITHMETIC[op](va, vb)
        return False, None

    def _leaf(self, node: t.Expr) -> str | None:
        known, value = self._constant(node)
        if known:
            return self.ns.const(value)
        match node:
            case t.FactRef(name=name):
                return self.fact_var(name)
            case t.LocalRef(name=name):
                return self.local_var(name)
            case t.VarRef(name=name):
                return self.vars[name]
        return None

    # -- two-valued ------------------------------------------------------------
    def fast(self, node: t.Expr) -> str:
        """Python source of ``node``, two-valued."""
        leaf = self._leaf(node)
        if leaf is not None:
            return leaf
        f = self.fast
        match node:
            case t.Field(obj=obj, index=index):
                return f"{f(obj)}[{index}]"
            case t.Neg(operand=x):
                return f"(-{f(x)})"
            case t.Arith(op="/", left=a, right=b):
                return f"_div({f(a)}, {f(b)}, {self.crit})"
            case t.Arith(op=op, left=a, right=b):
                return f"({f(a)} {op} {f(b)})"
            case t.Compare(op=op, left=a, right=b):
                return f"({f(a)} {op} {f(b)})"
            case t.Chain(operands=operands, links=links):
                parts = [f(operands[0])]
                for link, operand in zip(links, operands[1:], strict=True):
                    parts += [link.op, f(operand)]
                return "(" + " ".join(parts) + ")"
            case t.Member(operand=x, items=items, negate=negate):
                op = "not in" if negate else "in"
                if all(isinstance(i, t.Const) for i in items):
                    values = frozenset(i.value for i in items if isinstance(i, t.Const))
                    return f"({f(x)} {op} {self.ns.const(values)})"
                return f"({f(x)} {op} ({', '.join(f(i) for i in items)},))"
            case t.And(items=items):
                return "(" + " and ".join(f(i) for i in items) + ")"
            case t.Or(items=items):
                return "(" + " or ".join(f(i) for i in items) + ")"
            case t.Not(operand=x):
                return f"(not {f(x)})"
            case t.Cond(cond=c, then=a, orelse=b):
                return f"({f(a)} if {f(c)} else {f(b)})"
            case t.Func(name=name, args=args):
                return f"_f_{name}({', '.join(f(a) for a in args)})"
            case t.Aggregate():
                return self._fast_aggregate(node)
        raise AssertionError(f"cannot compile {node!r}")  # pragma: no cover

    def _fast_aggregate(self, node: t.Aggregate) -> str:
        lst = self.fast(node.iterable)

        def body(v: str) -> str:
            elem = self.fast(node.element)
            cond = self.fast(node.cond) if node.cond is not None else None
            filt = f" if {cond}" if cond else ""
            if node.func == "count":
                if node.element.type.kind == BOOL:
                    filt = f" if {cond} and {elem}" if cond else f" if {elem}"
                return f"sum(1 for {v} in {lst}{filt})"
            if node.func == "sum":
                return f"sum(({elem} for {v} in {lst}{filt}), 0)"
            if node.func in ("all", "any"):
                return f"{node.func}({elem} for {v} in {lst}{filt})"
            return f"_agg{node.func}(({elem} for {v} in {lst}{filt}), {self.crit})"

        if node.func == "count" and node.cond is None and node.element.type.kind != BOOL:
            return f"len({lst})"
        return self._with_var(node.var, body)

    # -- three-valued ----------------------------------------------------------
    def full(self, node: t.Expr) -> str:
        """Python source of ``node``, three-valued, recording comparisons and branches in
        ``T`` (an :class:`~emulation_rules.expr.trace.Trace`, or None)."""
        leaf = self._leaf(node)
        if leaf is not None:
            return leaf
        f = self.full
        match node:
            case t.Field(obj=obj, index=index):
                return f"_ufield({f(obj)}, {index})"
            case t.Neg(operand=x):
                return f"_uneg({f(x)})"
            case t.Arith(op="/", left=a, right=b):
                return f"_udiv({f(a)}, {f(b)}, {self.crit})"
            case t.Arith(op=op, left=a, right=b):
                return f"_ua{_OP_NAMES[op]}({f(a)}, {f(b)})"
            case t.Compare():
                return self._full_compare(node, f(node.left), f(node.right))
            case t.Chain(operands=operands, links=links):
                # like Python: each operand computed once, and no further than the first
                # link that is false
                temps = [self._temp() for _ in operands]
                results = [self._temp() for _ in links]
                tests = []
                for i, link in enumerate(links):
                    left = f"({temps[0]} := {f(operands[0])})" if i == 0 else temps[i]
                    right = f"({temps[i + 1]} := {f(operands[i + 1])})"
                    compared = self._full_compare(link, left, right)
                    tests.append(f"({results[i]} := {compared}) is False")
                return f"(False if {' or '.join(tests)} else _kand({', '.join(results)}))"
            case t.Member(operand=x, items=items, negate=negate):
                return f"_member({f(x)}, ({', '.join(f(i) for i in items)},), {negate})"
            case t.And(items=items):
                # every conjunct is traced (for what would pass), even after a false one
                thunks = ", ".join(f"lambda: {f(i)}" for i in items)
                return f"_and_traced(T, {thunks})"
            case t.Or(items=items):
                return self._full_junction(items, "True", "_kor")
            case t.Not(operand=x):
                return f"_knot({f(x)})"
            case t.Cond(cond=c, then=a, orelse=b, index=index) if index >= 0:
                # the condition's value is traced (for rule coverage)
                return f"_cond_traced(T, {index}, {f(c)}, lambda: {f(a)}, lambda: {f(b)})"
            case t.Cond(cond=c, then=a, orelse=b):
                return f"_cond({f(c)}, lambda: {f(a)}, lambda: {f(b)})"
            case t.Func(name="exists", args=(t.FactRef(name=fact),)):
                return f"_uf_exists({self.raw_var(fact)})"
            case t.Func(name=name, args=args):
                return f"_uf_{name}({', '.join(f(a) for a in args)})"
            case t.Aggregate():
                return self._full_aggregate(node)
        raise AssertionError(f"cannot compile {node!r}")  # pragma: no cover

    def _full_compare(self, node: t.Compare, a: str, b: str) -> str:
        if node.index < 0:
            return f"_uc{_OP_NAMES[node.op]}({a}, {b})"
        return f"_traced(T, {node.index}, {self.ns.const(node.op)}, {a}, {b})"

    def _full_junction(self, items: tuple[t.Expr, ...], stop: str, combine: str) -> str:
        temps = [self._temp() for _ in items]
        tests = " or ".join(
            f"({tmp} := {self.full(i)}) is {stop}" for tmp, i in zip(temps, items, strict=True)
        )
        return f"({stop} if {tests} else {combine}({', '.join(temps)}))"

    def _full_aggregate(self, node: t.Aggregate) -> str:
        lst_tmp = self._temp()
        lst = self.full(node.iterable)
        if node.func == "count" and node.cond is None and node.element.type.kind != BOOL:
            return f"(U if ({lst_tmp} := {lst}) is U else len({lst_tmp}))"

        def body(v: str) -> str:
            c_tmp = self._temp()
            cond = self.full(node.cond) if node.cond is not None else "True"
            elem = self.full(node.element)
            if node.func == "count" and node.element.type.kind != BOOL:
                elem = "True"
            pairs = (
                f"(({c_tmp} := {cond}), ({elem} if {c_tmp} is not False else None)) "
                f"for {v} in {lst_tmp}"
            )
            return f"_uagg({self.ns.const(node.func)}, ({pairs}), {self.crit})"

        inner = self._with_var(node.var, body)
        return f"(U if ({lst_tmp} := {lst}) is U else {inner})"


__all__ = ["ExprCompiler", "Namespace"]
