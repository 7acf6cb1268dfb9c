"""What every fact kind provides, the helpers kinds share, and the registry of kinds.

A kind (:class:`Kind`) is the one place that knows a fact type: how a value of it is
written in a rule-set file, how evidence values are checked and normalised (the slow
path), the inline check the compiled ``run`` makes (the fast path), its canonical JSON
form and display in vi and en, its JSON Schema and its Hypothesis strategy. Modules ask
the kind (``kind(spec.type)``) instead of switching on the type.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from emulation_rules.errors import Bilingual, PathPart, brief
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.types import EnumType, Type
from emulation_rules.formatting import number_text, with_unit
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec, FactType, FieldSpec

if TYPE_CHECKING:  # pragma: no cover
    from emulation_rules.model.ruleset import ParameterSpec

JSONScalar = int | bool | str | None
KnownJSON = int | bool | str
Coercer = Callable[[Any], Any]
Formatter = Callable[[Any], tuple[JSONScalar, str, str]]
Spec = FactSpec | FieldSpec
Enums = Mapping[str, EnumerationSpec]

MAX_INTEGER = 10**15
"""Default upper bound of integer facts: far above any count, and low enough that every
computation with a percentage stays exact within the 28 digits of decimal arithmetic."""
MAX_DIGITS = 20
"""Most significant digits a decimal or percentage value in evidence may have."""

A_NUMBER = Bilingual("a number", "một số")
A_FINITE_NUMBER = Bilingual("a finite number", "một số hữu hạn")
A_TEXT = Bilingual("a text", "một giá trị văn bản")
A_DATE = Bilingual("a date YYYY-MM-DD", "một ngày theo dạng YYYY-MM-DD")

TYPE_NAMES = {
    "bool": Bilingual("bool", "giá trị true/false"),
    "integer": Bilingual("integer", "số nguyên"),
    "decimal": Bilingual("decimal", "số thập phân"),
    "percentage": Bilingual("percentage", "tỷ lệ phần trăm"),
    "date": Bilingual("date", "ngày"),
    "string": Bilingual("string", "giá trị văn bản"),
    "enum": Bilingual("enum", "mức của danh mục"),
    "list": Bilingual("list", "danh sách"),
}
"""Each fact type's name (``FactType`` value) as English and Vietnamese messages say it."""

NOT_GIVEN_VI = "chưa có"
NOT_GIVEN_EN = "not given"


class BadValue(Exception):
    """Raised by a coercer: ``problems`` are (sub-path, message) pairs."""

    def __init__(self, problems: list[tuple[tuple[PathPart, ...], Bilingual]]) -> None:
        super().__init__(problems)
        self.problems = problems


class Constants(Protocol):
    """Where generated code finds its constants (``expr.codegen.Namespace``)."""

    def const(self, value: Any) -> str:
        """A generated name bound to ``value``."""


def bad(message: Bilingual) -> BadValue:
    """A BadValue with one problem at the value itself."""
    return BadValue([((), message)])


def show(value: Any) -> str:
    """A value as an error message quotes it (at most 60 characters)."""
    text = brief(value) if not isinstance(value, Decimal) else str(value)  # never fails
    return text if len(text) <= 60 else text[:57] + "..."


