"""What would pass: requirements on single facts, sufficient as stated.

A criterion's condition is split into its conjuncts; each comparison of a fact with a
known value bounds the fact. The bounds on one fact are gathered from every conjunct (the
ones met too), so that a fact bounded from both sides to one value is required to be
exactly that value (``police_officers`` must equal 9 when 9 officers are rated and 100% is
needed), not just at least one of its bounds. A fact multiplied by a parameter
(``police_officers * police_officers_rated_share <= …``) is bounded when it is missing.
A missing fact that the condition also reads in a way not bounded here gets no
requirement: one that would not be sufficient is left out. A failing disjunction
(``a == 0 or a <= 12``) needs one of its alternatives: the loosest bound when they bound
the same fact, else the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from emulation_rules.expr import typed as t
from emulation_rules.expr.runtime import FLIPPED, UNKNOWN
from emulation_rules.expr.trace import Comparison
from emulation_rules.expr.types import BOOL
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model.kinds import holds, kind_of_type
from emulation_rules.model.verdict import Needed

__all__ = ["appearance", "fact_uses", "needed_of"]


@attrs.define
class _Bounds:
    """The bounds found on one fact, in the order they were found."""

    fact: t.FactRef
    items: list[tuple[str, Any, bool]] = attrs.Factory(list)  # (op, bound, failing)
    captured: int = 0


def needed_of(
    crit: CheckedCriterion,
    last: Mapping[int, Comparison],
    values: Sequence[Any],
    slots: Mapping[str, int],
    params: Mapping[str, Any],
    uses: Mapping[str, int] | None = None,
) -> tuple[Needed, ...]:
    """Requirements on single facts that the condition needs and does not have (``uses``:
    :func:`fact_uses` of ``crit``, when the caller keeps it)."""
    out: list[tuple[str, Needed]] = []
    bounds: dict[str, _Bounds] = {}
    order: dict[str, int] = {}
    for atom in _conjuncts(crit.condition):
        links = atom.links if isinstance(atom, t.Chain) else (atom,)
        for link in links:
            if isinstance(link, t.Compare):
                name = _bound(link, last, values, slots, params, bounds)
                if name is not None:
                    order.setdefault(name, len(order))
        if isinstance(atom, t.Or):
            chosen = _alternative(atom, last, values, slots, params)
            if chosen is not None:
                order.setdefault(chosen[0].fact, len(order))
                out.extend((n.fact, n) for n in chosen)
            continue
        if isinstance(atom, t.FactRef) and atom.type.kind == BOOL:
            order.setdefault(atom.name, len(order))
            if values[slots[atom.name]] is not True:
                out.append((atom.name, Needed(atom.name, "==", True, "bool")))
        elif (
            isinstance(atom, t.Not)
            and isinstance(atom.operand, t.FactRef)
            and atom.operand.type.kind == BOOL
            and values[slots[atom.operand.name]] is not False
        ):
            order.setdefault(atom.operand.name, len(order))
            out.append((atom.operand.name, Needed(atom.operand.name, "==", False, "bool")))
    if uses is None:
        uses = fact_uses(crit)
    for name, found in bounds.items():
        if values[slots[name]] is UNKNOWN and uses.get(name, 0) > found.captured:
            continue  # read elsewhere too: a bound alone would not be sufficient
        out.extend((name, n) for n in _requirements(found))
    out.sort(key=lambda item: order[item[0]])
    return tuple(n for _, n in out)


def _alternative(
    node: t.Or,
    last: Mapping[int, Comparison],
    values: Sequence[Any],
    slots: Mapping[str, int],
    params: Mapping[str, Any],
) -> list[Needed] | None:
    """What would pass a failing disjunction: meeting one alternative is enough, so one
    sufficient alternative is required. Each alternative must bound one fact; of several
    on the same fact the loosest is taken (``drug_addicts == 0 or drug_addicts <= 12``
    needs ``drug_addicts <= 12``), else the first. None when the disjunction holds or an
    alternative is not a bound on one fact."""
    options: list[list[Needed]] = []
    for item in node.items:
        links = item.links if isinstance(item, t.Chain) else (item,)
        if not all(isinstance(link, t.Compare) for link in links):
            return None
        found: dict[str, _Bounds] = {}
        for link in links:
            if isinstance(link, t.Compare):
                _bound(link, last, values, slots, params, found)
        if len(found) != 1:
            return None
        (bounds,) = found.values()
        if len(bounds.items) != len(links):
            return None
        if not any(failing for _, _, failing in bounds.items):
            return None  # this alternative holds: so does the disjunction
        needs = _requirements(bounds)
        if not needs:
            return None
        options.append(needs)
    return _loosest(options) if options else None


def _loosest(options: list[list[Needed]]) -> list[Needed]:
    """Of alternatives that each require one bound on the same fact, all upper (``<=``,
    ``==``) or all lower (``>=``, ``==``), the loosest; otherwise the first that is a
    bound rather than one exact value (``amnestied == 0 or reoffenders < limit`` needs
    ``reoffenders <= 2``: a unit can act on that one), else the first."""
    singles = [o[0] for o in options if len(o) == 1]
    if len(singles) != len(options) or len({n.fact for n in singles}) != 1:
        bounds = [o for o in options if any(n.op != "==" for n in o)]
        return (bounds or options)[0]
    numbers = [n for n in singles if isinstance(n.value, int | float | Decimal)]
    if len(numbers) != len(singles):
        return options[0]
    if all(n.op in ("<=", "==") for n in numbers):
        return [max(numbers, key=lambda n: Decimal(str(n.value)))]
    if all(n.op in (">=", "==") for n in numbers):
        return [min(numbers, key=lambda n: Decimal(str(n.value)))]
    return options[0]


def _requirements(found: _Bounds) -> list[Needed]:
    """The failing bounds as requirements, or one equality when the bounds leave one
    value."""
    fact = found.fact
    fkind = kind_of_type(fact.type)
    if fkind is None or not fkind.gives_needed:
        return []
    tightened = [(*fkind.tighten(op, bound), failing) for op, bound, failing in found.items]
    if not any(failing for _, _, failing in tightened):
        return []
    lows = [b for op, b, _ in tightened if op in (">=", "==")]
    highs = [b for op, b, _ in tightened if op in ("<=", "==")]
    if lows and highs and all(op in (">=", "<=", "==") for op, _, _ in tightened):
        low, high = max(lows), min(highs)
        if low == high:
            return [Needed(fact.name, "==", fkind.to_json(low, fact.type), fkind.json_name)]
    return [
        Needed(fact.name, op, fkind.to_json(bound, fact.type), fkind.json_name)
        for op, bound, failing in tightened
        if failing
    ]


def _bound(
    node: t.Compare,
    last: Mapping[int, Comparison],
    values: Sequence[Any],
    slots: Mapping[str, int],
    params: Mapping[str, Any],
    bounds: dict[str, _Bounds],
) -> str | None:
    seen = last.get(node.index)
    if seen is not None:
        failing = seen.result is not True
        a, b = seen.left, seen.right
    else:  # not run (a chain stops at its first failing link): read simple sides
        a = _static(node.left, values, slots, params)
        b = _static(node.right, values, slots, params)
        if a is UNKNOWN or b is UNKNOWN:
            return None
        failing = not holds(a, node.op, b)
    for side, other, op in ((node.left, b, node.op), (node.right, a, FLIPPED[node.op])):
        if other is UNKNOWN:
            continue
        fact, bound = _solve(side, op, other, values, slots, params)
        if fact is None:
            continue
        found = bounds.setdefault(fact.name, _Bounds(fact))
        found.items.append((bound[0], bound[1], failing))
        found.captured += 1
        return fact.name
    return None


def _solve(
    side: t.Expr,
    op: str,
    other: Any,
    values: Sequence[Any],
    slots: Mapping[str, int],
    params: Mapping[str, Any],
) -> tuple[t.FactRef | None, tuple[str, Any]]:
    """The fact of ``side`` and its bound from ``side op other``: a fact itself, or a
    missing fact times a positive parameter or constant."""
    if isinstance(side, t.FactRef):
        return side, (op, other)
    if not (isinstance(side, t.Arith) and side.op == "*"):
        return None, (op, other)
    for fact, factor in ((side.left, side.right), (side.right, side.left)):
        if not isinstance(fact, t.FactRef) or values[slots[fact.name]] is not UNKNOWN:
            continue
        k = _constant(factor, params)
        if k is None or k <= 0 or not isinstance(other, int | Decimal):
            continue
        return fact, (op, Decimal(other) / Decimal(k))
    return None, (op, other)


def _static(
    node: t.Expr, values: Sequence[Any], slots: Mapping[str, int], params: Mapping[str, Any]
) -> Any:
    """The value of a fact, a parameter or a constant; UNKNOWN for anything else."""
    if isinstance(node, t.FactRef):
        return values[slots[node.name]]
    if isinstance(node, t.ParamRef):
        return params.get(node.name, UNKNOWN)
    if isinstance(node, t.Const):
        return node.value
    return UNKNOWN


def _constant(node: t.Expr, params: Mapping[str, Any]) -> Any:
    if isinstance(node, t.Const) and isinstance(node.value, int | Decimal):
        return node.value
    if isinstance(node, t.ParamRef):
        value = params.get(node.name)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return value
    return None


def _children(node: Any) -> Iterator[t.Expr]:
    if isinstance(node, t.Chain):  # its operands are the links' sides
        yield from node.links
        return
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, t.Expr):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, t.Expr))


def _walk(node: t.Expr) -> Iterator[t.Expr]:
    yield node
    for child in _children(node):
        yield from _walk(child)


def fact_uses(crit: CheckedCriterion) -> dict[str, int]:
    """How many times the condition and the lets read each fact."""
    out: dict[str, int] = {}
    for root in (*(e for _, e in crit.lets), crit.condition):
        for node in _walk(root):
            if isinstance(node, t.FactRef):
                out[node.name] = out.get(node.name, 0) + 1
    return out


def appearance(crit: CheckedCriterion) -> list[str]:
    """Facts and parameters in the order the criterion reads them: the condition from
    left to right, a computed value's facts where the condition uses it, then the facts
    only the other computed values read (for explanations to name them in the criterion's
    own order, not by their ids)."""
    lets = dict(crit.lets)
    out: dict[str, None] = {}
    expanded: set[str] = set()

    def visit(node: t.Expr) -> None:
        if isinstance(node, t.FactRef | t.ParamRef):
            out.setdefault(node.name, None)
        elif isinstance(node, t.LocalRef) and node.name in lets and node.name not in expanded:
            expanded.add(node.name)
            visit(lets[node.name])
        for child in _children(node):
            visit(child)

    visit(crit.condition)
    for name, expr in crit.lets:
        if name not in expanded:
            expanded.add(name)
            visit(expr)
    return list(out)


def _conjuncts(node: t.Expr) -> list[t.Expr]:
    if isinstance(node, t.And):
        out: list[t.Expr] = []
        for item in node.items:
            out.extend(_conjuncts(item))
        return out
    return [node]
