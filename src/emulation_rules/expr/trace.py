"""What the three-valued form of a criterion records as it runs: its comparisons, for
explanations ("what was compared", "what would pass"), and its ``if`` branches, for rule
coverage.

The generated ``full`` function is given one :class:`Trace` per criterion (or ``None``
when nothing is to be recorded); the run-time helpers append to it
(:func:`~emulation_rules.expr.runtime.traced`,
:func:`~emulation_rules.expr.runtime.conditional_traced`). Comparisons and branches are
kept in two lists of small records; :meth:`Trace.last_comparisons` and
:meth:`Trace.branches_taken` are the only readers of them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from emulation_rules.expr.runtime import UNKNOWN


class Comparison(NamedTuple):
    """One comparison computed: the comparison's index in the criterion (``node``, its
    ``Compare.index``), its two operands and its result (``True``, ``False`` or
    ``UNKNOWN``)."""

    node: int
    left: Any
    right: Any
    result: Any


class Branch(NamedTuple):
    """One ``if`` expression whose condition was computed: its index in the criterion
    (``node``, its ``Cond.index``) and the condition's value (``True``, ``False`` or
    ``UNKNOWN``)."""

    node: int
    cond: Any


class Trace:
    """The records of one criterion's three-valued evaluation, in the order computed."""

    __slots__ = ("branches", "comparisons")

    def __init__(self) -> None:
        self.comparisons: list[Comparison] = []
        self.branches: list[Branch] = []

    def compared(self, index: int, left: Any, right: Any, result: Any) -> None:
        """Record a comparison."""
        self.comparisons.append(Comparison(index, left, right, result))

    def branched(self, index: int, cond: Any) -> None:
        """Record the condition of an ``if`` expression."""
        self.branches.append(Branch(index, cond))

    def last_comparisons(self) -> dict[int, Comparison]:
        """Each comparison's last record, by index (a comparison inside a ``let`` read
        twice, or inside both branches' reach, may be computed more than once)."""
        return {c.node: c for c in self.comparisons}

    def branches_taken(self) -> tuple[tuple[int, bool | None], ...]:
        """The ``if`` expressions reached, as distinct ``(index, value)``: ``True`` took
        the ``then`` branch, ``False`` the ``else`` branch, ``None`` left it unknown;
        sorted by index."""
        taken = {(b.node, None if b.cond is UNKNOWN else bool(b.cond)) for b in self.branches}
        return tuple(sorted(taken, key=lambda b: (b[0], str(b[1]))))


__all__ = ["Branch", "Comparison", "Trace"]