def show_vi(value: Any) -> str:
    """A value as a Vietnamese error message quotes it: numbers as Vietnamese write them
    (``3,5``), ``true``/``false``/``null`` as JSON spells them, others as :func:`show`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | Decimal | float):
        text = show(value)
        return number_text(text, "vi") if len(text) < 60 else text
    return show(value)


def bounds_text(lo: Any, hi: Any) -> str:
    """`` from 1 to 5``, `` ≥ 1``, `` ≤ 5`` or nothing."""
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" ≥ {lo}"
    if hi is not None:
        return f" ≤ {hi}"
    return ""


def bounds_text_vi(lo: Any, hi: Any) -> str:
    """`` từ 1 đến 5``, `` từ 1 trở lên``, `` không quá 5`` or nothing (numbers as
    Vietnamese write them)."""
    low = None if lo is None else number_text(str(lo), "vi")
    high = None if hi is None else number_text(str(hi), "vi")
    if low is not None and high is not None:
        return f" từ {low} đến {high}"
    if low is not None:
        return f" từ {low} trở lên"
    if high is not None:
        return f" không quá {high}"
    return ""


def expected_text(what: str, value: Any) -> Bilingual:
    """``expected <what>, got <value>``, with its Vietnamese ``cần <what>, nhận được
    <value>``: the one wording of a value of the wrong type or range. ``what`` is a
    :class:`~emulation_rules.errors.Bilingual` text (a plain one reads as is in both)."""
    what_vi = what.vi if isinstance(what, Bilingual) else what
    return Bilingual(
        f"expected {what}, got {show(value)}", f"cần {what_vi}, nhận được {show_vi(value)}"
    )


def parse_error(what: Bilingual, raw: Any) -> ValueError:
    """The ``ValueError`` of a kind's :meth:`Kind.parse` (a value written in a rule-set
    file): ``expected <what>, got <raw>``, its message (``args[0]``) a
    :class:`~emulation_rules.errors.Bilingual` text (``cần <what>, nhận được <raw>``)."""
    return ValueError(
        Bilingual(f"expected {what}, got {raw!r}", f"cần {what.vi}, nhận được {raw!r}")
    )


def expected(what: Bilingual, value: Any) -> BadValue:
    """A BadValue ``expected <what>, got <value>`` (:func:`expected_text`)."""
    return bad(expected_text(what, value))


def to_decimal(value: Any) -> Decimal:
    """An evidence number as an exact Decimal (a float by its shortest repr), or BadValue."""
    if isinstance(value, bool):
        raise expected(A_NUMBER, value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise expected(A_FINITE_NUMBER, value)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise expected(A_FINITE_NUMBER, value)
        return Decimal(repr(value))
    raise expected(A_NUMBER, value)


def plain(d: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``38.95``, ``40``."""
    return format(d.normalize(), "f")


