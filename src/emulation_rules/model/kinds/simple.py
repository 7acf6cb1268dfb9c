"""Kinds of one plain value: a boolean attestation, a text, a date."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from emulation_rules.errors import Bilingual
from emulation_rules.expr.runtime import NONE, NONE_JSON, UNKNOWN
from emulation_rules.expr.types import BOOL, DATE, STRING, EnumType, Type
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text
from emulation_rules.model.kinds.base import (
    A_DATE,
    A_TEXT,
    NOT_GIVEN_EN,
    NOT_GIVEN_VI,
    BadValue,
    Coercer,
    Constants,
    Enums,
    Formatter,
    JSONScalar,
    Kind,
    KnownJSON,
    Spec,
    expected,
    parse_error,
    parse_iso_date,
    register,
)
from emulation_rules.model.ruleset import FactType
from emulation_rules.text import nfc

TRUE_OR_FALSE = Bilingual("true or false", "giá trị true (có) hoặc false (không)")


class BoolKind(Kind):
    """A yes/no attestation: ``true``/``false``, shown ``có``/``không``, ``yes``/``no``."""

    fact_type = FactType.BOOL
    expr_kind = BOOL
    payload_types: ClassVar[tuple[type, ...]] = (bool,)

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        if isinstance(raw, bool):
            return raw
        raise parse_error(TRUE_OR_FALSE, raw)

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        def coerce_bool(value: Any) -> Any:
            if isinstance(value, bool):
                return value
            raise expected(TRUE_OR_FALSE, value)

        return coerce_bool

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        return [f"    elif {var}.__class__ is bool: pass"]

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        return bool(value)

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        if isinstance(value, bool):
            return value
        raise ValueError(f"not a bool: {value!r}")

    def _display(
        self,
        value: int | bool | str,
        lang: str,
        unit: Text | None,
        enums: Enums | None,
        enum_id: str | None,
    ) -> str:
        if lang == "vi":
            return "có" if value else "không"
        return "yes" if value else "no"

    def formatter(
        self,
        t: Type,
        *,
        unit: Text | None = None,
        enums: Enums | None = None,
        enum_id: str | None = None,
    ) -> Formatter:
        known: dict[Any, tuple[JSONScalar, str, str]] = {
            True: (True, "có", "yes"),
            False: (False, "không", "no"),
        }

        def boolean(value: Any) -> tuple[JSONScalar, str, str]:
            return (None, NOT_GIVEN_VI, NOT_GIVEN_EN) if value is UNKNOWN else known[value]

        return boolean

    def needed_text(self, label: str, symbol: str, value: str) -> str:
        return f"{label}: {value}"

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        return {"type": "boolean"}

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        return st.booleans()

    def settle(self, spec: Spec, op: str, target: Any, enum: EnumType | None) -> Any:
        return bool(target) if op == "==" else not bool(target)

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        return [not current]

    def improvements(self, spec: Spec, value: Any, up: bool, enums: Enums) -> list[Any]:
        return [] if value is up else [up]


class TextKind(Kind):
    """A free text (``type: string``); compared only for equality."""

    fact_type = FactType.STRING
    expr_kind = STRING
    rankable = False
    gives_needed = False
    payload_types: ClassVar[tuple[type, ...]] = (str,)

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        if isinstance(raw, str):
            return raw
        raise parse_error(A_TEXT, raw)

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        def coerce_str(value: Any) -> Any:
            if isinstance(value, str):
                return nfc(value)  # one spelling per name (a team, a village)
            raise expected(A_TEXT, value)

        return coerce_str

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        # text already in NFC (ASCII always is) is kept as it is, as nfc() keeps it; any
        # other text goes through the coercer (NFC)
        is_nfc, form = ns.const(unicodedata.is_normalized), ns.const("NFC")
        return [
            f"    elif {var}.__class__ is str and ({var}.isascii() or {is_nfc}({form}, {var})):"
            " pass"
        ]

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        return {"type": "string"}

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        return st.text(max_size=8)


DAYS_REMEMBERED = 1024
"""Most ISO date texts the generated check of one date fact remembers the day of."""


def _day_reader(days: dict[str, date]) -> Callable[[str], date | None]:
    """:func:`parse_iso_date` that remembers, in ``days``, the first
    ``DAYS_REMEMBERED`` days it reads (only ever what that pure function gives)."""

    def read(text: str) -> date | None:
        day = parse_iso_date(text)
        if day is not None and len(days) < DAYS_REMEMBERED:
            days[text] = day
        return day

    return read


NONE_UNDECLARED = Bilingual(
    "expected a date YYYY-MM-DD, got 'none': this fact does not declare 'none:', so it "
    "cannot be known to have none; leave it out when it is not known",
    "cần một ngày theo dạng YYYY-MM-DD, nhận được 'none': dữ kiện này không khai báo "
    "'none:' nên không ghi được là không có; chưa biết thì bỏ trống",
)
A_DATE_OR_NONE = Bilingual(
    "a date YYYY-MM-DD or 'none'", "một ngày theo dạng YYYY-MM-DD hoặc 'none' (không có)"
)


def none_of(spec: Spec) -> Text | None:
    """The words of a known absence a fact declares (``none:``), or None."""
    return getattr(spec, "none", None)


class DateKind(Kind):
    """A day, ``YYYY-MM-DD`` in evidence and JSON, shown ``31/03/2025`` in Vietnamese. A
    fact declaring ``none:`` also accepts ``"none"`` (:data:`NONE`): known to have none."""

    fact_type = FactType.DATE
    expr_kind = DATE

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        if isinstance(raw, date):
            return raw
        raise parse_error(A_DATE, raw)

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        may_be_none = none_of(spec) is not None

        def coerce_date(value: Any) -> Any:
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
            if isinstance(value, str):
                day = parse_iso_date(value)
                if day is not None:
                    return day
            if value is NONE or value == NONE_JSON:
                if may_be_none:
                    return NONE
                raise BadValue([((), NONE_UNDECLARED)])
            raise expected(A_DATE_OR_NONE if may_be_none else A_DATE, value)

        return coerce_date

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        # the days read are remembered per fact (units of a batch share a few dates)
        days: dict[str, date] = {}
        read = ns.const(_day_reader(days))
        return [
            f"    elif {var}.__class__ is str and (_d := {ns.const(days)}.get({var}) or "
            f"{read}({var})) is not None: {var} = _d",
            f"    elif {var}.__class__ is {ns.const(date)}: pass",
        ]

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        return value.isoformat() if isinstance(value, date) else str(value)

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        if value == NONE_JSON:
            return NONE
        day = parse_iso_date(value) if isinstance(value, str) else None
        if day is None:
            raise ValueError(f"not a date YYYY-MM-DD: {value!r}")
        return day

    def _display(
        self,
        value: int | bool | str,
        lang: str,
        unit: Text | None,
        enums: Enums | None,
        enum_id: str | None,
    ) -> str:
        if value == NONE_JSON:
            return "không có" if lang == "vi" else "none"
        if isinstance(value, str):
            return date_text(value, lang)
        return self.text(value, lang, unit)

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        one_day = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        if none_of(spec) is None:
            return one_day
        return {"anyOf": [one_day, {"const": NONE_JSON}]}

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        days = st.dates(date(on.year - 3, 1, 1), date(on.year + 1, 12, 31)).map(date.isoformat)
        if none_of(spec) is None:
            return days
        return st.one_of(days, st.just(NONE_JSON))

    def settle(self, spec: Spec, op: str, target: Any, enum: EnumType | None) -> Any:
        shift = {">": 1, "<": -1, "!=": 1}.get(op, 0)
        return (target + timedelta(days=shift)).isoformat()

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        day = parse_iso_date(current) if isinstance(current, str) else current
        if not isinstance(day, date):
            return []
        shifted = [(day + timedelta(days=d)).isoformat() for d in (-400, -100, 100, 400)]
        return [*shifted, NONE_JSON] if none_of(spec) is not None else shifted


BOOLEAN = register(BoolKind())
TEXT = register(TextKind())
DATE_KIND = register(DateKind())
