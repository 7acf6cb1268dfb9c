"""Typed values written in rule-set files: parameter values, bounds, percentages.

Each fact kind (:mod:`emulation_rules.model.kinds`) owns how its values are written;
this module asks it.
"""

from __future__ import annotations

from typing import Any

from emulation_rules.expr.types import EnumType
from emulation_rules.model.kinds import MAX_DIGITS, MAX_INTEGER, kind
from emulation_rules.model.ruleset import FactType

__all__ = ["MAX_DIGITS", "MAX_INTEGER", "parse_value"]


def parse_value(raw: Any, ftype: FactType, enum: EnumType | None = None) -> Any:
    """The run-time value of ``raw`` written in a file for a value of type ``ftype``.

    Percentages are written with ``%`` (``5%``, ``1.5%``) and become fractions
    (``Decimal("0.05")``); enumeration values are level ids and become ranks.
    Raises ValueError with a message saying what was expected.
    """
    return kind(ftype).parse(raw, enum)