def parse_iso_date(text: str) -> date | None:
    """``YYYY-MM-DD`` (ASCII digits) as a date; None for anything else. The one date
    parser: evidence (fast and slow path) and the converter read dates with it."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def integer_bounds(spec: Spec) -> tuple[int, int]:
    """Bounds of an integer fact: ``min`` defaults to 0 (counts are never negative) and
    ``max`` to MAX_INTEGER."""
    lo = 0 if spec.min is None else int(spec.min)
    hi = MAX_INTEGER if spec.max is None else int(spec.max)
    return lo, hi


def holds(a: Any, op: str, b: Any) -> bool:
    """Whether ``a op b`` holds, for a comparison operator of the expression language."""
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    if op == ">=":
        return bool(a >= b)
    if op == "==":
        return bool(a == b)
    return bool(a != b)


def labelled(schema: dict[str, Any], label: Text, unit: Text | None) -> dict[str, Any]:
    """A JSON Schema fragment with the fact's label (vi as title, en with unit as
    description)."""
    en = label.en + (f" ({unit.en})" if unit else "")
    return schema | {"title": label.vi, "description": en}


def fact_schema(spec: Spec, enums: Enums) -> dict[str, Any]:
    """The JSON Schema of an evidence value of a fact or record field: its kind's schema
    or ``null``, with the label."""
    known = kind(spec.type).json_schema(spec, enums)
    return labelled({"anyOf": [known, {"type": "null"}]}, spec.label, spec.unit)


class Kind:
    """One fact kind. Subclasses set the class attributes and implement the methods; one
    instance of each is registered with :func:`register`."""

    fact_type: ClassVar[FactType]
    """The kind's name, as rule-set files spell it (``type: percentage``)."""
    expr_kind: ClassVar[str]
    """The expression type's ``kind`` (``number``, ``date``…)."""
    number_kind: ClassVar[str] = ""
    """For numbers, the expression type's ``number_kind`` (``integer``, ``percent``…)."""
    bounded: ClassVar[bool] = False
    """Whether a fact of this kind may declare ``min``/``max``."""
    needs_enum: ClassVar[bool] = False
    """Whether a fact of this kind names an enumeration (``enum:``)."""
    has_fields: ClassVar[bool] = False
    """Whether a fact of this kind has record fields (``fields:``)."""
    single: ClassVar[bool] = True
    """Whether a value is written as one scalar (a parameter may have this kind)."""
    rankable: ClassVar[bool] = True
    """Whether candidates may be ranked by a fact of this kind."""
    decimal_valued: ClassVar[bool] = False
    """Whether run-time values are Decimals (saved as text in plain data)."""
    payload_types: ClassVar[tuple[type, ...]] = ()
    """Python types of a monitor event field that can give a value of this kind."""
    decimal_comma: ClassVar[bool] = False
    """Whether the Vietnamese display writes the decimal point as a comma."""
    suffix: ClassVar[str] = ""
    """Text the display appends to the value (``%``)."""
    gives_needed: ClassVar[bool] = True
    """Whether explanations say what value of a fact of this kind would pass."""

    name: str
    """The kind's one name (the rule-set spelling, ``FactType.value``)."""
    json_name: str
    """The kind as verdicts record it beside a value (``kind: percent``)."""

    def __init__(self) -> None:
        self.name = self.fact_type.value
        self.json_name = self.number_kind or self.expr_kind

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    # -- rule-set files ----------------------------------------------------------------------

    def expr_type(self, spec: Spec | ParameterSpec, enum_types: Mapping[str, EnumType]) -> Type:
        """The expression type of a fact or parameter of this kind."""
        return Type(self.expr_kind, self.number_kind)

    def parse(self, raw: Any, enum: EnumType | None = None) -> Any:
        """The run-time value of ``raw`` written in a file; ValueError saying what was
        expected."""
        raise ValueError(
            Bilingual(
                f"a {self.name} cannot be written as a single value",
                f"giá trị kiểu {self.name} không viết được thành một giá trị đơn",
            )
        )

    # -- evidence ----------------------------------------------------------------------------

    def coercer(self, spec: Spec, enums: Enums) -> Coercer:
        """A function normalising an evidence value of this fact, or raising BadValue."""
        raise NotImplementedError

    def fast_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        """The ``elif`` lines of the inline check accepting values already in run-time
        form (or converting the common forms cheaply); others go to the coercer."""
        return []

    def helper_lines(self, var: str, spec: Spec, ns: Constants, enums: Enums) -> list[str]:
        """Module-level functions the generated ``check_lines`` of fact ``var`` call (put
        before ``run``); none for most kinds."""
        return []

    def check_lines(
        self, var: str, key: str, coerce: str, read: bool, spec: Spec, ns: Constants, enums: Enums
    ) -> list[str]:
        """The generated lines checking ``var`` (known, not None) after the fast checks:
        the slow path calls ``coerce`` and records problems under ``key``."""
        return [
            *self.fast_lines(var, spec, ns, enums),
            "    else:",
            f"        try: {var} = {coerce}({var})",
            f"        except BadValue as e: errs.append(({key}, e.problems)); {var} = U",
        ]

    def below_minimum(self, spec: Spec, value: Any) -> bool:
        """Whether ``value`` is below the fact's declared minimum (not known yet)."""
        return False

    # -- JSON and display --------------------------------------------------------------------

    def to_json(self, value: Any, t: Type) -> JSONScalar:
        """The canonical JSON form of a run-time value (None when unknown)."""
        if value is UNKNOWN or value is None:
            return None
        return self.json_of(value, t)

    def json_of(self, value: Any, t: Type) -> KnownJSON:
        """The canonical JSON form of a known run-time value (neither UNKNOWN nor None)."""
        return str(value)

    def from_json(self, value: JSONScalar, enum: EnumType | None = None) -> Any:
        """The run-time value of a canonical JSON form; ValueError if it is not one."""
        if not isinstance(value, str):
            raise ValueError(f"not a {self.name}: {value!r}")
        return value

    def display(
        self,
        value: JSONScalar,
        lang: str,
        *,
        unit: Text | None = None,
        enums: Enums | None = None,
        enum_id: str | None = None,
    ) -> str:
        """A canonical value as an officer reads it in ``lang`` (vi or en)."""
        if value is None:
            return NOT_GIVEN_VI if lang == "vi" else NOT_GIVEN_EN
        return self._display(value, lang, unit, enums, enum_id)

    def _display(
        self,
        value: int | bool | str,
        lang: str,
        unit: Text | None,
        enums: Enums | None,
        enum_id: str | None,
    ) -> str:
        return self.text(value, lang, unit)

    def text(self, value: Any, lang: str, unit: Text | None) -> str:
        """The plain display: the value (a number as :func:`~emulation_rules.formatting.number_text`
        writes it), the suffix and the unit."""
        text = number_text(str(value), lang) if self.decimal_comma else str(value)
        unit_text = unit.get(lang) if unit is not None else None
        return with_unit(text + self.suffix, value, unit_text, lang)

    def formatter(
        self,
        t: Type,
        *,
        unit: Text | None = None,
        enums: Enums | None = None,
        enum_id: str | None = None,
    ) -> Formatter:
        """A function giving a run-time value's JSON form and its display in vi and en,
        specialised once per fact."""

        to_json = self.json_of
        show = self._display

        def general(value: Any) -> tuple[JSONScalar, str, str]:
            if value is UNKNOWN or value is None:
                return None, NOT_GIVEN_VI, NOT_GIVEN_EN
            json_value = to_json(value, t)
            return (
                json_value,
                show(json_value, "vi", unit, enums, enum_id),
                show(json_value, "en", unit, enums, enum_id),
            )

        return general

    def tighten(self, op: str, bound: Any) -> tuple[str, Any]:
        """A needed bound ``fact op bound`` as the kind states it."""
        return op, bound

    def needed_text(self, label: str, symbol: str, value: str) -> str:
        """What would pass, as a line: ``label ≤ value``."""
        return f"{label} {symbol} {value}"

    # -- JSON Schema -------------------------------------------------------------------------

    def json_schema(self, spec: Spec, enums: Enums) -> dict[str, Any]:
        """The JSON Schema of a known evidence value (``null`` is added by the caller)."""
        raise NotImplementedError

    # -- property-based testing --------------------------------------------------------------

    def strategy(self, spec: Spec, enums: Enums, on: date, min_records: int) -> Any:
        """A Hypothesis strategy of valid evidence values (needs the ``testing`` extra)."""
        raise NotImplementedError

    def settle(self, spec: Spec, op: str, target: Any, enum: EnumType | None) -> Any:
        """An evidence value whose run-time value satisfies ``op target``; ValueError when
        there is none."""
        raise ValueError(f"cannot settle a {self.name}")

    def breaking(self, spec: Spec, current: Any, enums: Enums) -> list[Any]:
        """Evidence values other than ``current`` likely to fail a condition it meets."""
        return []

    def improvements(self, spec: Spec, value: Any, up: bool, enums: Enums) -> list[Any]:
        """Evidence values better than ``value`` (higher when ``up``), within bounds."""
        return []


