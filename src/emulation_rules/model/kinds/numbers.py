"""Number kinds: a whole count, a decimal, a percentage (0–100, a fraction at run time)."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from emulation_rules.errors import Bilingual
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.types import NUMBER, T_DECIMAL, T_INTEGER, T_PERCENT, EnumType, Type
from emulation_rules.formatting import number_text, whole_bound, with_unit
from emulation_rules.model.common import Text
from emulation_rules.model.kinds.base import (
    A_NUMBER,
    MAX_DIGITS,
    MAX_INTEGER,
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
    bounds_text,
    bounds_text_vi,
    expected,
    integer_bounds,
    parse_error,
    plain,
    register,
    to_decimal,
)
from emulation_rules.model.ruleset import FactType

_PERCENT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")

PERCENT_TABLE = tuple(Decimal(i) / 100 for i in range(101))
"""Run-time values of the whole percentages 0–100, so that they need no division."""

_STEP = Decimal("0.01")


def _decimal_coercer(
    dlo: Decimal | None, dhi: Decimal | None, what: Bilingual, scale: int
) -> Coercer:
    digits = Bilingual(
        f"at most {MAX_DIGITS} significant digits", f"không quá {MAX_DIGITS} chữ số có nghĩa"
    )

    def coerce_decimal(value: Any) -> Any:
        try:
            number = to_decimal(value)
        except BadValue:
            raise expected(what, value) from None
        if (dlo is not None and number < dlo) or (dhi is not None and number > dhi):
            raise expected(what, value)
        if len(number.as_tuple().digits) > MAX_DIGITS:
            raise expected(digits, value)
        return number / scale if scale != 1 else number

    return coerce_decimal


def _json_decimal(value: JSONScalar) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def integer_for(op: str, target: Decimal) -> int:
    """The whole number nearest ``target`` satisfying ``n op target`` (ValueError for
    ``== 2.5``)."""
    if op == ">=":
        return math.ceil(target)
    if op == ">":
        return math.floor(target) + 1
    if op == "<=":
        return math.floor(target)
    if op == "<":
        return math.ceil(target) - 1
    if op == "==":
        if target != target.to_integral_value():
            raise ValueError(f"no whole number equals {target}")
        return int(target)
    return math.floor(target) + 1


def integer_bound(op: str, bound: Decimal) -> tuple[str, Any]:
    """Tighten a bound on an integer fact: ``x <= 38.95`` is ``x <= 38`` (the inequalities
    as :func:`emulation_rules.formatting.whole_bound` states them)."""
    if op in ("<=", "<", ">=", ">"):
        return whole_bound(op, bound)
    return op, int(bound) if bound == bound.to_integral_value() else bound


def _integral(value: float | Decimal) -> bool:
    """Whether a float or a decimal is a whole number (finite, no fractional part)."""
    if isinstance(value, float):
        return value.is_integer()
    return value.is_finite() and value == value.to_integral_value()


class IntegerKind(Kind):
    """A whole count, ``min`` 0 and ``max`` MAX_INTEGER unless declared."""

    fact_type = FactType.INTEGER
    expr_kind = NUMBER
    number_kind = T_INTEGER.number_kind
    bounded = True
    decimal_comma = True
    payload_types: ClassVar[tuple[type, ...]] = (int,)

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise parse_error(Bilingual("a whole number", "một số nguyên"), raw)

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        lo, hi = integer_bounds(spec)
        what = Bilingual(
            f"a whole number{bounds_text(lo, spec.max)}",
            f"một số nguyên{bounds_text_vi(lo, spec.max)}",
        )
        at_most = Bilingual(f"a whole number ≤ {hi}", f"một số nguyên{bounds_text_vi(None, hi)}")
        declared_max = spec.max is not None

        def coerce_int(value: Any) -> Any:
            if isinstance(value, float | Decimal) and _integral(value):
                if value < lo or value > hi:  # before int(): 1e999999 has a million digits
                    raise expected(what if value < lo or declared_max else at_most, value)
                value = int(value)  # the same number: 3.0 and Decimal("3.00") are 3
            if isinstance(value, bool) or not isinstance(value, int):
                raise expected(what, value)
            if value < lo or value > hi:
                raise expected(what if value < lo or declared_max else at_most, value)
            return value

        return coerce_int

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        lo, hi = integer_bounds(spec)
        fast = f"{var}.__class__ is int and {var} >= {ns.const(lo)} and {var} <= {ns.const(hi)}"
        return [f"    elif {fast}: pass"]

    def below_minimum(self, spec: Spec, value: Any) -> bool:
        return isinstance(value, int) and spec.min is not None and value < int(spec.min)

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return plain(Decimal(value))

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = _json_decimal(value)
        return int(number) if number == number.to_integral_value() else number

    def formatter(
        self,
        t: Type,
        *,
        unit: Text | None = None,
        enums: Enums | None = None,
        enum_id: str | None = None,
    ) -> Formatter:
        vi_unit = unit.vi if unit else None
        en_unit = unit.en if unit else None

        def integer(value: Any) -> tuple[JSONScalar, str, str]:
            if value is UNKNOWN:
                return None, NOT_GIVEN_VI, NOT_GIVEN_EN
            if value.__class__ is int and -10000 < value < 10000:  # four digits: ungrouped
                shown = str(value)
                return (
                    value,
                    with_unit(shown, value, vi_unit),
                    with_unit(shown, value, en_unit, "en"),
                )
            json_value = self.to_json(value, t)
            shown = str(json_value)
            return (
                json_value,
                with_unit(number_text(shown, "vi"), value, vi_unit),
                with_unit(number_text(shown, "en"), value, en_unit, "en"),
            )

        return integer

    def tighten(self, op: str, bound: Any) -> tuple[str, Any]:
        return integer_bound(op, Decimal(bound))

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        lo, hi = integer_bounds(spec)
        return {"type": "integer", "minimum": lo, "maximum": hi}

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        lo, hi = integer_bounds(spec)
        return st.integers(lo, hi)

    def settle(self, spec: Spec, op: str, target: Any, enum: EnumType | None) -> Any:
        lo, hi = integer_bounds(spec)
        number = integer_for(op, Decimal(str(target)))
        if not lo <= number <= hi:
            raise ValueError(f"{number} is out of bounds")
        return number

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        lo, hi = integer_bounds(spec)
        raw = [lo, current + 1, current - 1, current * 2 + 1, 10**6, hi]
        return sorted({v for v in raw if lo <= v <= hi and v != current})

    def improvements(self, spec: Spec, value: Any, up: bool, enums: Enums) -> list[Any]:
        lo, hi = integer_bounds(spec)
        raw = [value + 1, value * 2 + 1, hi] if up else [value - 1, value // 2, lo]
        return [v for v in raw if lo <= v <= hi and v != value]


class DecimalKind(Kind):
    """An exact decimal (``Decimal`` at run time, text in JSON), within ``min``/``max``."""

    fact_type = FactType.DECIMAL
    expr_kind = NUMBER
    number_kind = T_DECIMAL.number_kind
    bounded = True
    decimal_valued = True
    decimal_comma = True
    payload_types: ClassVar[tuple[type, ...]] = (Decimal, int)
    scale: ClassVar[int] = 1

    def limits(self, spec: Spec) -> tuple[Decimal | None, Decimal | None]:
        """The declared bounds of evidence values."""
        return (
            None if spec.min is None else Decimal(str(spec.min)),
            None if spec.max is None else Decimal(str(spec.max)),
        )

    def what(self, lo: Decimal | None, hi: Decimal | None) -> Bilingual:
        """What an error message says was expected (:class:`Bilingual`)."""
        return Bilingual(f"a number{bounds_text(lo, hi)}", f"một số{bounds_text_vi(lo, hi)}")

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return Decimal(raw)
            except InvalidOperation:
                pass
        raise parse_error(A_NUMBER, raw)

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        lo, hi = self.limits(spec)
        return _decimal_coercer(lo, hi, self.what(lo, hi), self.scale)

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        fast = f"{var}.__class__ is int"
        if spec.min is not None:
            fast += f" and {var} >= {ns.const(spec.min)}"
        if spec.max is not None:
            fast += f" and {var} <= {ns.const(spec.max)}"
        return [f"    elif {fast}: pass"]

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        number = Decimal(value)
        return plain(number * self.scale if self.scale != 1 else number)

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        number = _json_decimal(value)
        return number / self.scale if self.scale != 1 else number

    def formatter(
        self,
        t: Type,
        *,
        unit: Text | None = None,
        enums: Enums | None = None,
        enum_id: str | None = None,
    ) -> Formatter:
        vi_tail = self.suffix + (f" {unit.vi}" if unit else "")
        en_tail = self.suffix + (f" {unit.en}" if unit else "")
        to_json = self.json_of

        def number(value: Any) -> tuple[JSONScalar, str, str]:
            if value is UNKNOWN or value is None:
                return None, NOT_GIVEN_VI, NOT_GIVEN_EN
            json_value = to_json(value, t)
            shown = str(json_value)
            return (
                json_value,
                number_text(shown, "vi") + vi_tail,
                number_text(shown, "en") + en_tail,
            )

        return number

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "number"}
        if spec.min is not None:
            out["minimum"] = float(spec.min)
        if spec.max is not None:
            out["maximum"] = float(spec.max)
        return out

    def drawn_bounds(self, spec: Spec) -> tuple[int, int]:
        """The bounds of drawn and repaired evidence values."""
        return integer_bounds(spec)

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        lo, hi = self.drawn_bounds(spec)
        return st.one_of(st.integers(lo, hi), st.decimals(lo, hi, places=2))

    def settle(self, spec: Spec, op: str, target: Any, enum: EnumType | None) -> Any:
        value = Decimal(str(target)) * self.scale
        value += {">": _STEP, "<": -_STEP, "!=": _STEP}.get(op, Decimal(0))
        lo, hi = self.drawn_bounds(spec)
        if not lo <= value <= hi:
            raise ValueError(f"{value} is out of bounds")
        return value

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        lo, hi = self.drawn_bounds(spec)
        raw = [Decimal(lo), Decimal(str(current)) + 1, Decimal(hi)]
        return [v for v in raw if lo <= v <= hi]

    def improvement_bounds(self, spec: Spec) -> tuple[Decimal, Decimal]:
        """The bounds of improved values (the monotonicity law)."""
        low = Decimal(0) if spec.min is None else Decimal(str(spec.min))
        high = Decimal(MAX_INTEGER) if spec.max is None else Decimal(str(spec.max))
        return low, high

    def improvements(self, spec: Spec, value: Any, up: bool, enums: Enums) -> list[Any]:
        current = Decimal(str(value))
        low, high = self.improvement_bounds(spec)
        options = [current + 1, high] if up else [current - 1, low]
        return [v for v in options if low <= v <= high and v != current]


class PercentageKind(DecimalKind):
    """A percentage: 0–100 in evidence and JSON (``90.1``), written ``5%`` in files, a
    fraction at run time (``0.901``), shown ``90,1%``."""

    fact_type = FactType.PERCENTAGE
    number_kind = T_PERCENT.number_kind
    bounded = False
    suffix = "%"
    scale = 100

    def limits(self, spec: Spec) -> tuple[Decimal | None, Decimal | None]:
        return Decimal(0), Decimal(100)

    def what(self, lo: Decimal | None, hi: Decimal | None) -> Bilingual:
        return Bilingual("a percentage from 0 to 100", "một tỷ lệ phần trăm từ 0 đến 100")

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        m = _PERCENT_RE.match(raw) if isinstance(raw, str) else None
        if m is None:
            what = Bilingual(
                "a percentage written with %, such as 5% or 1.5%",
                "một tỷ lệ phần trăm viết kèm dấu %, ví dụ 5% hoặc 1.5%",
            )
            raise parse_error(what, raw)
        value = Decimal(m.group(1))
        if value > 100:
            raise ValueError(
                Bilingual(
                    f"a percentage cannot be over 100%, got {raw!r}",
                    f"tỷ lệ phần trăm không được vượt quá 100%, nhận được {raw!r}",
                )
            )
        return value / 100

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        table = ns.const(PERCENT_TABLE)
        # a float within 0–100 is finite and has at most 17 significant digits: what the
        # coercer checks beyond that holds, and it converts it the same way
        as_decimal = ns.const(Decimal)
        return [
            f"    elif {var}.__class__ is int and 0 <= {var} <= 100: {var} = {table}[{var}]",
            f"    elif {var}.__class__ is float and 0.0 <= {var} <= 100.0: "
            f"{var} = {as_decimal}(repr({var})) / 100",
        ]

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        return {"type": "number", "minimum": 0, "maximum": 100}

    def drawn_bounds(self, spec: Spec) -> tuple[int, int]:
        return 0, 100

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        from hypothesis import strategies as st

        return st.one_of(st.integers(0, 100), st.decimals(0, 100, places=1))

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        return [0, 100]

    def improvement_bounds(self, spec: Spec) -> tuple[Decimal, Decimal]:
        return Decimal(0), Decimal(100)


INTEGER = register(IntegerKind())
DECIMAL = register(DecimalKind())
PERCENTAGE = register(PercentageKind())
