"""The kind of a list of records (``type: list`` with ``fields:``): a list of objects in
evidence, a tuple of record tuples at run time, its length in JSON."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from emulation_rules.errors import Bilingual, PathPart
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.types import LIST, EnumType, Type
from emulation_rules.model.common import Text
from emulation_rules.model.kinds.base import (
    BadValue,
    Coercer,
    Constants,
    Enums,
    JSONScalar,
    Kind,
    KnownJSON,
    Spec,
    expected,
    fact_schema,
    kind,
    register,
    show,
    show_vi,
)
from emulation_rules.model.ruleset import FactSpec, FactType, FieldSpec, ParameterSpec

A_LIST = Bilingual("a list of records", "một danh sách các mục (đối tượng JSON)")


def _fields(spec: Spec | ParameterSpec) -> dict[str, FieldSpec]:
    assert isinstance(spec, FactSpec) and spec.fields is not None
    return spec.fields


class ListKind(Kind):
    """A list of records with typed fields; a missing field is unknown, not an error."""

    fact_type = FactType.LIST
    expr_kind = LIST
    has_fields = True
    single = False
    rankable = False
    gives_needed = False

    def expr_type(self, spec: Spec | ParameterSpec, enum_types: Mapping[str, EnumType]) -> Type:
        return Type(
            LIST,
            fields=tuple(
                (name, kind(f.type).expr_type(f, enum_types)) for name, f in _fields(spec).items()
            ),
        )

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        fields = _fields(spec)
        names = tuple(fields)
        known = frozenset(names)
        field_coercers = tuple(kind(f.type).coercer(f, enums) for f in fields.values())

        def coerce_list(value: Any) -> tuple[tuple[tuple[Any, ...], ...], bool]:
            if not isinstance(value, list | tuple):
                raise expected(A_LIST, value)
            problems: list[tuple[tuple[PathPart, ...], Bilingual]] = []
            records = []
            missing = False
            for i, record in enumerate(value):
                if not isinstance(record, Mapping):
                    en = f"expected a record (an object), got {show(record)}"
                    vi = f"cần một mục (một đối tượng JSON), nhận được {show_vi(record)}"
                    problems.append(((i,), Bilingual(en, vi)))
                    continue
                for key in record:
                    if key not in known:
                        en = f"unknown field (fields: {', '.join(names)})"
                        vi = f"trường không xác định (các trường: {', '.join(names)})"
                        problems.append(((i, str(key)), Bilingual(en, vi)))
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

    def helper_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        """``_rec_{var}(value)``: the records of a list of plain dicts that hold every
        field and nothing else, each field checked by its kind's fast check or else its
        coercer, as the coercer of the list gives them; None for anything else or any bad
        field (the list's coercer then reports every problem, or the missing fields)."""
        fields = _fields(spec)
        lines = [
            f"def _rec_{var}(value):",
            "    out = []",
            "    for r in value:",
            f"        if r.__class__ is not dict or len(r) != {len(fields)}: return None",
        ]
        for i, (name, field) in enumerate(fields.items()):
            x, field_kind = f"x{i}", kind(field.type)
            lines += [
                f"        {x} = r.get({ns.const(name)})",
                f"        if {x} is None: return None",
                *(f"    {line}" for line in field_kind.fast_lines(x, field, ns, enums)),
                "        else:",
                f"            try: {x} = {ns.const(field_kind.coercer(field, enums))}({x})",
                "            except BadValue: return None",
            ]
        row = "".join(f"x{i}, " for i in range(len(fields)))
        lines += [f"        out.append(({row}))", "    return tuple(out)"]
        return lines

    def check_lines(
        self, var: str, key: str, coerce: str, read: bool, spec: Spec, ns: Constants, enums: Enums
    ) -> list[str]:
        return [
            f"    elif {var}.__class__ is list and (_t := _rec_{var}({var})) is not None: "
            f"{var} = _t",
            "    else:",
            f"        try: {var}, _m = {coerce}({var})",
            f"        except BadValue as e: errs.append(({key}, e.problems)); {var} = U",
            "        else:",
            f"            if _m: {'miss = True' if read else 'pass'}",
        ]

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        return len(value)

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        raise ValueError("a list of records is recorded by its length only")

    def _display(
        self,
        value: int | bool | str,
        lang: str,
        unit: Text | None,
        enums: Enums | None,
        enum_id: str | None,
    ) -> str:
        return f"{value} mục" if lang == "vi" else f"{value} entries"

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {name: fact_schema(f, enums) for name, f in _fields(spec).items()},
                "additionalProperties": False,
            },
        }

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        record = st.fixed_dictionaries(
            {name: kind(f.type).strategy(f, enums, on, 0) for name, f in _fields(spec).items()}
        )
        return st.lists(record, min_size=min_records, max_size=4)

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        return [[]]


RECORDS = register(ListKind())
