"""How numbers, dates, shares and levels are written for a reader: the one formatter.

Vietnamese: ``12.345`` (a dot between thousands), ``38,95`` (a decimal comma),
``31/03/2025`` (dd/mm/yyyy, zero-padded); English: ``12,345``, ``38.95`` and ISO dates
(``2025-03-31``). JSON keeps the canonical forms (ISO dates, plain decimals); only text
read by a person goes through here. Counts of people are whole: a bound computed as
``185,175 người`` is written ``185`` or ``186`` in the direction the comparison reads
(:func:`whole_bound`).

This module imports nothing of the library, so every layer (fact kinds, explanations,
reports, the CLI) can use it.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

__all__ = [
    "date_text",
    "number_text",
    "parse_date_text",
    "roman_numeral",
    "whole_bound",
    "with_unit",
]


def _plain(number: Decimal | int) -> str:
    if isinstance(number, int):
        return str(number)
    return format(number.normalize(), "f")


def number_text(number: Decimal | int | str, lang: str) -> str:
    """A number as a reader writes it: ``12.345,5`` in vi, ``12,345.5`` in en (no exponent,
    no trailing zeros; a plain-decimal text is accepted too). Numbers of four digits are
    not grouped (``2024``, ``1500``), as Vietnamese style allows, so years read as years."""
    text = number if isinstance(number, str) else _plain(number)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    if not whole.isdigit():  # not a plain number: left as it is
        return sign + text
    groups = []
    while len(whole) > 3 and len(text.partition(".")[0]) > 4:  # 2024 stays 2024
        groups.append(whole[-3:])
        whole = whole[:-3]
    groups.append(whole)
    thousands, point = (".", ",") if lang == "vi" else (",", ".")
    out = thousands.join(reversed(groups))
    return sign + out + (point + fraction if fraction else "")


def date_text(day: date | str, lang: str) -> str:
    """A date as a reader writes it: ``31/03/2025`` in vi, ``2025-03-31`` in en (an ISO
    text is accepted too)."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return str(day)
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    return day.isoformat()


def parse_date_text(text: str) -> date | None:
    """``2025-03-31`` or ``31/03/2025`` (also ``31/3/2025``) as a date; None otherwise."""
    text = text.strip()
    try:
        if "/" in text:
            d, m, y = text.split("/")
            if len(y) != 4:
                return None
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def whole_bound(op: str, bound: Decimal | int) -> tuple[str, int]:
    """A bound on a whole count as words state it: ``x < 185.175`` is ``x ≤ 185``,
    ``x > 4.2`` is ``x ≥ 5`` (strict bounds become inclusive on whole numbers)."""
    value = Decimal(bound)
    if op == "<=":
        return "<=", math.floor(value)
    if op == "<":
        return "<=", math.ceil(value) - 1
    if op == ">=":
        return ">=", math.ceil(value)
    if op == ">":
        return ">=", math.floor(value) + 1
    return op, int(value)


_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman_numeral(number: int) -> str:
    """``number`` (1 to 3999) in Roman numerals, as Vietnamese writes quarters and
    sections (``Quý I``, ``Mục II``); other numbers are written in digits."""
    if not 0 < number < 4000:
        return str(number)
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


_INVARIABLE = frozenset({"or", "and", "of", "in", "premises", "series", "news"})


def english_unit(unit: str, value: object) -> str:
    """An English unit agreeing with its number: units are declared in the plural
    (``cases``) or with the plural in brackets (``model(s)``, ``activity(ies)``); one is
    ``1 case``, ``1 model``, ``1 activity``, any other number ``2 models``, ``2
    activities``. Each word agrees (``collectives or individuals``)."""
    one = value == 1 and not isinstance(value, bool)
    words = []
    for word in unit.split(" "):
        if word.endswith("(ies)"):
            stem = word[: -len("(ies)")]
            word = stem if one else stem[:-1] + "ies"
        elif word.endswith("(s)"):
            stem = word[: -len("(s)")]
            word = stem if one else stem + "s"
        elif one and word.lower() not in _INVARIABLE and len(word) > 3:
            word = _singular(word)
        words.append(word)
    return " ".join(words)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def with_unit(shown: str, value: object, unit: str | None, lang: str = "vi") -> str:
    """A number already written (``shown``) with its unit: ``12 buổi``. A unit that is a
    template of the number places it: ``Quý {roman}`` gives ``Quý I`` for 1 (the Roman
    numeral of a whole ``value``), ``quarter {n}`` gives ``quarter 1``. In English
    (``lang="en"``) the unit agrees with the number (:func:`english_unit`)."""
    if not unit:
        return shown
    if "{" not in unit:
        return f"{shown} {english_unit(unit, value) if lang == 'en' else unit}"
    whole = isinstance(value, int) and not isinstance(value, bool)
    roman = roman_numeral(value) if isinstance(value, int) and whole else shown
    return unit.replace("{n}", shown).replace("{roman}", roman)
