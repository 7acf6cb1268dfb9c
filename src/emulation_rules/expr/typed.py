"""The typed tree the checker produces and the compiler consumes.

Every node has a ``type`` and the ``text`` of the source it came from (for explanations).
"""

from __future__ import annotations

from typing import Any

import attrs

from emulation_rules.expr.types import Type


@attrs.frozen
class Expr:
    """Base of typed nodes."""

    type: Type
    text: str


@attrs.frozen
class Const(Expr):
    """A constant: a literal or an enumeration level (its rank)."""

    value: Any


@attrs.frozen
class FactRef(Expr):
    """A fact of the evidence (or a prerequisite's outcome, as a boolean fact)."""

    name: str


@attrs.frozen
class ParamRef(Expr):
    """A parameter of the rule set: a constant once the rule set is loaded for a date."""

    name: str


@attrs.frozen
class LocalRef(Expr):
    """A value the criterion computed earlier (its ``let``)."""

    name: str


@attrs.frozen
class VarRef(Expr):
    """The loop variable of an aggregate: one record of a list fact."""

    name: str


@attrs.frozen
class Field(Expr):
    """A field of a record."""

    obj: Expr
    name: str
    index: int


@attrs.frozen
class Neg(Expr):
    """``-x``."""

    operand: Expr


@attrs.frozen
class Arith(Expr):
    """``left op right`` with op in ``+ - * /``."""

    op: str
    left: Expr
    right: Expr


@attrs.frozen
class Compare(Expr):
    """One comparison ``left op right``; ``index`` numbers it for explanations
    (-1 inside an aggregate, where it is not traced)."""

    op: str
    left: Expr
    right: Expr
    index: int


@attrs.frozen
class Chain(Expr):
    """A chained comparison ``a < b <= c``: the conjunction of its links, each operand
    computed once."""

    operands: tuple[Expr, ...]
    links: tuple[Compare, ...]


@attrs.frozen
class Member(Expr):
    """``x in [a, b]`` (``negate`` for ``not in``)."""

    operand: Expr
    items: tuple[Expr, ...]
    negate: bool


@attrs.frozen
class And(Expr):
    """Kleene conjunction."""

    items: tuple[Expr, ...]


@attrs.frozen
class Or(Expr):
    """Kleene disjunction."""

    items: tuple[Expr, ...]


@attrs.frozen
class Not(Expr):
    """Kleene negation."""

    operand: Expr


@attrs.frozen
class Cond(Expr):
    """``if cond then a else b``; ``index`` numbers it within its criterion for rule
    coverage (-1 inside an aggregate, where it is not traced)."""

    cond: Expr
    then: Expr
    orelse: Expr
    index: int = -1


@attrs.frozen
class Func(Expr):
    """A built-in function call (``min max abs floor ceil year month quarter day
    days_between``)."""

    name: str
    args: tuple[Expr, ...]


@attrs.frozen
class Aggregate(Expr):
    """``func(element for var in iterable if cond)`` over a list fact; for ``count(list)``
    the element is the loop variable itself."""

    func: str
    element: Expr
    var: str
    iterable: Expr
    cond: Expr | None


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node."""
    match node:
        case Field(obj=o):
            return (o,)
        case Neg(operand=o) | Not(operand=o):
            return (o,)
        case Arith(left=a, right=b) | Compare(left=a, right=b):
            return (a, b)
        case Chain(links=links):
            return links
        case Member(operand=o, items=items):
            return (o, *items)
        case And(items=items) | Or(items=items):
            return items
        case Cond(cond=c, then=a, orelse=b):
            return (c, a, b)
        case Func(args=args):
            return args
        case Aggregate(element=e, iterable=it, cond=c):
            return (it, e) if c is None else (it, e, c)
    return ()


def walk(node: Expr) -> list[Expr]:
    """Every node of the tree, parents before children."""
    out = [node]
    for child in children(node):
        out.extend(walk(child))
    return out
