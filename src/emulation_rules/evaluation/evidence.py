"""Checking and normalising one fact's value: the slow path of evidence validation.

The generated validator accepts values already in their run-time form inline (an ``int``
within bounds, a ``bool``, a ``date``); anything else comes here, to be converted (a
float percentage, an ISO date string, an enumeration label) or rejected with a message
saying what was expected. Run-time forms: integers ``int``, decimals ``Decimal``,
percentages ``Decimal`` fractions (``90.1`` → ``0.901``), dates ``date``, enumeration
values their rank, list facts tuples of record tuples (``UNKNOWN`` for a missing field).
Each fact kind (:mod:`emulation_rules.model.kinds`) owns its coercion; this module
asks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from emulation_rules.errors import require_choice
from emulation_rules.model.kinds import BadValue, Coercer, enum_lookup, integer_bounds, kind
from emulation_rules.model.kinds import to_decimal as _to_decimal
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec, FieldSpec

__all__ = [
    "BadValue",
    "Coercer",
    "decimal_or_none",
    "enum_lookup",
    "integer_bounds",
    "make_coercer",
]


def make_coercer(
    spec: FactSpec | FieldSpec,
    enums: Mapping[str, EnumerationSpec],
) -> Callable[[Any], Any]:
    """A function normalising a value of this fact, or raising BadValue."""
    return kind(spec.type).coercer(spec, enums)


def decimal_or_none(value: Any) -> Decimal | None:
    """``value`` as a Decimal, or None if it is not a number."""
    try:
        return _to_decimal(value)
    except (BadValue, InvalidOperation):
        return None


UnknownFacts = Literal["error", "ignore", "report"]
"""What a name in the evidence that the rule set does not read is: an error (the
default), ignored, or ignored and reported in the verdict's ``ignored_facts``."""

UNKNOWN_FACTS: tuple[str, ...] = ("error", "ignore", "report")


def check_unknown_facts(policy: object) -> None:
    """Refuse a policy that is not one of :data:`UNKNOWN_FACTS` (an ``ArgumentError``,
    also a ``ValueError``)."""
    require_choice("unknown_facts", policy, UNKNOWN_FACTS)
