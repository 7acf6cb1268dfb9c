"""Pieces of bilingual error messages, written once for every raise site that needs them.

A message is a :class:`~emulation_rules.errors.Bilingual` text (English, carrying its
Vietnamese). The helpers here build the parts many messages share, in both languages at
once: a "did you mean …?" suggestion (:func:`~emulation_rules.errors.did_you_mean` with the
closest known name), a list of choices, the joining of parts, and the
message a caught ``ValueError`` carried (:func:`message_of`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from emulation_rules.errors import Bilingual, did_you_mean, vi_of

__all__ = ["join", "message_of", "suggest", "vi_or_en"]


def vi_or_en(message: str) -> str:
    """The Vietnamese of ``message`` when it carries one, else the message itself."""
    vi = vi_of(message)
    return message if vi is None else vi


def join(*parts: str) -> Bilingual:
    """The parts one after the other, in each language (a plain ``str`` part reads the
    same in both: a name, a quoted value, punctuation)."""
    return Bilingual("".join(str.__str__(p) for p in parts), "".join(vi_or_en(p) for p in parts))


def suggest(name: str, known: Iterable[str], *, quote: str = "`") -> Bilingual:
    """:func:`did_you_mean` with the closest of ``known`` to ``name``, if one is close."""
    hint = difflib.get_close_matches(name, list(known), n=1)
    return did_you_mean(hint[0] if hint else None, quote=quote)


def message_of(exc: BaseException) -> Bilingual:
    """The message an exception was raised with: its :class:`Bilingual` text when it
    carried one (``str(exc)`` would drop the Vietnamese); else its English, quoted in a
    Vietnamese sentence that says it was not translated (the library's own checks always
    raise a ``Bilingual``: this is for a message from elsewhere)."""
    if exc.args and isinstance(exc.args[0], Bilingual) and len(exc.args) == 1:
        return exc.args[0]
    text = str(exc)
    return Bilingual(text, f"lỗi (chưa có bản tiếng Việt): «{text}»")
