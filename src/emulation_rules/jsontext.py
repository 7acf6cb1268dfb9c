"""Reading JSON that comes from outside the library, strictly and without surprises.

Every JSON text the library or the CLI reads from a file, a line of a JSON Lines file,
standard input or a database goes through :func:`loads` (the internal pipe to the
durable-rules worker excepted). Next to :func:`json.loads` it:

- reads decimals exactly (``0.7`` is ``Decimal("0.7")``, never a binary float);
- refuses ``NaN``, ``Infinity`` and numbers whose exponent is out of range;
- refuses a key given twice in one object (Python keeps the last one silently);
- accepts a UTF-8 byte order mark at the start (and drops it);
- refuses nesting deeper than :data:`MAX_DEPTH` (a text nested far deeper, 100,000
  levels, stops the C parser near 1,000 levels with a ``RecursionError``, caught here and
  never passed on; anything within that is measured on the parsed data);
- refuses integers of more than :data:`MAX_INT_DIGITS` digits in its own words;
- refuses texts holding a lone surrogate (``"\\ud800"``), which no output can encode;
- refuses bytes that are not UTF-8.

Every refusal is a :class:`~emulation_rules.errors.FormatError` naming the source, the
line and column when known, and the path to the bad value (``units[2].name``).
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from emulation_rules.errors import Bilingual, FormatError, PathPart, brief

MAX_DEPTH = 100
"""The deepest nesting of arrays and objects read (no format of the library needs 10)."""

MAX_INT_DIGITS = 4300
"""The longest integer read, in digits (Python's own limit for converting text)."""

_BOM = "\ufeff"
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Bad:
    """Put in place of a value the hooks refuse; found (with its path) after parsing."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def loads(text: str | bytes, *, where: str | None = None, line: int | None = None) -> Any:
    """Parse one JSON text from outside; ``where`` names its source in errors, ``line``
    the line of the source it is (for one line of a JSON Lines file).

    Raises :class:`~emulation_rules.errors.FormatError` for anything but a well-formed
    JSON text within the bounds above."""
    if isinstance(text, bytes | bytearray):
        text = _decoded(bytes(text), where)
    if not isinstance(text, str):
        raise FormatError(
            f"expected JSON text, got {type(text).__name__}",
            where=where,
            message_vi=f"cần một văn bản JSON, nhận được kiểu {type(text).__name__}",
        )
    if text.startswith(_BOM):
        text = text[1:]
    first = line or 1
    flagged: list[bool] = []
    try:
        try:  # the fast path: C-level decimals and integers (Python refuses long ones)
            data = _parse(
                text, flagged, exact=not 0 < sys.get_int_max_str_digits() <= MAX_INT_DIGITS
            )
        except (ValueError, ArithmeticError) as exc:
            if isinstance(exc, json.JSONDecodeError):
                raise
            # an integer too long, a decimal out of range: again, marking them, to find
            # their path
            data = _parse(text, flagged, exact=True)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"malformed JSON: {exc.msg}",
            where=where,
            line=first + exc.lineno - 1,
            column=exc.colno,
            message_vi=_malformed_vi(exc.msg),
        ) from None
    except RecursionError:  # far deeper than MAX_DEPTH (the C parser stops near 1,000)
        raise _too_deep_error(text, where, first) from None
    surrogates = ("\\u" in text and bool(_SURROGATE_ESCAPE.search(text))) or not _encodable(text)
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep_data(data):
        raise _too_deep_error(text, where, first)
    if flagged or surrogates:
        found = _first_problem(data)
        if found is not None:
            path, message = found
            raise FormatError(
                f"malformed JSON: {message}",
                path=path,
                where=where,
                line=line,
                message_vi=f"JSON không đúng cú pháp: {message.vi}"
                if isinstance(message, Bilingual)
                else None,
            )
    return data


_DECODER_VI = {
    "Expecting value": "thiếu một giá trị",
    "Expecting ',' delimiter": "thiếu dấu phẩy (,)",
    "Expecting ':' delimiter": "thiếu dấu hai chấm (:)",
    "Expecting property name enclosed in double quotes": "thiếu tên trường đặt trong dấu ngoặc kép",
    "Extra data": "có phần thừa sau giá trị JSON",
    "Unterminated string starting at": "chuỗi chưa có dấu ngoặc kép đóng",
    "Invalid control character at": "ký tự điều khiển không hợp lệ trong chuỗi",
    "Invalid \\escape": "ký tự thoát (\\) không hợp lệ",
    "Invalid \\uXXXX escape": "mã \\uXXXX không hợp lệ",
    "Illegal trailing comma before end of object": "dấu phẩy thừa trước dấu đóng }",
    "Illegal trailing comma before end of array": "dấu phẩy thừa trước dấu đóng ]",
}
"""What the JSON decoder's messages say, in Vietnamese."""


def _malformed_vi(message: str) -> str | None:
    """``malformed JSON: …`` in Vietnamese, or None for a decoder message not known."""
    said = _DECODER_VI.get(message)
    return None if said is None else f"JSON không đúng cú pháp: {said}"


def _decoded(raw: bytes, where: str | None) -> str:
    """UTF-8 bytes as text; a FormatError naming the first bad byte otherwise."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"not UTF-8 text (byte {exc.start + 1} is {raw[exc.start]:#04x})",
            where=where,
            message_vi=f"không phải văn bản UTF-8 (byte thứ {exc.start + 1} là "
            f"{raw[exc.start]:#04x})",
        ) from None


def _parse(text: str, flagged: list[bool], *, exact: bool) -> Any:
    """``json.loads`` with the library's hooks; ``exact`` marks integers and decimals
    that cannot be read instead of failing on them (slower: a call per number)."""
    if exact:
        return json.loads(
            text,
            parse_float=lambda s: _decimal(s, flagged),
            parse_int=lambda s: _integer(s, flagged),
            parse_constant=lambda s: _constant(s, flagged),
            object_pairs_hook=lambda pairs: _object(pairs, flagged),
        )
    return json.loads(
        text,
        parse_float=Decimal,
        parse_constant=lambda s: _constant(s, flagged),
        object_pairs_hook=lambda pairs: _object(pairs, flagged),
    )


def _too_deep_error(text: str, where: str | None, first: int) -> FormatError:
    offset = _too_deep(text)
    if offset is None:  # within MAX_DEPTH, but read from deep inside a call stack
        return FormatError(
            "malformed JSON: nested too deeply to read here",
            where=where,
            message_vi="JSON không đúng cú pháp: lồng nhau quá sâu, không đọc được ở đây",
        )
    at_line, column = _place(text, offset)
    return FormatError(
        f"malformed JSON: nested more than {MAX_DEPTH} levels deep",
        message_vi=f"JSON không đúng cú pháp: lồng nhau quá {MAX_DEPTH} cấp",
        where=where,
        line=first + at_line - 1,
        column=column,
    )


def _too_deep(text: str) -> int | None:
    """The offset of the first bracket nested deeper than MAX_DEPTH, outside strings."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _place(text: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def _decimal(text: str, flagged: list[bool]) -> Decimal | _Bad:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        flagged.append(True)
        return _Bad(
            Bilingual(
                f"the number {brief(text)} is out of range",
                f"số {brief(text)} nằm ngoài khoảng đọc được",
            )
        )
    return value


def _integer(text: str, flagged: list[bool]) -> int | _Bad:
    digits = len(text) - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        flagged.append(True)
        return _Bad(
            Bilingual(
                f"an integer of {digits} digits (at most {MAX_INT_DIGITS} are read)",
                f"một số nguyên có {digits} chữ số (chỉ đọc được tối đa {MAX_INT_DIGITS})",
            )
        )
    try:
        return int(text)
    except ValueError:  # the host lowered Python's limit (sys.set_int_max_str_digits)
        flagged.append(True)
        return _Bad(
            f"an integer of {digits} digits (Python reads at most {sys.get_int_max_str_digits()})"
        )


def _constant(name: str, flagged: list[bool]) -> _Bad:
    flagged.append(True)
    return _Bad(
        Bilingual(f"{name} is not a number JSON allows", f"{name} không phải là số JSON cho phép")
    )


def _object(pairs: list[tuple[str, Any]], flagged: list[bool]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        flagged.append(True)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                shown = brief(_safe(key))
                out[key] = _Bad(
                    Bilingual(
                        f"the key {shown} is given twice in one object",
                        f"tên trường {shown} xuất hiện hai lần trong cùng một đối tượng",
                    )
                )
            seen.add(key)
    return out


def _encodable(text: str) -> bool:
    """Whether a text holds no lone surrogate (faster than a search, for long texts)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _safe(text: str) -> str:
    """A text with any lone surrogate written as an escape (``\\ud800``)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _too_deep_data(data: Any) -> bool:
    """Whether parsed data nests deeper than MAX_DEPTH (a walk of its containers)."""
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        for sub in item.values() if isinstance(item, dict) else item:
            if isinstance(sub, dict | list):
                stack.append((sub, depth + 1))
    return False


def _safe_path(path: tuple[PathPart, ...]) -> tuple[PathPart, ...]:
    return tuple(_safe(p) if isinstance(p, str) else p for p in path)


def _first_problem(data: Any) -> tuple[tuple[PathPart, ...], str] | None:
    """The path and message of the first refused value (a marked one, a text with a lone
    surrogate), in document order; keys are looked at as texts at their object's path."""
    stack: list[tuple[tuple[PathPart, ...], Any]] = [((), data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            children: list[tuple[tuple[PathPart, ...], Any]] = []
            for key, sub in item.items():
                children += [(path, key), ((*path, key), sub)]
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(((*path, i), sub) for i, sub in reversed(list(enumerate(item))))
        elif isinstance(item, _Bad):
            return _safe_path(path), item.message
        elif isinstance(item, str) and _SURROGATE.search(item):
            shown = _safe(item)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            message = f'the text "{shown}" holds a lone surrogate (it is not Unicode)'
            return _safe_path(path), message
    return None


__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "loads"]
