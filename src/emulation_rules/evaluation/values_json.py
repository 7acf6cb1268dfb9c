"""A unit's validated values in their canonical JSON form, and back: what the compact
form of an explained verdict stores so that its explanations can be rebuilt.

Only the facts the criteria read are stored, each in its kind's canonical JSON form
(:mod:`emulation_rules.model.verdict`); a list of records as a list of rows, one
canonical value (or ``null``) per field, in the declared field order. A fact not given is
left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from emulation_rules.errors import FormatError, PathPart
from emulation_rules.evaluation.compiler import FactSlot
from emulation_rules.evaluation.values import to_json_value
from emulation_rules.expr.runtime import NONE, UNKNOWN
from emulation_rules.expr.types import LIST, Type
from emulation_rules.model.kinds import TEXT, kind_of_type
from emulation_rules.model.kinds.base import TYPE_NAMES, show_vi


def _encode_one(value: Any, t: Type) -> Any:
    if value is UNKNOWN:
        return None
    if t.kind == LIST:
        return [
            [_encode_one(v, ft) for v, (_, ft) in zip(row, t.fields, strict=True)] for row in value
        ]
    return to_json_value(value, t)


def encode_values(slots: Sequence[FactSlot], values: Sequence[Any]) -> dict[str, Any]:
    """The values of the facts the criteria read, by name, in canonical JSON form."""
    out: dict[str, Any] = {}
    for slot in slots:
        if slot.spec is None or not slot.read:
            continue
        value = values[slot.index]
        if value is not UNKNOWN:
            out[slot.name] = _encode_one(value, slot.type)
    return out


def _decode_one(data: Any, t: Type, path: tuple[PathPart, ...]) -> Any:
    if data is None:
        return UNKNOWN
    if t.kind == LIST:
        if not isinstance(data, list):
            raise FormatError(
                "expected a list of rows", path=path, message_vi="cần một danh sách các dòng"
            )
        rows = []
        for i, row in enumerate(data):
            if not isinstance(row, list) or len(row) != len(t.fields):
                raise FormatError(
                    f"expected a row of {len(t.fields)} values",
                    path=(*path, i),
                    message_vi=f"cần một dòng gồm {len(t.fields)} giá trị",
                )
            rows.append(
                tuple(
                    _decode_one(v, ft, (*path, i, name))
                    for v, (name, ft) in zip(row, t.fields, strict=True)
                )
            )
        return tuple(rows)
    kind = kind_of_type(t) or TEXT
    try:
        return kind.from_json(data, t.enum)
    except (ValueError, ArithmeticError, TypeError) as exc:
        name_vi = TYPE_NAMES[kind.name].vi if kind.name in TYPE_NAMES else kind.name
        raise FormatError(
            f"not a {kind.name}: {exc}",
            path=path,
            message_vi=f"không phải {name_vi}: {show_vi(data)}",
        ) from None


def decode_values(
    slots: Sequence[FactSlot], data: Any, path: tuple[PathPart, ...] = ("values",)
) -> list[Any]:
    """The values tuple (as a list, prerequisites' outcomes left ``UNKNOWN``) of
    :func:`encode_values` output; a :class:`FormatError` naming the bad value otherwise."""
    if not isinstance(data, Mapping):
        raise FormatError(
            "expected an object of fact values",
            path=path,
            message_vi="cần một đối tượng JSON gồm các giá trị dữ liệu",
        )
    by_name = {s.name: s for s in slots if s.spec is not None and s.read}
    values: list[Any] = [UNKNOWN] * len(slots)
    for name, raw in data.items():
        slot = by_name.get(name)
        if slot is None:
            raise FormatError(
                "not a fact the criteria read",
                path=(*path, name),
                message_vi="không phải dữ liệu mà các tiêu chí sử dụng",
            )
        if raw is None:
            raise FormatError(
                "a fact not given is left out, not null",
                path=(*path, name),
                message_vi="dữ liệu chưa có thì bỏ qua, không ghi là null",
            )
        values[slot.index] = _decode_one(raw, slot.type, (*path, name))
        if values[slot.index] is NONE and slot.spec is not None and slot.spec.none is None:
            raise FormatError(
                'not a date: "none" is only for a fact that declares `none:`',
                path=(*path, name),
                message_vi='không phải ngày: "none" chỉ dùng cho dữ kiện có khai báo `none:`',
            )
    return values
