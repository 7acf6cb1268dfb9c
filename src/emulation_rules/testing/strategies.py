"""Evidence strategies derived from a rule set's fact declarations.

Satisfying evidence is built constructively: complete evidence is drawn, then repaired
criterion by criterion, first from each explanation's ``needed`` bounds and then by
walking the typed condition tree (``and`` repairs every operand, ``or`` the first one
that can be repaired, comparisons set the fact they read, aggregates over list facts
repair each record). Evidence that still fails after a few rounds is rejected with
``hypothesis.assume(False)``.
"""

from __future__ import annotations

import contextlib
import copy
import math
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.evidence import BadValue, Coercer, make_coercer
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.expr import typed as t
from emulation_rules.expr.runtime import FLIPPED, NONE_JSON
from emulation_rules.expr.types import BOOL, EnumType
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model.kinds import MAX_INTEGER, kind
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec, FieldSpec
from emulation_rules.model.verdict import CriterionStatus, Status

Evidence = dict[str, Any]

_MET = CriterionStatus.MET
_ROUNDS = 8


# -- plain evidence -------------------------------------------------------------------------


def _chain(ruleset: RuleSet) -> list[RuleSet]:
    """The rule set and its prerequisites, recursively."""
    out = [ruleset]
    for pre in ruleset.prerequisites:
        out.extend(_chain(pre))
    return out


def _enum_types(ruleset: RuleSet) -> dict[str, EnumType]:
    types: dict[str, EnumType] = {}
    for rs in reversed(_chain(ruleset)):
        types.update(rs.definition.enum_types)
    return types


def _value(
    spec: FactSpec | FieldSpec, enums: Mapping[str, EnumerationSpec], on: date, min_records: int
) -> st.SearchStrategy[Any]:
    strategy: st.SearchStrategy[Any] = kind(spec.type).strategy(spec, enums, on, min_records)
    return strategy


def _complete(ruleset: RuleSet) -> st.SearchStrategy[Evidence]:
    enums = ruleset.enumerations
    return st.fixed_dictionaries(
        {n: _value(s, enums, ruleset.on, 1) for n, s in ruleset.facts.items()}
    )


def _partial(ruleset: RuleSet) -> st.SearchStrategy[Evidence]:
    enums = ruleset.enumerations
    return st.fixed_dictionaries(
        {}, optional={n: _value(s, enums, ruleset.on, 0) for n, s in ruleset.facts.items()}
    )


def evidence(
    ruleset: RuleSet,
    *,
    complete: bool = False,
    satisfying: bool = False,
    violating: str | None = None,
    seed: Mapping[str, Any] | None = None,
) -> st.SearchStrategy[Evidence]:
    """Valid evidence for ``ruleset`` (a dict of JSON-like values).

    By default some facts may be missing; ``complete=True`` gives every fact (lists
    non-empty). ``satisfying=True`` gives evidence meeting every criterion (and every
    prerequisite's); ``violating="18"`` evidence meeting every criterion but that one.

    ``seed`` (with ``satisfying`` or ``violating``): facts to start the repair from
    instead of drawn values, e.g. a reference unit's records that the repair cannot build
    (one record per team and month); the other facts are drawn, then repaired.
    """
    start = dict(seed or {})
    if violating is not None:
        ruleset.definition.criterion(violating)  # KeyError for an unknown criterion
        return _violating(ruleset, violating, start)
    if satisfying:
        return _satisfying(ruleset, start)
    return _complete(ruleset) if complete else _partial(ruleset)


def _seeded(draw: st.DrawFn, ruleset: RuleSet, seed: Evidence) -> Evidence:
    ev = draw(_complete(ruleset))
    ev.update(copy.deepcopy(seed))
    assume(repair(ruleset, ev))
    return ev


@st.composite
def _satisfying(draw: st.DrawFn, ruleset: RuleSet, seed: Evidence) -> Evidence:
    return _seeded(draw, ruleset, seed)


