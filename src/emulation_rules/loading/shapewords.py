"""The shape problems of a data file (a key unknown or missing, a value of the wrong type)
in Vietnamese.

The converter (:mod:`emulation_rules.model.converter`) says what does not fit in English
(``required key is missing``, ``expected a text, got 5``); a file's loading error reads in
both languages. :func:`shape_message` gives a problem as a
:class:`~emulation_rules.errors.Bilingual` text: the converter's own when it carries its
Vietnamese, else its English with the Vietnamese said here.
"""

from __future__ import annotations

import re

from emulation_rules.errors import Bilingual

_FIXED = {
    "unknown key (not part of the format)": "khóa không thuộc định dạng của tệp",
    "required key is missing": "thiếu khóa bắt buộc",
}

_WHAT = {
    "a text": "một giá trị văn bản",
    "a whole number": "một số nguyên",
    "true or false": "true (có) hoặc false (không)",
    "a decimal number": "một số thập phân",
    "a finite decimal number": "một số thập phân hữu hạn",
    "a date YYYY-MM-DD": "một ngày theo dạng YYYY-MM-DD",
    "a number, a text, true/false or null": "một số, một văn bản, true/false hoặc null",
}

_EXPECTED = re.compile(r"^expected (.+?), got (.*)$", re.DOTALL)
_TIME_OF_DAY = re.compile(r"^expected a date YYYY-MM-DD, not a time of day \((.*)\)$", re.DOTALL)
_NOT_ONE_OF = re.compile(r"^(.*) is not one of: (.*)$", re.DOTALL)
_WRONG_KIND = re.compile(r"^a value of the wrong kind \((.*)\)$", re.DOTALL)


def shape_vi(message: str) -> str | None:
    """The Vietnamese of a converter's problem message, or None for one not known."""
    fixed = _FIXED.get(message)
    if fixed is not None:
        return fixed
    found = _TIME_OF_DAY.match(message)
    if found:
        return f"cần một ngày theo dạng YYYY-MM-DD, không phải một thời điểm ({found[1]})"
    found = _EXPECTED.match(message)
    if found and found[1] in _WHAT:
        return f"cần {_WHAT[found[1]]}, nhận được {found[2]}"
    found = _NOT_ONE_OF.match(message)
    if found:
        return f"{found[1]} không thuộc các giá trị: {found[2]}"
    found = _WRONG_KIND.match(message)
    if found:
        return f"giá trị không đúng loại ({found[1]})"
    return None


def shape_message(message: str) -> Bilingual:
    """A converter's problem as a :class:`Bilingual` text (the English quoted in the
    Vietnamese sentence when it is not a known one)."""
    if isinstance(message, Bilingual):
        return message
    vi = shape_vi(message)
    return Bilingual(message, vi if vi is not None else f"dữ liệu không đúng định dạng: {message}")
