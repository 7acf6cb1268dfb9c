"""Run-time values → their canonical JSON form and their display in vi and en."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.types import BOOL, DATE, ENUM, LIST, NUMBER, Type
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import EnumerationSpec


def kind_of(t: Type) -> str:
    """The ``kind`` recorded beside a value in a verdict."""
    if t.kind == NUMBER:
        return t.number_kind or "decimal"
    return t.kind


def plain_decimal(d: Decimal | int) -> str:
    """A number as plain text: no exponent, no trailing zeros (``Decimal("1.50")`` → ``1.5``,
    ``Decimal("1E+2")`` → ``100``)."""
    return format(Decimal(d).normalize(), "f")


def to_json_value(value: Any, t: Type) -> int | bool | str | None:
    """The canonical JSON form of a run-time value (see :mod:`emulation_rules.model.verdict`)."""
    if value is UNKNOWN or value is None:
        return None
    if t.kind == BOOL:
        return bool(value)
    if t.kind == NUMBER:
        if t.number_kind == "percent":
            return plain_decimal(Decimal(value) * 100)
        if isinstance(value, int) and t.number_kind == "integer":
            return value
        if (
            isinstance(value, Decimal)
            and value == value.to_integral_value()
            and t.number_kind == "integer"
        ):
            return int(value)
        return plain_decimal(Decimal(value))
    if t.kind == DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if t.kind == ENUM and t.enum is not None:
        return t.enum.level(int(value))
    if t.kind == LIST:
        return len(value)
    return str(value)


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
    if value is None:
        return "chưa có" if lang == "vi" else "not given"
    if kind == "bool":
        if lang == "vi":
            return "có" if value else "không"
        return "yes" if value else "no"
    if kind == "date" and isinstance(value, str):
        if lang == "vi":
            y, m, d = value.split("-")
            return f"{d}/{m}/{y}"
        return value
    if kind == "enum" and enums and enum_id and enum_id in enums:
        for level in enums[enum_id].levels:
            if level.id == value:
                return level.vi if lang == "vi" else level.en
    if kind == "list":
        return f"{value} bản ghi" if lang == "vi" else f"{value} records"
    text = str(value)
    if kind in ("decimal", "percent", "integer") and lang == "vi":
        text = text.replace(".", ",")
    if kind == "percent":
        text += "%"
    if unit is not None:
        text += f" {unit.get(lang)}"
    return text


Formatter = Callable[[Any], tuple[int | bool | str | None, str, str]]


def formatter(
    t: Type,
    *,
    unit: Text | None = None,
    enums: Mapping[str, EnumerationSpec] | None = None,
    enum_id: str | None = None,
) -> Formatter:
    """A function giving a run-time value's canonical JSON form and its display in vi and
    en, specialised once per fact so that explaining a unit makes one call per value."""
    kind = kind_of(t)
    vi_unit = f" {unit.vi}" if unit else ""
    en_unit = f" {unit.en}" if unit else ""
    if kind == "integer":

        def integer(value: Any) -> tuple[int | bool | str | None, str, str]:
            if value is UNKNOWN:
                return None, "chưa có", "not given"
            if value.__class__ is int:
                return value, f"{value}{vi_unit}", f"{value}{en_unit}"
            json_value = to_json_value(value, t)
            return json_value, f"{json_value}{vi_unit}".replace(".", ","), f"{json_value}{en_unit}"

        return integer
    if kind == "bool":
        known = {True: (True, "có", "yes"), False: (False, "không", "no")}

        def boolean(value: Any) -> tuple[int | bool | str | None, str, str]:
            return (None, "chưa có", "not given") if value is UNKNOWN else known[value]

        return boolean

    def general(value: Any) -> tuple[int | bool | str | None, str, str]:
        json_value = to_json_value(value, t)
        return (
            json_value,
            display(json_value, kind, "vi", unit=unit, enums=enums, enum_id=enum_id),
            display(json_value, kind, "en", unit=unit, enums=enums, enum_id=enum_id),
        )

    return general