@st.composite
def _violating(draw: st.DrawFn, ruleset: RuleSet, criterion_id: str, seed: Evidence) -> Evidence:
    ev = _seeded(draw, ruleset, seed)
    options = [{**ev, name: value} for name, value in _breakings(ruleset, ev, criterion_id)]
    across = _just_across(ruleset, ev, criterion_id)
    if across is not None:
        options.insert(0, across)  # shrinks towards the boundary
    assume(bool(options))
    return draw(st.sampled_from(options))


def _just_across(ruleset: RuleSet, ev: Evidence, criterion_id: str) -> Evidence | None:
    """``ev`` with the facts of ``criterion_id`` moved just across its threshold (one step
    past the bound its condition compares with), when that fails it alone."""
    changed = copy.deepcopy(ev)
    crit = ruleset.definition.criterion(criterion_id)
    ctx = _Ctx(ruleset, ruleset, crit, changed)
    try:
        _make(crit.condition, False, ctx)
    except _Cannot:
        return None
    return changed if _all_met_but(ruleset, changed, criterion_id) else None


# -- checking -------------------------------------------------------------------------------


def _failing(ruleset: RuleSet, ev: Evidence) -> list[tuple[RuleSet, CheckedCriterion, Any]] | None:
    """The criteria not met (the prerequisites' too), with their results; None when the
    evidence cannot be evaluated."""
    out: list[tuple[RuleSet, CheckedCriterion, Any]] = []
    for rs in _chain(ruleset):
        try:
            verdict = rs.evaluate(_own(rs, ev), explain=True)
        except EmulationRulesError:
            return None
        for crit, result in zip(rs.criteria, verdict.criteria, strict=True):
            if result.status is not _MET:
                out.append((rs, crit, result))
    return out


def _own(rs: RuleSet, ev: Evidence) -> Evidence:
    facts = rs.facts
    return {k: v for k, v in ev.items() if k in facts}


def _all_met_but(ruleset: RuleSet, ev: Evidence, criterion_id: str) -> bool:
    try:
        verdict = ruleset.evaluate(ev)
    except EmulationRulesError:
        return False
    if any(p.status is not Status.ELIGIBLE for p in verdict.prerequisites):
        return False
    return all(
        (c.status is CriterionStatus.NOT_MET) == (c.id == criterion_id) for c in verdict.criteria
    )


# -- repair ---------------------------------------------------------------------------------


class _Cannot(Exception):
    """A value the mini-evaluator cannot compute."""


class _Ctx:
    """What the repair of one criterion needs: the evidence, the owning rule set's
    parameters, the criterion's lets and, inside an aggregate, the current record."""

    def __init__(self, ruleset: RuleSet, owner: RuleSet, crit: CheckedCriterion, ev: Evidence):
        self.facts = ruleset.facts
        self.enum_types = _enum_types(ruleset)
        self.enums = ruleset.enumerations
        self._coercers: dict[int, Coercer] = {}
        self.params = owner.parameters
        self.lets = dict(crit.lets)
        self.ev = ev
        self.records: dict[str, dict[str, Any]] = {}
        self.record_specs: dict[str, dict[str, FieldSpec]] = {}

    def spec(self, name: str) -> FactSpec:
        return self.facts[name]

    def enum_type(self, spec: FactSpec | FieldSpec) -> EnumType | None:
        """The enumeration of an enum fact or field (None for other kinds)."""
        return None if spec.enum is None else self.enum_types[spec.enum]

    def coercer(self, spec: FactSpec | FieldSpec) -> Coercer:
        """The coercer of a fact or field (its run-time value from an evidence value)."""
        coerce = self._coercers.get(id(spec))
        if coerce is None:
            coerce = self._coercers[id(spec)] = make_coercer(spec, self.enums)
        return coerce


