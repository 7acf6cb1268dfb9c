"""The kind of a list of records (``type: list`` with ``fields:``): a list of objects in
evidence, a tuple of record tuples at run time, its length in JSON."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from emulation_rules.errors import PathPart
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
    bad,
    fact_schema,
    kind,
    register,
    show,
)
from emulation_rules.model.ruleset import FactSpec, FactType, FieldSpec, ParameterSpec


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
                raise bad(f"expected a list of records, got {show(value)}")
            problems: list[tuple[tuple[PathPart, ...], str]] = []
            records = []
            missing = False
            for i, record in enumerate(value):
                if not isinstance(record, Mapping):
                    problems.append(((i,), f"expected a record (an object), got {show(record)}"))
                    continue
                for key in record:
                    if key not in known:
                        problems.append(
                            ((i, str(key)), f"unknown field (fields: {', '.join(names)})")
                        )
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

    def check_lines(
        self, var: str, key: str, coerce: str, read: bool, spec: Spec, ns: Constants, enums: Enums
    ) -> list[str]:
        return [
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
