"""Run-time values → their canonical JSON form and their display in vi and en.

Each fact kind (:mod:`emulation_rules.model.kinds`) owns its JSON form and display; these
functions find the kind of an expression type or of a verdict's ``kind`` and ask it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from emulation_rules.expr.runtime import NONE, NONE_JSON, UNKNOWN
from emulation_rules.expr.types import Type
from emulation_rules.model.common import Text
from emulation_rules.model.kinds import TEXT, Formatter, Kind, kind_named, kind_of_type
from emulation_rules.model.ruleset import EnumerationSpec

__all__ = ["Formatter", "display", "formatter", "json_writer", "kind_of", "to_json_value"]


def _kind(t: Type) -> Kind:
    return kind_of_type(t) or TEXT


def kind_of(t: Type) -> str:
    """The ``kind`` recorded beside a value in a verdict."""
    found = kind_of_type(t)
    return found.json_name if found is not None else t.kind


def plain_decimal(d: Decimal | int) -> str:
    """A number as plain text: no exponent, no trailing zeros (``Decimal("1.50")`` → ``1.5``,
    ``Decimal("1E+2")`` → ``100``)."""
    return format(Decimal(d).normalize(), "f")


def to_json_value(value: Any, t: Type) -> int | bool | str | None:
    """The canonical JSON form of a run-time value (see :mod:`emulation_rules.model.verdict`)."""
    if value is UNKNOWN or value is None:
        return None
    return (kind_of_type(t) or TEXT).json_of(value, t)


def json_writer(t: Type) -> Callable[[Any], int | bool | str | None]:
    """:func:`to_json_value` specialised once for the type ``t`` (its kind looked up
    once), for the hot path of explanations."""
    json_of = _kind(t).json_of

    def write(value: Any) -> int | bool | str | None:
        return None if value is UNKNOWN or value is None else json_of(value, t)

    return write


def display(
    value: int | bool | str | None,
    kind: str,
    lang: str,
    *,
    unit: Text | None = None,
    enums: Mapping[str, EnumerationSpec] | None = None,
    enum_id: str | None = None,
) -> str:
    """A canonical value as an officer reads it: ``38,95`` and ``31/03/2025`` in
    Vietnamese, ``38.95`` and ``2025-03-31`` in English; levels by their label."""
    return (kind_named(kind) or TEXT).display(value, lang, unit=unit, enums=enums, enum_id=enum_id)


def formatter(
    t: Type,
    *,
    unit: Text | None = None,
    enums: Mapping[str, EnumerationSpec] | None = None,
    enum_id: str | None = None,
    none: Text | None = None,
) -> Formatter:
    """A function giving a run-time value's canonical JSON form and its display in vi and
    en, specialised once per fact so that explaining a unit makes one call per value.
    ``none`` gives the words of a fact known to have none (:data:`NONE`, JSON ``"none"``)."""
    general = _kind(t).formatter(t, unit=unit, enums=enums, enum_id=enum_id)
    if none is None:
        return general
    known_none: tuple[int | bool | str | None, str, str] = (NONE_JSON, none.vi, none.en)

    def with_none(value: Any) -> tuple[int | bool | str | None, str, str]:
        return known_none if value is NONE else general(value)

    return with_none
