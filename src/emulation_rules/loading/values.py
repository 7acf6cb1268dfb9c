"""Typed values written in rule-set files: parameter values, bounds, percentages."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from emulation_rules.expr.types import (
    T_BOOL,
    T_DATE,
    T_DECIMAL,
    T_INTEGER,
    T_PERCENT,
    T_STRING,
    EnumType,
    Type,
)
from emulation_rules.model.ruleset import FactType

MAX_INTEGER = 10**15
"""Default upper bound of integer facts: far above any count, and low enough that every
computation with a percentage stays exact within the 28 digits of decimal arithmetic."""
MAX_DIGITS = 20
"""Most significant digits a decimal or percentage value in evidence may have."""

_PERCENT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")

SCALAR_TYPES: dict[FactType, Type] = {
    FactType.BOOL: T_BOOL,
    FactType.INTEGER: T_INTEGER,
    FactType.DECIMAL: T_DECIMAL,
    FactType.PERCENTAGE: T_PERCENT,
    FactType.DATE: T_DATE,
    FactType.STRING: T_STRING,
}


def parse_value(raw: Any, ftype: FactType, enum: EnumType | None = None) -> Any:
    """The run-time value of ``raw`` written in a file for a value of type ``ftype``.

    Percentages are written with ``%`` (``5%``, ``1.5%``) and become fractions
    (``Decimal("0.05")``); enumeration values are level ids and become ranks.
    Raises ValueError with a message saying what was expected.
    """
    if ftype is FactType.BOOL:
        if isinstance(raw, bool):
            return raw
        raise ValueError(f"expected true or false, got {raw!r}")
    if ftype is FactType.INTEGER:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ValueError(f"expected a whole number, got {raw!r}")
    if ftype is FactType.DECIMAL:
        if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return Decimal(raw)
            except InvalidOperation:
                pass
        raise ValueError(f"expected a number, got {raw!r}")
    if ftype is FactType.PERCENTAGE:
        m = _PERCENT_RE.match(raw) if isinstance(raw, str) else None
        if m is None:
            raise ValueError(
                f"expected a percentage written with %, such as 5% or 1.5%, got {raw!r}"
            )
        value = Decimal(m.group(1))
        if value > 100:
            raise ValueError(f"a percentage cannot be over 100%, got {raw!r}")
        return value / 100
    if ftype is FactType.DATE:
        if isinstance(raw, date):
            return raw
        raise ValueError(f"expected a date YYYY-MM-DD, got {raw!r}")
    if ftype is FactType.STRING:
        if isinstance(raw, str):
            return raw
        raise ValueError(f"expected a text, got {raw!r}")
    if ftype is FactType.ENUM:
        assert enum is not None
        if isinstance(raw, str) and raw in enum.levels:
            return enum.rank(raw)
        raise ValueError(f"expected a level of {enum.id} ({', '.join(enum.levels)}), got {raw!r}")
    raise ValueError(f"a {ftype.value} cannot be written as a single value")
