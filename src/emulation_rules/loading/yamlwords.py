"""The YAML parser's complaints in Vietnamese.

PyYAML (and libyaml, its C parser) say what is wrong with a file in English
(``mapping values are not allowed here``, ``did not find expected key``). A malformed file
is reported in both languages: :func:`problem_vi` says the common complaints in
Vietnamese, and quotes the parser's own words for a rare one it does not know.
"""

from __future__ import annotations

import re

from emulation_rules.errors import Bilingual

_FIXED = {
    "mapping values are not allowed here": "không được có giá trị (dấu hai chấm) ở vị trí này",
    "mapping values are not allowed in this context": (
        "không được có giá trị (dấu hai chấm) ở vị trí này"
    ),
    "mapping keys are not allowed here": "không được có khóa ở vị trí này",
    "mapping keys are not allowed in this context": "không được có khóa ở vị trí này",
    "sequence entries are not allowed here": "không được có phần tử danh sách (-) ở vị trí này",
    "block sequence entries are not allowed in this context": (
        "không được có phần tử danh sách (-) ở vị trí này"
    ),
    "did not find expected key": (
        "không tìm thấy khóa ở chỗ cần có (thường do thụt lề không thẳng hàng)"
    ),
    "could not find expected ':'": "thiếu dấu hai chấm (:) sau khóa",
    "did not find expected ':'": "thiếu dấu hai chấm (:) sau khóa",
    "did not find expected ',' or ']'": "thiếu dấu phẩy (,) hoặc dấu đóng ngoặc (])",
    "did not find expected ',' or '}'": "thiếu dấu phẩy (,) hoặc dấu đóng ngoặc (})",
    "did not find expected '-' indicator": (
        "thiếu dấu gạch đầu dòng (-) của phần tử danh sách (thường do thụt lề không thẳng hàng)"
    ),
    "did not find expected node content": "thiếu giá trị ở chỗ cần có",
    "did not find expected <document start>": "có phần thừa sau khi tài liệu YAML đã kết thúc",
    "found unexpected end of stream": "tệp kết thúc khi một giá trị còn dở dang",
    "found unknown escape character": "ký tự thoát (sau dấu \\) không hợp lệ",
    "found character that cannot start any token": (
        "có ký tự không được đứng đầu một giá trị (như dấu tab dùng để thụt lề, @ hoặc `)"
    ),
    "found a tab character that violates indentation": (
        "có ký tự tab làm sai thụt lề (hãy thụt lề bằng dấu cách)"
    ),
    "found a tab character that violate indentation": (
        "có ký tự tab làm sai thụt lề (hãy thụt lề bằng dấu cách)"
    ),
    "found unexpected ':'": "dấu hai chấm (:) không đúng chỗ",
    "found undefined tag handle": "thẻ YAML dùng tiền tố chưa khai báo",
    "found unknown directive name": "chỉ thị YAML (%) không được biết",
    "found incompatible YAML document": "tài liệu YAML không tương thích",
    "invalid indentation or unclosed '[' or '{'": "thụt lề sai, hoặc thiếu dấu đóng ] hay }",
    "found duplicate key": "khóa bị lặp lại",
    "expected a single document in the stream": "mỗi tệp chỉ chứa một tài liệu YAML",
    "but found another document": "mỗi tệp chỉ chứa một tài liệu YAML",
}

_PATTERNS = (
    (re.compile(r"^(?:did not|could not) find expected (.+)$"), "thiếu {0} ở chỗ cần có"),
    (re.compile(r"^expected (.+?), but (?:found|got) (.+)$"), "cần {0}, nhưng gặp {1}"),
    (
        re.compile(r"^found character (.+) that cannot start any token$"),
        "có ký tự {0} không được đứng đầu một giá trị",
    ),
    (re.compile(r"^found undefined alias (.+)$"), "bí danh {0} chưa có neo"),
    (re.compile(r"^found unknown escape character (.+)$"), "ký tự thoát {0} không hợp lệ"),
    (re.compile(r"^found duplicate anchor (.+?)(?:; first occurrence)?$"), "neo {0} bị lặp lại"),
)


def problem_vi(problem: str) -> str:
    """The parser's complaint ``problem`` in Vietnamese (its own words, quoted, when the
    complaint is a rare one not translated here)."""
    text = problem.strip()
    fixed = _FIXED.get(text)
    if fixed is not None:
        return fixed
    for pattern, vi in _PATTERNS:
        found = pattern.match(text)
        if found is not None:
            return vi.format(*found.groups())
    return f"trình đọc YAML báo «{text}»" if text else "không rõ lỗi"


_MALFORMED = Bilingual("malformed YAML", "tệp YAML không đúng cú pháp")


def malformed(problem: Bilingual | None = None) -> Bilingual:
    """``malformed YAML: <problem>`` / ``tệp YAML không đúng cú pháp: <vấn đề>``."""
    if problem is None:
        return _MALFORMED
    return Bilingual(f"{_MALFORMED}: {problem}", f"{_MALFORMED.vi}: {problem.vi}")