def repair(ruleset: RuleSet, ev: Evidence, rounds: int = _ROUNDS) -> bool:
    """Change ``ev`` in place until every criterion (and prerequisite) is met; whether it
    succeeded."""
    for _ in range(rounds):
        failing = _failing(ruleset, ev)
        if failing is None:
            return False
        if not failing:
            return True
        for owner, crit, result in failing:
            ctx = _Ctx(ruleset, owner, crit, ev)
            needed = result.explanation.needed if result.explanation else ()
            for n in needed:
                if n.fact in ev and "[" not in n.fact:
                    _apply_needed(ctx, n.fact, n.op, n.value)
            if not needed or _still_failing(ev, crit, owner):
                with contextlib.suppress(_Cannot):
                    _make(crit.condition, True, ctx)
    failing = _failing(ruleset, ev)
    return failing == []


def _still_failing(ev: Evidence, crit: CheckedCriterion, owner: RuleSet) -> bool:
    """Whether ``crit`` still fails after applying its ``needed`` bounds."""
    try:
        verdict = owner.evaluate(_own(owner, ev))
    except EmulationRulesError:
        return True
    return verdict.criterion(crit.id).status is not _MET


def _apply_needed(ctx: _Ctx, fact: str, op: str, value: Any) -> None:
    spec = ctx.spec(fact)
    try:
        target = kind(spec.type).from_json(value, ctx.enum_type(spec))
    except ValueError:
        return
    with contextlib.suppress(_Cannot):
        _set_fact(ctx, fact, op, target)


_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _holds(a: Any, op: str, b: Any) -> bool:
    return bool(
        {
            "<": lambda: a < b,
            "<=": lambda: a <= b,
            ">": lambda: a > b,
            ">=": lambda: a >= b,
            "==": lambda: a == b,
            "!=": lambda: a != b,
        }[op]()
    )


def _make(node: t.Expr, want: bool, ctx: _Ctx) -> None:
    """Change the evidence so that ``node`` evaluates to ``want`` (best effort)."""
    match node:
        case t.And(items=items) | t.Or(items=items):
            if isinstance(node, t.And) == want:  # every operand must take ``want``
                for item in items:
                    _make(item, want, ctx)
                return
            for item in items:
                try:
                    _make(item, want, ctx)
                    return
                except _Cannot:
                    continue
            raise _Cannot
        case t.Not(operand=operand):
            _make(operand, not want, ctx)
        case t.FactRef(name=name, type=ftype) if name in ctx.facts:
            if ftype.kind != BOOL:
                raise _Cannot
            ctx.ev[name] = want
        case t.Field(obj=t.VarRef(name=var), name=field) if var in ctx.records:
            ctx.records[var][field] = want
        case t.Chain(links=links):
            if not want:
                _make(links[0], False, ctx)
                return
            for link in links:
                _make(link, True, ctx)
        case t.Compare(op=op, left=left, right=right):
            op = op if want else _NEGATE[op]
            try:
                _settle(left, op, _eval(right, ctx), ctx)
            except _Cannot:
                _settle(right, FLIPPED[op], _eval(left, ctx), ctx)
        case t.Aggregate(func="all" | "any", element=element, var=var, iterable=it, cond=None):
            for _ in _each_record(it, var, ctx):
                _make(element, want, ctx)
        case t.LocalRef(name=name) if name in ctx.lets:
            _make(ctx.lets[name], want, ctx)
        case t.Func(name="exists", args=(t.FactRef(name=name),)) if name in ctx.facts:
            # a date (settled by the comparisons that follow), or known: none
            if not want:
                ctx.ev[name] = NONE_JSON
            elif ctx.ev.get(name) in (None, NONE_JSON):
                ctx.ev[name] = _SOME_DAY
        case _:
            raise _Cannot


_SOME_DAY = date(2000, 1, 15).isoformat()
"""The date ``exists(d)`` made true gives ``d`` before its comparisons settle it."""


