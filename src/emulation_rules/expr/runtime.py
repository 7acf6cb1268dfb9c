"""Run-time support of compiled expressions: the ``UNKNOWN`` value and Kleene logic.

Compiled code has two forms (see :mod:`emulation_rules.expr.codegen`): a two-valued one,
run when every fact it reads is known, and a three-valued one built from the helpers
below, run when some fact is missing or an explanation is asked for.
"""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from emulation_rules.errors import EvaluationError
from emulation_rules.formatting import number_text

if TYPE_CHECKING:
    from emulation_rules.expr.trace import Trace


class _Unknown:
    """The third truth value, and the value of any fact that was not given."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; test `is UNKNOWN` instead")

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
U = UNKNOWN


class _KnownNone:
    """The value of a fact known to have none (a document that was never issued), as a
    date fact declaring ``none:`` accepts it: written ``"none"`` in evidence and JSON."""

    _instance: _KnownNone | None = None

    def __new__(cls) -> _KnownNone:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NONE"

    def __str__(self) -> str:
        return NONE_JSON

    def __bool__(self) -> bool:
        raise TypeError("NONE has no truth value; test `is NONE` instead")

    def __reduce__(self) -> str:
        return "NONE"


NONE: Final = _KnownNone()
"""The value "known: none": the value of a date fact declaring ``none:`` when the unit has no such
document (distinct from ``UNKNOWN``, not given). Its evidence and JSON form is ``"none"``."""
NONE_JSON: Final = "none"
"""The evidence and JSON form of :data:`NONE`."""


def exists(value: Any) -> Any:
    """``exists(d)`` three-valued: unknown when ``d`` was not given, False when it is
    known to be none (:data:`NONE`), True when it has a value."""
    if value is U:
        return U
    return value is not NONE


def kand(*values: Any) -> Any:
    """Kleene conjunction of already computed values."""
    result: Any = True
    for v in values:
        if v is False:
            return False
        if v is U:
            result = U
    return result


def kor(*values: Any) -> Any:
    """Kleene disjunction of already computed values."""
    result: Any = False
    for v in values:
        if v is True:
            return True
        if v is U:
            result = U
    return result


def and_traced(trace: Trace | None, *items: Callable[[], Any]) -> Any:
    """Kleene conjunction of lazily computed items. Without a trace it stops at the first
    false item; with one it computes the rest too, so that their comparisons are traced
    (for "what would pass"), ignoring what cannot be computed there (a guarded division)."""
    result: Any = True
    for item in items:
        if result is False:
            if trace is None:
                return False
            with contextlib.suppress(EvaluationError):
                item()
            continue
        value = item()
        if value is False:
            result = False
        elif value is U:
            result = U
    return result


def knot(v: Any) -> Any:
    """Kleene negation."""
    return U if v is U else not v


def conditional(cond: Any, then: Callable[[], Any], orelse: Callable[[], Any]) -> Any:
    """``if cond then a else b`` three-valued: with ``cond`` unknown, the value is known
    only if both branches are known and agree."""
    if cond is True:
        return then()
    if cond is False:
        return orelse()
    a, b = then(), orelse()
    return a if a is not U and b is not U and a == b else U


def conditional_traced(
    trace: Trace | None, index: int, cond: Any, then: Callable[[], Any], orelse: Callable[[], Any]
) -> Any:
    """:func:`conditional`, recording the branch ``index`` and ``cond`` for rule coverage."""
    if trace is not None:
        trace.branched(index, cond)
    return conditional(cond, then, orelse)


def divide(a: Any, b: Any, criterion: str) -> Any:
    """Exact division; a division by zero is an EvaluationError naming the criterion."""
    if b == 0:
        raise EvaluationError(
            f"division by zero ({a} / 0)",
            criterion=criterion,
            message_vi=f"không tính được: chia cho 0 ({number_text(str(a), 'vi')} / 0)",
        )
    return Decimal(a) / Decimal(b)


def u_divide(a: Any, b: Any, criterion: str) -> Any:
    """Three-valued exact division."""
    if a is U or b is U:
        return U
    return divide(a, b, criterion)


def quarter(d: Any) -> int:
    """Quarter of the year (1–4) of a date."""
    return int((d.month + 2) // 3)


def days_between(a: Any, b: Any) -> int:
    """Days from ``a`` to ``b`` (negative if ``b`` is earlier)."""
    return int((b - a).days)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": abs,
    "floor": math.floor,
    "ceil": math.ceil,
    "year": operator.attrgetter("year"),
    "month": operator.attrgetter("month"),
    "day": operator.attrgetter("day"),
    "quarter": quarter,
    "days_between": days_between,
    "min": min,
    "max": max,
    "exists": exists,
}


def lift(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` made three-valued: unknown if any argument is unknown."""

    def lifted(*args: Any) -> Any:
        for a in args:
            if a is U:
                return U
        return func(*args)

    return lifted


COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
FLIPPED: Final = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
"""Each comparison with its operands swapped: ``a op b`` is ``b FLIPPED[op] a``."""
ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
U_COMPARISONS = {op: lift(f) for op, f in COMPARISONS.items()}
U_ARITHMETIC = {op: lift(f) for op, f in ARITHMETIC.items()}
U_FUNCTIONS = {name: lift(f) for name, f in FUNCTIONS.items()}
u_neg = lift(operator.neg)


def u_field(record: Any, index: int) -> Any:
    """Field ``index`` of a record (a tuple), unknown if the record is."""
    return U if record is U else record[index]


def traced(trace: Trace | None, index: int, op: str, a: Any, b: Any) -> Any:
    """Compare ``a op b`` three-valued, and record the operands for the explanation."""
    result = U if a is U or b is U else COMPARISONS[op](a, b)
    if trace is not None:
        trace.compared(index, a, b, result)
    return result


def member(value: Any, items: Iterable[Any], negate: bool) -> Any:
    """``value in items`` three-valued."""
    if value is U:
        return U
    values = list(items)
    if value in values:
        return not negate
    if any(v is U for v in values):
        return U
    return negate


def empty_error(func: str, criterion: str) -> EvaluationError:
    """The error for ``min``/``max`` over no records."""
    return EvaluationError(
        f"{func}() over an empty list has no value",
        criterion=criterion,
        message_vi=f"không tính được {func}() vì danh sách không có mục nào",
    )


def agg_min(values: Iterable[Any], criterion: str) -> Any:
    """``min`` over records (two-valued)."""
    vals = list(values)
    if not vals:
        raise empty_error("min", criterion)
    return min(vals)


def agg_max(values: Iterable[Any], criterion: str) -> Any:
    """``max`` over records (two-valued)."""
    vals = list(values)
    if not vals:
        raise empty_error("max", criterion)
    return max(vals)


def u_aggregate(func: str, pairs: Iterable[tuple[Any, Any]], criterion: str) -> Any:
    """Three-valued aggregate over (filter, element) pairs, one pair per record.

    ``filter`` is True when there is no ``if``; ``element`` is None when the filter is
    False (it was not computed)."""
    if func == "all":
        result: Any = True
        for c, e in pairs:
            if c is False or e is True:
                continue
            if e is False and c is True:
                return False
            result = U
        return result
    if func == "any":
        result = False
        for c, e in pairs:
            if c is False or e is False:
                continue
            if e is True and c is True:
                return True
            result = U
        return result
    if func == "count":
        total = 0
        for c, e in pairs:
            if c is False or e is False:
                continue
            if c is U or e is U:
                return U
            total += 1
        return total
    if func == "sum":
        acc: Any = 0
        for c, e in pairs:
            if c is False:
                continue
            if e is U or (c is U and e != 0):
                return U
            if c is True:
                acc = acc + e
        return acc
    vals = []
    for c, e in pairs:
        if c is False:
            continue
        if c is U or e is U:
            return U
        vals.append(e)
    if not vals:
        raise empty_error(func, criterion)
    return min(vals) if func == "min" else max(vals)
