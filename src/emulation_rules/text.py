"""One spelling per name: Unicode normalisation of the texts that identify things.

A Vietnamese name can be typed composed (NFC: ``ộ`` is one code point) or decomposed
(NFD: ``o`` + two combining marks); the two look the same on screen but compare unequal.
Every id and name that identifies a unit, a team, a member, a village, a candidate or a
campaign instance is put in NFC where it enters the library (evidence, events,
candidates, campaign instances, YAML files), so that one name is one entity whatever the
keyboard that typed it.

:func:`nfc` is cheap on text already in NFC (ASCII costs one flag test), so it can sit on
the hot path of evidence validation.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (the same object when it already is).

    A value that is not a text is returned unchanged, for the caller's own type check to
    refuse it in its own words."""
    try:
        if text.isascii() or _is_nfc("NFC", text):
            return text
        return _normalize("NFC", text)
    except (AttributeError, TypeError):  # not a text
        return text


def nfc_optional(text: str | None) -> str | None:
    """:func:`nfc` of a text that may be absent."""
    return None if text is None else nfc(text)


def nfc_all(texts: Iterable[str]) -> tuple[str, ...]:
    """:func:`nfc` of each text, as a tuple (a single text, or a value that is not
    iterable, is returned unchanged, for the caller's type check)."""
    if isinstance(texts, str):
        return texts  # type: ignore[return-value]
    try:
        return tuple(nfc(t) for t in texts)
    except TypeError:  # not iterable
        return texts  # type: ignore[return-value]