def _each_record(iterable: t.Expr, var: str, ctx: _Ctx) -> Iterator[dict[str, Any]]:
    if not isinstance(iterable, t.FactRef) or iterable.name not in ctx.ev:
        raise _Cannot
    records = ctx.ev[iterable.name]
    if not isinstance(records, list):
        raise _Cannot
    for record in records:
        ctx.records[var] = record
        yield record
    ctx.records.pop(var, None)


def _settle(node: t.Expr, op: str, target: Any, ctx: _Ctx) -> None:
    """Change the evidence so that ``node op target`` holds."""
    match node:
        case t.FactRef(name=name) if name in ctx.facts:
            _set_fact(ctx, name, op, target)
        case t.Field(obj=t.VarRef(name=var), name=field) if var in ctx.records:
            record = ctx.records[var]
            _set_value(record, field, ctx.record_specs[var][field], op, target, ctx)
        case t.LocalRef(name=name) if name in ctx.lets:
            _settle(ctx.lets[name], op, target, ctx)
        case t.Func(name="year", args=(t.FactRef(name=name),)) if op == "==":
            ctx.ev[name] = date(int(target), 1, 15).isoformat()
        case t.Func(name="quarter", args=(t.FactRef(name=name),)) if op in ("<=", "<", "=="):
            if not isinstance(ctx.ev.get(name), str) or ctx.ev[name] == NONE_JSON:
                raise _Cannot
            day = date.fromisoformat(ctx.ev[name])
            quarter = int(target) - (op == "<")
            if not 1 <= quarter <= 4:
                raise _Cannot
            ctx.ev[name] = date(day.year, quarter * 3 - 2, 15).isoformat()
        case t.Aggregate(func="count", var=var, iterable=it, cond=cond):
            _settle_count(it, var, cond, op, target, ctx)
        case _:
            raise _Cannot


def _settle_count(
    iterable: t.Expr, var: str, cond: t.Expr | None, op: str, target: Any, ctx: _Ctx
) -> None:
    if not isinstance(iterable, t.FactRef):
        raise _Cannot
    spec = ctx.spec(iterable.name)
    assert spec.fields is not None
    ctx.record_specs[var] = spec.fields
    at_least = _holds(1, op, target) or op in (">", ">=")
    if cond is not None:
        for _ in _each_record(iterable, var, ctx):
            _make(cond, at_least, ctx)
    records = ctx.ev[iterable.name]
    if at_least:
        if not records:
            raise _Cannot
        need = 0
        while not _holds(len(records) + need, op, target) and need < 50:
            need += 1
        records.extend(dict(records[0]) for _ in range(need))


def _set_fact(ctx: _Ctx, name: str, op: str, target: Any) -> None:
    _set_value(ctx.ev, name, ctx.spec(name), op, target, ctx)


def _set_value(
    holder: dict[str, Any],
    key: str,
    spec: FactSpec | FieldSpec,
    op: str,
    target: Any,
    ctx: _Ctx,
) -> None:
    """Set ``holder[key]`` (evidence form) so that its run-time value satisfies ``op target``."""
    current = holder.get(key)
    if current is not None:
        try:
            if _holds(_runtime(spec, current, ctx), op, target):
                return
        except (TypeError, _Cannot):
            pass
    try:
        holder[key] = kind(spec.type).settle(spec, op, target, ctx.enum_type(spec))
    except ValueError:
        raise _Cannot from None


def _runtime(spec: FactSpec | FieldSpec, value: Any, ctx: _Ctx) -> Any:
    """The run-time value of an evidence value (as conditions compare it)."""
    if value is None or not kind(spec.type).single:
        raise _Cannot
    try:
        return ctx.coercer(spec)(value)
    except BadValue:
        raise _Cannot from None


_FUNCS: dict[str, Any] = {
    "min": min,
    "max": max,
    "abs": abs,
    "floor": math.floor,
    "ceil": math.ceil,
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "quarter": lambda d: (d.month - 1) // 3 + 1,
    "day": lambda d: d.day,
    "days_between": lambda a, b: (b - a).days,
}


