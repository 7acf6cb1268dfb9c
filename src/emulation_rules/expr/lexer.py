"""Tokens of the expression language (see docs/expressions.md for the grammar)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import attrs

from emulation_rules.errors import Bilingual, ExpressionError

MAX_LENGTH = 4000
"""Longest expression text accepted, in characters."""

KEYWORDS = frozenset({"and", "or", "not", "if", "then", "else", "true", "false", "for", "in"})

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\d.]))
  | (?P<number>\d+(?:\.\d+)?%?)
  | (?P<string>'[^'\\\n]*'|"[^"\\\n]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
    """,
    re.VERBOSE,
)


@attrs.frozen
class Token:
    """One token: its kind (``number``, ``percent``, ``date``, ``string``, ``name``,
    ``keyword``, ``op``, ``end``), its value and its offset in the text."""

    kind: str
    value: object
    offset: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``end`` token.

    Raises ExpressionError on a character that starts no token, or on text too long.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            Bilingual(
                f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}",
                f"biểu thức dài {len(text)} ký tự; tối đa là {MAX_LENGTH} ký tự",
            ),
            offset=0,
            text=text[:60] + "…",
        )
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise ExpressionError(
                Bilingual(
                    f"unexpected character {text[pos]!r}",
                    f"ký tự {text[pos]!r} không được dùng ở đây",
                ),
                offset=pos,
                text=text,
            )
        kind = m.lastgroup
        raw = m.group()
        assert kind is not None
        if kind == "space":
            pos = m.end()
            continue
        value: object = raw
        if kind == "date":
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                raise ExpressionError(
                    Bilingual(f"invalid date {raw}", f"ngày {raw} không hợp lệ"),
                    offset=pos,
                    text=text,
                ) from None
        elif kind == "number":
            if raw.endswith("%"):
                kind = "percent"
                value = Decimal(raw[:-1]) / 100
            elif "." in raw:
                value = Decimal(raw)
            else:
                value = int(raw)
        elif kind == "string":
            value = raw[1:-1]
        elif kind == "name" and raw in KEYWORDS:
            kind = "keyword"
        tokens.append(Token(kind, value, pos, raw))
        pos = m.end()
    tokens.append(Token("end", None, len(text), ""))
    return tokens
