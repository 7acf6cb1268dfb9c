"""The kind of an ordered enumeration level: a level id (or label, or alias) in evidence,
its rank at run time (higher is better), shown by its label."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from emulation_rules.errors import Bilingual
from emulation_rules.expr.types import ENUM, EnumType, Type
from emulation_rules.model.common import Text
from emulation_rules.model.kinds.base import (
    Coercer,
    Constants,
    Enums,
    JSONScalar,
    Kind,
    KnownJSON,
    Spec,
    expected,
    holds,
    register,
)
from emulation_rules.model.ruleset import EnumerationSpec, FactType, ParameterSpec


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def enum_lookup(enum_id: str, spec: EnumerationSpec) -> dict[str, int]:
    """Accepted spellings of an enumeration's levels (id, alias, vi and en labels) → rank."""
    n = len(spec.levels)
    table: dict[str, int] = {}
    for i, level in enumerate(spec.levels):
        rank = n - i
        for spelling in (level.id, level.vi, level.en):
            table[spelling] = rank
            table[unicodedata.normalize("NFC", spelling)] = rank
            table[_norm(spelling)] = rank
    for alias, target in spec.aliases.items():
        table[alias] = table[target]
        table[_norm(alias)] = table[target]
    return table


def _enumeration(spec: Spec, enums: Enums) -> tuple[str, EnumerationSpec]:
    assert spec.enum is not None
    return spec.enum, enums[spec.enum]


class EnumKind(Kind):
    """A level of an ordered enumeration (``type: enum`` with ``enum:``)."""

    fact_type = FactType.ENUM
    expr_kind = ENUM
    needs_enum = True
    rankable = False
    payload_types: ClassVar[tuple[type, ...]] = (str,)

    def expr_type(self, spec: Spec | ParameterSpec, enum_types: Mapping[str, EnumType]) -> Type:
        assert spec.enum is not None
        return Type(ENUM, enum=enum_types[spec.enum])

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        assert enum is not None
        if isinstance(raw, str) and raw in enum.levels:
            return enum.rank(raw)
        raise ValueError(
            Bilingual(
                f"expected a level of {enum.id} ({', '.join(enum.levels)}), got {raw!r}",
                f"cần một mức của danh mục {enum.id} ({', '.join(enum.levels)}), nhận được {raw!r}",
            )
        )

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        enum_id, enum = _enumeration(spec, enums)
        table = enum_lookup(enum_id, enum)
        ids = ", ".join(level.id for level in enum.levels)
        labels = ", ".join(level.vi for level in enum.levels)
        what = Bilingual(
            f"a level of {enum_id} ({ids})",
            f"một trong các mức của danh mục “{enum.title.vi}” ({labels})",
        )

        def coerce_enum(value: Any) -> Any:
            if isinstance(value, str):
                rank = table.get(value)
                if rank is None:
                    rank = table.get(_norm(value))
                if rank is not None:
                    return rank
            raise expected(what, value)

        return coerce_enum

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        table = ns.const(enum_lookup(*_enumeration(spec, enums)))
        return [f"    elif {var}.__class__ is str and {var} in {table}: {var} = {table}[{var}]"]

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        if t.enum is not None:
            return t.enum.level(int(value))
        return str(value)

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        if enum is None or not isinstance(value, str) or value not in enum.levels:
            raise ValueError(f"not a level: {value!r}")
        return enum.rank(value)

    def _display(
        self,
        value: int | bool | str,
        lang: str,
        unit: Text | None,
        enums: Enums | None,
        enum_id: str | None,
    ) -> str:
        if enums and enum_id and enum_id in enums:
            for level in enums[enum_id].levels:
                if level.id == value:
                    return level.vi if lang == "vi" else level.en
        return self.text(value, lang, unit)

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        levels = _enumeration(spec, enums)[1].levels
        return {
            "type": "string",
            "enum": [lv.id for lv in levels] + [lv.vi for lv in levels] + [lv.en for lv in levels],
        }

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        return st.sampled_from([level.id for level in _enumeration(spec, enums)[1].levels])

    def settle(self, spec: Spec, op: str, target: Any, enum: EnumType | None) -> Any:
        assert enum is not None
        ranks = [r for r in range(1, len(enum.levels) + 1) if holds(r, op, target)]
        if not ranks:
            raise ValueError(f"no level is {op} {target}")
        return enum.level(ranks[0] if op in ("<", "<=") else ranks[-1])

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        return [lv.id for lv in _enumeration(spec, enums)[1].levels if lv.id != current]

    def improvements(self, spec: Spec, value: Any, up: bool, enums: Enums) -> list[Any]:
        enum_id, enumeration = _enumeration(spec, enums)
        rank = enum_lookup(enum_id, enumeration).get(str(value))
        if rank is None:
            return []
        levels = tuple(level.id for level in enumeration.levels)
        enum = EnumType(enum_id, levels)
        better = range(rank + 1, len(levels) + 1) if up else range(1, rank)
        return [enum.level(r) for r in better]


LEVEL = register(EnumKind())
