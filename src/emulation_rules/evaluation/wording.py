"""Words of explanations: yes/no facts as phrases, requirements in words, missing facts by
their labels.

Officer text (vi) has no ``≥``/``≤``/``=`` symbols: a requirement reads ``ít nhất 9
người``, ``không quá 185 người``, ``đúng 11 thôn``, ``từ mức “Khá” trở lên``; a yes/no fact
reads as a statement (``Ban Chỉ đạo không có quy chế hoạt động``) rather than ``…: không``.
Every function here is pure: an explanation stays a function of the values it reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from emulation_rules.model.ruleset import FactSpec

__all__ = [
    "bool_phrase",
    "join_items",
    "lower_first",
    "missing_names",
    "requirement_words",
]

_PROPER = (
    "Công an",
    "Đảng",
    "Ban Chỉ đạo",
    "Ủy ban",
    "Mặt trận",
    "Nhà nước",
    "Nhân dân",
    "Chủ tịch",
    "Hội đồng",
    "Bộ ",
    "Tổ bảo vệ",
    "UBND",
    "BCĐ",
    "People's",
    "Party ",
    "Steering Committee",
    "Fatherland",
    "State ",
    "Ministry",
    "Government",
    "Decision ",
    "Regulation ",
)


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, to continue a sentence, unless it
    starts with a proper name or an abbreviation (``Công an xã``, ``UBND``)."""
    if not text or text.startswith(_PROPER) or len(text) < 2 or not text[1].islower():
        return text
    return text[0].lower() + text[1:]


def join_items(items: Sequence[str]) -> str:
    """Items of one sentence joined by ``; ``, each after the first continuing it (its
    first letter in lower case where that reads right)."""
    return "; ".join(item if i == 0 else lower_first(item) for i, item in enumerate(items))


_OUTSIDE = re.compile(r"\([^)]*\)|“[^”]*”|\"[^\"]*\"")

_NEGATIONS_VI = (
    (" đã ", " chưa "),
    (" đang ", " không "),
    (" có ", " không có "),
    (" được ", " chưa được "),
    (" đạt ", " chưa đạt "),
    (" vi phạm ", " không vi phạm "),
    (" hoạt động ", " chưa hoạt động "),
    (" thực hiện ", " chưa thực hiện "),
)
_LEADING_VI = ("Đã ", "Trong năm đã ")
_VERB_START_VI = (
    "Lập ",
    "Thực hiện ",
    "Tổ chức ",
    "Hoàn thành ",
    "Tiếp ",
    "Thường xuyên ",
    "Tham gia ",
    "Triển khai ",
    "Xây dựng ",
)


def _negate_vi(label: str) -> str | None:
    """The statement ``label`` negated, or None when no rule of the language applies."""
    if label.startswith("Đã "):
        return "Chưa " + label[3:]
    if label.startswith(_VERB_START_VI):
        return "Chưa " + label[0].lower() + label[1:]
    # the first verb outside parentheses and quotations
    masked = _OUTSIDE.sub(lambda m: "\0" * len(m.group(0)), label)
    best: tuple[int, str, str] | None = None
    for old, new in _NEGATIONS_VI:
        at = masked.find(old)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, old, new)
    if best is None:
        return None
    at, old, new = best
    return label[:at] + new + label[at + len(old) :]


def bool_phrase(label: str, value: bool, lang: str) -> str:
    """A yes/no fact as a statement: ``Ban Chỉ đạo có quy chế hoạt động`` (true),
    ``Ban Chỉ đạo không có quy chế hoạt động`` (false); in English ``label: yes``/``no``."""
    if lang != "vi":
        return f"{label}: {'yes' if value else 'no'}"
    if value:
        return label
    negated = _negate_vi(label)
    return negated if negated is not None else f"Không đáp ứng: {lower_first(label)}"


_WORDS = {
    "vi": {
        "number": {
            ">=": "ít nhất {}",
            ">": "trên {}",
            "<=": "không quá {}",
            "<": "dưới {}",
            "==": "đúng {}",
            "!=": "khác {}",
        },
        "level": {
            ">=": "từ mức “{}” trở lên",
            ">": "cao hơn mức “{}”",
            "<=": "từ mức “{}” trở xuống",
            "<": "thấp hơn mức “{}”",
            "==": "đúng mức “{}”",
            "!=": "khác mức “{}”",
        },
        "date": {
            ">=": "từ ngày {} trở đi",
            ">": "sau ngày {}",
            "<=": "chậm nhất ngày {}",
            "<": "trước ngày {}",
            "==": "đúng ngày {}",
            "!=": "khác ngày {}",
        },
    },
    "en": {
        "number": {
            ">=": "at least {}",
            ">": "more than {}",
            "<=": "at most {}",
            "<": "less than {}",
            "==": "exactly {}",
            "!=": "other than {}",
        },
        "level": {
            ">=": '"{}" or better',
            ">": 'better than "{}"',
            "<=": '"{}" or lower',
            "<": 'lower than "{}"',
            "==": 'exactly "{}"',
            "!=": 'other than "{}"',
        },
        "date": {
            ">=": "on or after {}",
            ">": "after {}",
            "<=": "on or before {}",
            "<": "before {}",
            "==": "on {}",
            "!=": "other than {}",
        },
    },
}


def requirement_table() -> dict[str, dict[str, dict[str, str]]]:
    """The words of a bound, per language, family (``number``, ``level``, ``date``) and
    operator, each a template with one ``{}``: what :func:`requirement_words` uses, for a
    host (the self-assessment page) that words bounds itself."""
    return {lang: {fam: dict(ops) for fam, ops in fams.items()} for lang, fams in _WORDS.items()}


def requirement_words(op: str, value: str, kind: str, lang: str) -> str:
    """A bound in words: ``ít nhất 9 người``, ``từ mức Khá trở lên``, ``chậm nhất ngày
    31/03/2025`` (``kind`` is a verdict's kind: ``level``/``enum``, ``date`` or a number)."""
    family = "level" if kind in ("enum", "level") else "date" if kind == "date" else "number"
    words = _WORDS["vi" if lang == "vi" else "en"][family]
    return words.get(op, "{}").format(value)


def missing_names(missing: Sequence[str], facts: Mapping[str, FactSpec], lang: str) -> list[str]:
    """The facts (and record fields, ``teams[2].good_deeds``) of ``missing`` named for a
    reader: their labels in vi, grouped per record field (``Xếp loại (mục thứ 2, 3 của
    “Các tổ chức…”)``); their ids in en."""
    if lang != "vi":
        return list(missing)
    out: list[str] = []
    fields: dict[tuple[str, str], list[int]] = {}
    for name in missing:
        head, sep, rest = name.partition("[")
        if not sep:
            spec = facts.get(name)
            out.append(spec.label.vi if spec is not None else name)
            continue
        index, _, field = rest.partition("].")
        key = (head, field)
        if key not in fields:
            fields[key] = []
            out.append("\0" + head + "\0" + field)
        fields[key].append(int(index) + 1 if index.isdigit() else 0)
    return [_field_name(item, fields, facts) if item.startswith("\0") else item for item in out]


def _field_name(
    item: str, fields: Mapping[tuple[str, str], list[int]], facts: Mapping[str, FactSpec]
) -> str:
    _, head, field = item.split("\0")
    spec = facts.get(head)
    field_spec = spec.fields.get(field) if spec is not None and spec.fields else None
    list_label = spec.label.vi if spec is not None else head
    field_label = field_spec.label.vi if field_spec is not None else field
    numbers = ", ".join(str(n) for n in fields[(head, field)])
    return f"{field_label} (mục thứ {numbers} của “{list_label}”)"
