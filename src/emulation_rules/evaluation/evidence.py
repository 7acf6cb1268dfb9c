"""Checking and normalising one fact's value: the slow path of evidence validation.

The generated validator accepts values already in their run-time form inline (an ``int``
within bounds, a ``bool``, a ``date``); anything else comes here, to be converted (a
float percentage, an ISO date string, an enumeration label) or rejected with a message
saying what was expected. Run-time forms: integers ``int``, decimals ``Decimal``,
percentages ``Decimal`` fractions (``90.1`` → ``0.901``), dates ``date``, enumeration
values their rank, list facts tuples of record tuples (``UNKNOWN`` for a missing field),
texts in Unicode NFC (one spelling per name: :mod:`emulation_rules.text`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from emulation_rules.errors import PathPart, brief
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.loading.values import MAX_DIGITS, MAX_INTEGER
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec, FactType, FieldSpec
from emulation_rules.text import nfc

Coercer = Callable[[Any], Any]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadValue(Exception):
    """Raised by a coercer: ``problems`` are (sub-path, message) pairs."""

    def __init__(self, problems: list[tuple[tuple[PathPart, ...], str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _bad(message: str) -> BadValue:
    return BadValue([((), message)])


def _show(value: Any) -> str:
    text = brief(value) if not isinstance(value, Decimal) else str(value)  # never fails
    return text if len(text) <= 60 else text[:57] + "..."


def integer_bounds(spec: FactSpec | FieldSpec) -> tuple[int, int]:
    """Bounds of an integer fact: ``min`` defaults to 0 (counts are never negative) and
    ``max`` to MAX_INTEGER."""
    lo = 0 if spec.min is None else int(spec.min)
    hi = MAX_INTEGER if spec.max is None else int(spec.max)
    return lo, hi


def _bounds_text(lo: Any, hi: Any) -> str:
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" ≥ {lo}"
    if hi is not None:
        return f" ≤ {hi}"
    return ""


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _bad(f"expected a number, got {_show(value)}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _bad(f"expected a finite number, got {_show(value)}")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _bad(f"expected a finite number, got {_show(value)}")
        return Decimal(repr(value))
    raise _bad(f"expected a number, got {_show(value)}")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def enum_lookup(enum_id: str, spec: EnumerationSpec) -> dict[str, int]:
    """Accepted spellings of an enumeration's levels (id, alias, vi and en labels) → rank."""
    n = len(spec.levels)
    table: dict[str, int] = {}
    for i, level in enumerate(spec.levels):
        rank = n - i
        for spelling in (level.id, level.vi, level.en):
            table[spelling] = rank
            table[unicodedata.normalize("NFC", spelling)] = rank
            table[_norm(spelling)] = rank
    for alias, target in spec.aliases.items():
        table[alias] = table[target]
        table[_norm(alias)] = table[target]
    return table


def make_coercer(
    spec: FactSpec | FieldSpec,
    enums: Mapping[str, EnumerationSpec],
) -> Callable[[Any], Any]:
    """A function normalising a value of this fact, or raising BadValue."""
    ftype = spec.type
    if ftype is FactType.BOOL:

        def coerce_bool(value: Any) -> Any:
            if isinstance(value, bool):
                return value
            raise _bad(f"expected true or false, got {_show(value)}")

        return coerce_bool
    if ftype is FactType.INTEGER:
        lo, hi = integer_bounds(spec)
        what = f"a whole number{_bounds_text(lo, spec.max)}"

        def coerce_int(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, int):
                raise _bad(f"expected {what}, got {_show(value)}")
            if value < lo or value > hi:
                shown = what if value < lo or spec.max is not None else f"a whole number ≤ {hi}"
                raise _bad(f"expected {shown}, got {_show(value)}")
            return value

        return coerce_int
    if ftype in (FactType.DECIMAL, FactType.PERCENTAGE):
        percent = ftype is FactType.PERCENTAGE
        dlo = Decimal(0) if percent else (None if spec.min is None else Decimal(str(spec.min)))
        dhi = Decimal(100) if percent else (None if spec.max is None else Decimal(str(spec.max)))
        what = "a percentage from 0 to 100" if percent else f"a number{_bounds_text(dlo, dhi)}"

        def coerce_decimal(value: Any) -> Any:
            try:
                number = _to_decimal(value)
            except BadValue:
                raise _bad(f"expected {what}, got {_show(value)}") from None
            if (dlo is not None and number < dlo) or (dhi is not None and number > dhi):
                raise _bad(f"expected {what}, got {_show(value)}")
            if len(number.as_tuple().digits) > MAX_DIGITS:
                raise _bad(f"expected at most {MAX_DIGITS} significant digits, got {_show(value)}")
            return number / 100 if percent else number

        return coerce_decimal
    if ftype is FactType.DATE:

        def coerce_date(value: Any) -> Any:
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
            if isinstance(value, str) and _ISO_DATE.match(value):
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            raise _bad(f"expected a date YYYY-MM-DD, got {_show(value)}")

        return coerce_date
    if ftype is FactType.STRING:

        def coerce_str(value: Any) -> Any:
            if isinstance(value, str):
                return nfc(value)  # one spelling per name (a team, a village)
            raise _bad(f"expected a text, got {_show(value)}")

        return coerce_str
    if ftype is FactType.ENUM:
        assert spec.enum is not None
        enum = enums[spec.enum]
        table = enum_lookup(spec.enum, enum)
        ids = ", ".join(level.id for level in enum.levels)

        def coerce_enum(value: Any) -> Any:
            if isinstance(value, str):
                rank = table.get(value)
                if rank is None:
                    rank = table.get(_norm(value))
                if rank is not None:
                    return rank
            raise _bad(f"expected a level of {spec.enum} ({ids}), got {_show(value)}")

        return coerce_enum
    assert isinstance(spec, FactSpec) and spec.fields is not None
    return _list_coercer(spec, enums)


def _list_coercer(spec: FactSpec, enums: Mapping[str, EnumerationSpec]) -> Coercer:
    assert spec.fields is not None
    names = tuple(spec.fields)
    known = frozenset(names)
    field_coercers = tuple(make_coercer(f, enums) for f in spec.fields.values())

    def coerce_list(value: Any) -> tuple[tuple[tuple[Any, ...], ...], bool]:
        if not isinstance(value, list | tuple):
            raise _bad(f"expected a list of records, got {_show(value)}")
        problems: list[tuple[tuple[PathPart, ...], str]] = []
        records = []
        missing = False
        for i, record in enumerate(value):
            if not isinstance(record, Mapping):
                problems.append(((i,), f"expected a record (an object), got {_show(record)}"))
                continue
            for key in record:
                if key not in known:
                    problems.append(((i, str(key)), f"unknown field (fields: {', '.join(names)})"))
            row = []
            for name, coerce in zip(names, field_coercers, strict=True):
                raw = record.get(name)
                if raw is None:
                    missing = True
                    row.append(UNKNOWN)
                    continue
                try:
                    row.append(coerce(raw))
                except BadValue as exc:
                    problems.extend(((i, name, *p), m) for p, m in exc.problems)
                    row.append(UNKNOWN)
            records.append(tuple(row))
        if problems:
            raise BadValue(problems)
        return tuple(records), missing

    return coerce_list


def decimal_or_none(value: Any) -> Decimal | None:
    """``value`` as a Decimal, or None if it is not a number."""
    try:
        return _to_decimal(value)
    except (BadValue, InvalidOperation):
        return None