def _eval(node: t.Expr, ctx: _Ctx) -> Any:
    """A run-time value computable from constants, parameters, facts and lets."""
    match node:
        case t.Const(value=value):
            return value
        case t.ParamRef(name=name):
            return ctx.params[name]
        case t.FactRef(name=name) if name in ctx.facts:
            return _runtime(ctx.spec(name), ctx.ev.get(name), ctx)
        case t.Field(obj=t.VarRef(name=var), name=field) if var in ctx.records:
            spec = ctx.record_specs[var][field]
            return _runtime(spec, ctx.records[var].get(field), ctx)
        case t.LocalRef(name=name) if name in ctx.lets:
            return _eval(ctx.lets[name], ctx)
        case t.Neg(operand=operand):
            return -_eval(operand, ctx)
        case t.Arith(op=op, left=left, right=right):
            a, b = _eval(left, ctx), _eval(right, ctx)
            if op == "/":
                if b == 0:
                    raise _Cannot
                return Decimal(a) / Decimal(b)
            return {"+": a + b, "-": a - b, "*": a * b}[op]
        case t.Func(name=name, args=args) if name in _FUNCS:
            return _FUNCS[name](*(_eval(a, ctx) for a in args))
        case t.Cond(cond=cond, then=then, orelse=orelse):
            return _eval(then if _eval(cond, ctx) else orelse, ctx)
        case t.Aggregate(func="count", iterable=t.FactRef(name=name), cond=None):
            records = ctx.ev.get(name)
            if not isinstance(records, list):
                raise _Cannot
            return len(records)
    raise _Cannot


# -- violating ------------------------------------------------------------------------------


def _breakings(ruleset: RuleSet, ev: Evidence, criterion_id: str) -> Iterator[tuple[str, Any]]:
    """Single-fact changes of satisfying ``ev`` that fail ``criterion_id`` only."""
    crit = ruleset.definition.criterion(criterion_id)
    others = {
        name
        for rs in _chain(ruleset)
        for c in rs.criteria
        if not (rs is ruleset and c.id == crit.id)
        for name in c.facts
    }
    enums = ruleset.enumerations
    # facts only this criterion reads first, then shared ones (the check below decides)
    for name in sorted(crit.facts, key=lambda n: n in others):
        if name not in ev:
            continue
        for value in _candidates(ruleset.facts[name], ev[name], enums):
            changed = {**ev, name: value}
            if _all_met_but(ruleset, changed, crit.id):
                yield name, value


def _candidates(spec: FactSpec, current: Any, enums: Mapping[str, EnumerationSpec]) -> list[Any]:
    return kind(spec.type).breaking(spec, current, enums)


# -- boundaries -----------------------------------------------------------------------------


def boundary_values(ruleset: RuleSet) -> dict[str, tuple[Any, ...]]:
    """For every parameter a condition compares with: its value, just below and just
    above (run-time values: percentages as fractions, levels as ranks, dates as dates)."""
    out: dict[str, tuple[Any, ...]] = {}
    for rs in _chain(ruleset):
        params = rs.parameters
        for crit in rs.criteria:
            nodes = [n for _, e in crit.lets for n in t.walk(e)] + t.walk(crit.condition)
            for node in nodes:
                if not isinstance(node, t.Compare):
                    continue
                for side in (node.left, node.right):
                    for sub in t.walk(side):
                        if isinstance(sub, t.ParamRef) and sub.name in params:
                            out.setdefault(sub.name, _around(params[sub.name]))
    return out


def _around(value: Any) -> tuple[Any, ...]:
    if isinstance(value, bool):
        return (value, not value)
    if isinstance(value, int):
        return (value - 1, value, value + 1)
    if isinstance(value, Decimal):
        step = Decimal("0.01")
        return (value - step, value, value + step)
    if isinstance(value, date):
        return (value - timedelta(days=1), value, value + timedelta(days=1))
    return (value,)


__all__ = ["MAX_INTEGER", "boundary_values", "evidence", "repair"]