_BY_TYPE: dict[FactType, Kind] = {}
_BY_EXPR: dict[tuple[str, str], Kind] = {}
_BY_JSON: dict[str, Kind] = {}


def register(k: Kind) -> Kind:
    """Add a kind to the registry (by its name, its expression type and its JSON name)."""
    _BY_TYPE[k.fact_type] = k
    _BY_EXPR[(k.expr_kind, k.number_kind)] = k
    _BY_JSON[k.json_name] = k
    _BY_JSON.setdefault(k.name, k)
    return k


def kind(ftype: FactType) -> Kind:
    """The kind of a fact type (``kind(spec.type)``)."""
    return _BY_TYPE[ftype]


def all_kinds() -> tuple[Kind, ...]:
    """Every registered kind."""
    return tuple(_BY_TYPE.values())


def kind_of_type(t: Type) -> Kind | None:
    """The kind of an expression type (a number with no ``number_kind`` is a decimal), or
    None for a type no fact has (a record)."""
    found = _BY_EXPR.get((t.kind, t.number_kind))
    if found is None and t.number_kind == "":
        found = _BY_EXPR.get((t.kind, "decimal"))
    return found


def kind_named(name: str) -> Kind | None:
    """The kind a verdict's ``kind`` names (``percent``; the file spelling ``percentage``
    is accepted too), or None."""
    return _BY_JSON.get(name)
