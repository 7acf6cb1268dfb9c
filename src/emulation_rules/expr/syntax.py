"""The untyped syntax tree the parser produces. Every node keeps its text span."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class Node:
    """Base of syntax nodes: ``start`` and ``end`` are offsets into the source text."""

    start: int
    end: int


@attrs.frozen
class Literal(Node):
    """A literal: ``kind`` is ``integer``, ``decimal``, ``percent``, ``date``, ``string``
    or ``bool``."""

    kind: str
    value: Any


@attrs.frozen
class Name(Node):
    """A bare name: a fact, a parameter, a local value, a loop variable or an enum level."""

    id: str


@attrs.frozen
class Attribute(Node):
    """``obj.name``: a field of a record, or a level of a named enumeration."""

    obj: Node
    name: str


@attrs.frozen
class Unary(Node):
    """``-x``."""

    op: str
    operand: Node


@attrs.frozen
class Binary(Node):
    """``a + b``, ``a - b``, ``a * b``, ``a / b``."""

    op: str
    left: Node
    right: Node


@attrs.frozen
class Compare(Node):
    """A comparison, possibly chained: ``a <= b < c`` has two ops and three operands.

    ``in`` and ``not in`` take a ``ListLiteral`` on their right."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


@attrs.frozen
class BoolOp(Node):
    """``a and b and c`` or ``a or b``."""

    op: str
    values: tuple[Node, ...]


@attrs.frozen
class Not(Node):
    """``not x``."""

    operand: Node


@attrs.frozen
class IfElse(Node):
    """``if cond then a else b``."""

    cond: Node
    then: Node
    orelse: Node


@attrs.frozen
class Call(Node):
    """``f(a, b)``: a built-in function."""

    func: str
    args: tuple[Node, ...]


@attrs.frozen
class Comprehension(Node):
    """``f(element for var in iterable if cond)``: an aggregate over a list fact."""

    func: str
    element: Node
    var: str
    iterable: Node
    cond: Node | None


@attrs.frozen
class ListLiteral(Node):
    """``[a, b, c]``: only on the right of ``in``."""

    items: tuple[Node, ...]
