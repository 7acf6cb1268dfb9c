"""Types of the expression language.

Numbers are exact decimals (``int`` or ``decimal.Decimal`` at run time, never ``float``).
A percentage is a number: ``5%`` is ``0.05``, and a percentage fact given as ``90.1`` is
read as ``0.901``; its ``number_kind`` only says how to display it.
An ordered enumeration's values are integers at run time: the rank of the level, higher
is better, so ``rating >= good`` is an integer comparison.
"""

from __future__ import annotations

import attrs

BOOL = "bool"
NUMBER = "number"
DATE = "date"
STRING = "string"
ENUM = "enum"
LIST = "list"
RECORD = "record"


_NUMBER_VI = {"integer": "số nguyên", "decimal": "số thập phân", "percent": "tỷ lệ phần trăm"}
_KIND_VI = {
    BOOL: "đúng/sai",
    NUMBER: "số",
    DATE: "ngày",
    STRING: "văn bản",
    ENUM: "mức của một danh mục",
    LIST: "danh sách các mục",
    RECORD: "mục của danh sách",
}


@attrs.frozen
class EnumType:
    """An ordered enumeration: ``levels`` lists the level ids from best to worst."""

    id: str
    levels: tuple[str, ...]

    def rank(self, level: str) -> int:
        """The run-time value of ``level``: higher is better, the worst level is 1."""
        return len(self.levels) - self.levels.index(level)

    def level(self, rank: int) -> str:
        """The level id of a run-time rank."""
        return self.levels[len(self.levels) - rank]


@attrs.frozen
class Type:
    """The type of an expression or a fact.

    ``number_kind`` is ``integer``, ``decimal`` or ``percent`` for numbers; ``enum`` is set
    for enumerations; ``fields`` (name, type) for records and lists of records.
    """

    kind: str
    number_kind: str = ""
    enum: EnumType | None = None
    fields: tuple[tuple[str, Type], ...] = ()

    def field(self, name: str) -> tuple[int, Type] | None:
        """Index and type of a record field, or None."""
        for i, (fname, ftype) in enumerate(self.fields):
            if fname == name:
                return i, ftype
        return None

    def describe(self) -> str:
        """A short human name of the type, for error messages."""
        if self.kind == NUMBER:
            return self.number_kind or "number"
        if self.kind == ENUM and self.enum is not None:
            return f"enumeration {self.enum.id}"
        if self.kind == LIST:
            return "list of records"
        return self.kind

    def describe_vi(self) -> str:
        """:meth:`describe` in Vietnamese (``số nguyên``, ``tỷ lệ phần trăm``, ``ngày``),
        as a message writes it after ``kiểu``."""
        if self.kind == NUMBER:
            return _NUMBER_VI.get(self.number_kind, "số")
        if self.kind == ENUM and self.enum is not None:
            return f"mức của danh mục {self.enum.id}"
        return _KIND_VI.get(self.kind, self.kind)

    def same_as(self, other: Type) -> bool:
        """Whether values of the two types can be compared with each other."""
        if self.kind != other.kind:
            return False
        if self.kind == ENUM:
            return self.enum == other.enum
        return True


T_BOOL = Type(BOOL)
T_INTEGER = Type(NUMBER, "integer")
T_DECIMAL = Type(NUMBER, "decimal")
T_PERCENT = Type(NUMBER, "percent")
T_DATE = Type(DATE)
T_STRING = Type(STRING)


def number_result(op: str, left: Type, right: Type) -> Type:
    """The type of ``left op right`` for two numbers."""
    if op in "+-*" and left == right == T_INTEGER:
        return T_INTEGER
    if op in "+-" and left == right == T_PERCENT:
        return T_PERCENT
    return T_DECIMAL
