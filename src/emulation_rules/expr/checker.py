"""The type checker: syntax tree + the names a rule set declares → typed tree.

Unknown names, wrong types, misspelt enumeration levels and misuse of functions are
reported here, when the rule set loads, never while evaluating a unit.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from emulation_rules.error_text import join, suggest
from emulation_rules.errors import Bilingual, ExpressionError
from emulation_rules.expr import syntax as s
from emulation_rules.expr import typed as t
from emulation_rules.expr.calls import CallChecks
from emulation_rules.expr.parser import parse
from emulation_rules.expr.scope import Scope
from emulation_rules.expr.types import (
    BOOL,
    DATE,
    ENUM,
    LIST,
    NUMBER,
    RECORD,
    STRING,
    T_BOOL,
    T_DATE,
    T_DECIMAL,
    T_INTEGER,
    T_PERCENT,
    T_STRING,
    EnumType,
    Type,
    number_result,
)

_LITERAL_TYPES = {
    "integer": T_INTEGER,
    "decimal": T_DECIMAL,
    "percent": T_PERCENT,
    "date": T_DATE,
    "string": T_STRING,
    "bool": T_BOOL,
}
_ORDERED = frozenset({NUMBER, DATE, ENUM})
_MAX_FOLDED = 256  # most combinations of parameter values tried when folding a divisor
_LIST_PLACE = Bilingual(
    "a list `[...]` may only stand on the right of `in`",
    "danh sách `[...]` chỉ được đặt bên phải `in`",
)
_UNSUPPORTED = Bilingual("unsupported expression", "biểu thức không được hỗ trợ")
def _branches_differ(a: Type, b: Type) -> Bilingual:
    return Bilingual(
        f"the branches of `if` give different types: {a.describe()} and {b.describe()}",
        f"hai nhánh của `if` cho kết quả khác kiểu: {a.describe_vi()} và {b.describe_vi()}",
    )


_DATE_PARTS = frozenset({"year", "month", "quarter", "day"})


def check_text(text: str, scope: Scope, *, expect: Type | None = None) -> t.Expr:
    """Parse and type-check ``text``; ``expect`` is the required type, if any."""
    tree = parse(text)
    return Checker(text, scope).check_root(tree, expect)


class Checker(CallChecks):
    """Checks one expression text against a scope."""

    def __init__(self, text: str, scope: Scope) -> None:
        self.text = text
        self.scope = scope
        self.vars: dict[str, Type] = {}
        self.compare_count = 0
        self.branch_count = 0
        self.in_aggregate = 0

    def check_root(self, node: s.Node, expect: Type | None) -> t.Expr:
        """Check the whole expression and its result type."""
        result = self.check(node)
        if expect is not None and not expect.same_as(result.type):
            raise self.error(
                Bilingual(
                    f"the expression must give a {expect.describe()}, "
                    f"but gives a {result.type.describe()}",
                    f"biểu thức phải cho kết quả kiểu {expect.describe_vi()}, "
                    f"nhưng lại cho kết quả kiểu {result.type.describe_vi()}",
                ),
                node,
            )
        return result

    def error(self, message: Bilingual, node: s.Node) -> ExpressionError:
        """An error at ``node``; ``message`` is a :class:`Bilingual` text."""
        return ExpressionError(message, offset=node.start, text=self.text)

    def src(self, node: s.Node) -> str:
        return self.text[node.start : node.end]

    def _known_names(self) -> list[str]:
        return [*self.vars, *self.scope.locals, *self.scope.facts, *self.scope.parameters]

    def check(self, node: s.Node, enum_hint: EnumType | None = None) -> t.Expr:
        text = self.src(node)
        match node:
            case s.Literal(kind=kind, value=value):
                return t.Const(_LITERAL_TYPES[kind], text, value)
            case s.Name(id=name):
                return self.name(node, name, enum_hint)
            case s.Attribute():
                return self.attribute(node)
            case s.Unary(operand=operand):
                x = self.check(operand)
                self.require(x, NUMBER, operand, Bilingual("`-`", "dấu `-`"))
                return t.Neg(x.type, text, x)
            case s.Binary(op=op, left=left, right=right):
                a, b = self.check(left), self.check(right)
                self.require(a, NUMBER, left, Bilingual(f"`{op}`", f"phép `{op}`"))
                self.require(b, NUMBER, right, Bilingual(f"`{op}`", f"phép `{op}`"))
                if op == "/":
                    self.divisor(b, right)
                return t.Arith(number_result(op, a.type, b.type), text, op, a, b)
            case s.Compare():
                return self.compare(node)
            case s.BoolOp(op=op, values=values):
                items = tuple(self.check(v) for v in values)
                for item, v in zip(items, values, strict=True):
                    self.require(item, BOOL, v, Bilingual(f"`{op}`", f"phép `{op}`"))
                return (t.And if op == "and" else t.Or)(T_BOOL, text, items)
            case s.Not(operand=operand):
                x = self.check(operand)
                self.require(x, BOOL, operand, Bilingual("`not`", "phép `not`"))
                return t.Not(T_BOOL, text, x)
            case s.IfElse(cond=cond, then=then, orelse=orelse):
                c = self.check(cond)
                self.require(c, BOOL, cond, Bilingual("`if`", "điều kiện của `if`"))
                a = self.check(then, enum_hint)
                b = self.check(orelse, enum_hint if a.type.kind != ENUM else a.type.enum)
                if a.type.kind == ENUM and b.type.kind != ENUM and isinstance(orelse, s.Name):
                    b = self.check(orelse, a.type.enum)
                if not a.type.same_as(b.type):
                    raise self.error(_branches_differ(a.type, b.type), node)
                rtype = a.type
                if a.type.kind == NUMBER and a.type != b.type:
                    rtype = T_DECIMAL
                index = -1 if self.in_aggregate else self.branch_count
                if not self.in_aggregate:
                    self.branch_count += 1
                return t.Cond(rtype, text, c, a, b, index)
            case s.Call():
                return self.call(node)
            case s.Comprehension():
                return self.comprehension(node)
            case s.ListLiteral():
                raise self.error(_LIST_PLACE, node)
        raise self.error(_UNSUPPORTED, node)  # pragma: no cover

    def require(self, x: t.Expr, kind: str, node: s.Node, where: str) -> None:
        """Refuse ``x`` unless it is of ``kind``; ``where`` (a :class:`Bilingual` text)
        names what needs it."""
        if x.type.kind != kind:
            need_vi = Type(kind).describe_vi()
            raise self.error(
                join(
                    where,
                    Bilingual(
                        f" needs a {kind}, but `{self.src(node)}` is a {x.type.describe()}",
                        f" cần giá trị kiểu {need_vi}, nhưng `{self.src(node)}` có kiểu "
                        f"{x.type.describe_vi()}",
                    ),
                ),
                node,
            )

    def divisor(self, b: t.Expr, node: s.Node) -> None:
        """Refuse a divisor that is zero whatever the evidence: a constant zero, or a
        constant expression that is zero for some dated value of its parameters."""
        values = self._folded(b)
        if values is None or all(v != 0 for v in values):
            return
        params = sorted(n.name for n in t.walk(b) if isinstance(n, t.ParamRef))
        names = ", ".join(f"`{p}`" for p in params)
        because = f" for a value of parameter{'s' if len(params) > 1 else ''} {names}"
        because_vi = f" với một giá trị của tham số {names}"
        raise self.error(
            Bilingual(
                f"division by zero: `{self.src(node)}` is 0{because if params else ''}; a "
                "divisor must not be zero (divide by a fact and guard it, or multiply instead)",
                f"chia cho 0: `{self.src(node)}` bằng 0{because_vi if params else ''}; số "
                "chia không được bằng 0 (hãy chia cho một dữ kiện và kiểm tra nó khác 0 trước, "
                "hoặc đổi sang phép nhân)",
            ),
            node,
        )

    def _folded(self, node: t.Expr) -> set[Any] | None:
        """Every value a constant expression can take (one per dated parameter value),
        or None when it depends on the evidence (or has too many combinations)."""
        match node:
            case t.Const(value=value) if node.type.kind == NUMBER:
                return {value}
            case t.ParamRef(name=name) if name in self.scope.parameter_values:
                values = set(self.scope.parameter_values[name])
                return values if values and len(values) <= _MAX_FOLDED else None
            case t.Neg(operand=x):
                inner = self._folded(x)
                return None if inner is None else {-v for v in inner}
            case t.Arith(op=op, left=a, right=b):
                left, right = self._folded(a), self._folded(b)
                if left is None or right is None or len(left) * len(right) > _MAX_FOLDED:
                    return None
                out: set[Any] = set()
                for va, vb in itertools.product(left, right):
                    if op == "/":
                        if vb == 0:
                            continue  # refused where that division is checked
                        out.add(Decimal(va) / Decimal(vb))
                    elif op == "+":
                        out.add(va + vb)
                    elif op == "-":
                        out.add(va - vb)
                    else:
                        out.add(va * vb)
                return out
        return None

    def name(self, node: s.Node, name: str, enum_hint: EnumType | None) -> t.Expr:
        text = self.src(node)
        if name in self.vars:
            return t.VarRef(self.vars[name], text, name)
        if name in self.scope.locals:
            return t.LocalRef(self.scope.locals[name], text, name)
        if name in self.scope.facts:
            return t.FactRef(self.scope.facts[name], text, name)
        if name in self.scope.parameters:
            return t.ParamRef(self.scope.parameters[name], text, name)
        if enum_hint is not None:
            return self.level(node, enum_hint, name)
        if name in self.scope.enumerations:
            example = f"`{name}.{self.scope.enumerations[name].levels[0]}`"
            raise self.error(
                Bilingual(
                    f"`{name}` is an enumeration; write one of its levels, e.g. {example}",
                    f"`{name}` là một danh mục; hãy viết một mức của nó, ví dụ {example}",
                ),
                node,
            )
        suggestion = suggest(name, self._known_names())
        raise self.error(
            join(Bilingual(f"unknown name `{name}`", f"không có tên `{name}`"), suggestion),
            node,
        )

    def level(self, node: s.Node, enum: EnumType, name: str) -> t.Expr:
        if name not in enum.levels:
            levels = ", ".join(enum.levels)
            raise self.error(
                join(
                    Bilingual(
                        f"`{name}` is not a level of enumeration {enum.id} (levels: {levels})",
                        f"`{name}` không phải là một mức của danh mục {enum.id} "
                        f"(các mức: {levels})",
                    ),
                    suggest(name, enum.levels),
                ),
                node,
            )
        return t.Const(Type(ENUM, enum=enum), self.src(node), enum.rank(name))

    def attribute(self, node: s.Attribute) -> t.Expr:
        text = self.src(node)
        obj_node = node.obj
        if (
            isinstance(obj_node, s.Name)
            and obj_node.id in self.scope.enumerations
            and obj_node.id not in self.vars
            and obj_node.id not in self.scope.facts
            and obj_node.id not in self.scope.locals
            and obj_node.id not in self.scope.parameters
        ):
            return self.level(node, self.scope.enumerations[obj_node.id], node.name)
        obj = self.check(obj_node)
        if obj.type.kind != RECORD:
            raise self.error(
                Bilingual(
                    f"`{self.src(obj_node)}` is a {obj.type.describe()}; only a record "
                    "(the variable of `for … in`) has fields",
                    f"`{self.src(obj_node)}` có kiểu {obj.type.describe_vi()}; chỉ một mục "
                    "của danh sách (biến của `for … in`) mới có trường",
                ),
                node,
            )
        found = obj.type.field(node.name)
        if found is None:
            names = [f for f, _ in obj.type.fields]
            listed = ", ".join(names)
            raise self.error(
                join(
                    Bilingual(
                        f"the record has no field `{node.name}` (fields: {listed})",
                        f"mục của danh sách không có trường `{node.name}` (các trường: {listed})",
                    ),
                    suggest(node.name, names),
                ),
                node,
            )
        index, ftype = found
        return t.Field(ftype, text, obj, node.name, index)

    def compare(self, node: s.Compare) -> t.Expr:
        text = self.src(node)
        checked: list[t.Expr | None] = []
        pending: list[int] = []
        for i, operand in enumerate(node.operands):
            if isinstance(operand, s.ListLiteral):
                checked.append(None)
                continue
            if isinstance(operand, s.Name) and self._unresolved(operand.id):
                checked.append(None)
                pending.append(i)
                continue
            checked.append(self.check(operand))
        hint = next((c.type.enum for c in checked if c is not None and c.type.kind == ENUM), None)
        for i in pending:
            checked[i] = self.check(node.operands[i], hint)
        links: list[t.Compare] = []
        members: list[t.Expr] = []
        for k, op in enumerate(node.ops):
            left_node, right_node = node.operands[k], node.operands[k + 1]
            left = checked[k]
            if left is None:
                raise self.error(_LIST_PLACE, left_node)
            if op in ("in", "not in"):
                members.append(self.member(node, left, right_node, op))
                continue
            right = checked[k + 1]
            assert right is not None
            self.comparable(op, left, right, left_node, right_node)
            index = -1 if self.in_aggregate else self.compare_count
            if not self.in_aggregate:
                self.compare_count += 1
            link_text = self.text[left_node.start : right_node.end]
            links.append(t.Compare(T_BOOL, link_text, op, left, right, index))
        if members:
            if links or len(members) > 1:
                raise self.error(
                    Bilingual(
                        "`in` cannot be chained with other comparisons",
                        "không được nối `in` liền với các phép so sánh khác",
                    ),
                    node,
                )
            return members[0]
        if len(links) == 1:
            return links[0]
        operands = tuple(c for c in checked if c is not None)
        return t.Chain(T_BOOL, text, operands, tuple(links))

    def _unresolved(self, name: str) -> bool:
        return not (
            name in self.vars
            or name in self.scope.locals
            or name in self.scope.facts
            or name in self.scope.parameters
        )

    def member(self, node: s.Compare, left: t.Expr, items_node: s.Node, op: str) -> t.Expr:
        assert isinstance(items_node, s.ListLiteral)
        if left.type.kind not in (ENUM, STRING, NUMBER):
            raise self.error(
                Bilingual(
                    f"`in` needs an enumeration, a string or a number on its left, not a "
                    f"{left.type.describe()}",
                    "bên trái `in` phải là một mức của danh mục, một văn bản hoặc một số, "
                    f"không phải kiểu {left.type.describe_vi()}",
                ),
                node,
            )
        items = []
        for item_node in items_node.items:
            item = self.check(item_node, left.type.enum)
            if not left.type.same_as(item.type):
                raise self.error(
                    Bilingual(
                        f"`{self.src(item_node)}` is a {item.type.describe()}, but "
                        f"`{left.text}` is a {left.type.describe()}",
                        f"`{self.src(item_node)}` có kiểu {item.type.describe_vi()}, nhưng "
                        f"`{left.text}` có kiểu {left.type.describe_vi()}",
                    ),
                    item_node,
                )
            items.append(item)
        return t.Member(T_BOOL, self.src(node), left, tuple(items), op == "not in")

    def comparable(
        self, op: str, left: t.Expr, right: t.Expr, left_node: s.Node, right_node: s.Node
    ) -> None:
        if not left.type.same_as(right.type):
            a, b = self.src(left_node), self.src(right_node)
            raise self.error(
                Bilingual(
                    f"cannot compare `{a}` ({left.type.describe()}) with "
                    f"`{b}` ({right.type.describe()})",
                    f"không so sánh được `{a}` ({left.type.describe_vi()}) với "
                    f"`{b}` ({right.type.describe_vi()})",
                ),
                left_node,
            )
        if op not in ("==", "!=") and left.type.kind not in _ORDERED:
            raise self.error(
                Bilingual(
                    f"`{op}` needs numbers, dates or ordered levels; "
                    f"`{self.src(left_node)}` is a {left.type.describe()}",
                    f"phép `{op}` chỉ dùng cho số, ngày hoặc các mức có thứ tự; "
                    f"`{self.src(left_node)}` có kiểu {left.type.describe_vi()}",
                ),
                left_node,
            )
        if left.type.kind in (LIST, RECORD):
            raise self.error(
                Bilingual(
                    "lists and records cannot be compared",
                    "không so sánh được danh sách hay mục của danh sách",
                ),
                left_node,
            )
        self.percent_mix(left, right, left_node, right_node)

    def percent_mix(
        self, left: t.Expr, right: t.Expr, left_node: s.Node, right_node: s.Node
    ) -> None:
        """Refuse a percentage compared with a whole number written as a percentage
        (``share >= 90``) or with a count (``done >= share``)."""
        for pct, other, node in ((left, right, right_node), (right, left, left_node)):
            if (
                pct.type == T_PERCENT
                and isinstance(other, t.Const)
                and other.type in (T_INTEGER, T_DECIMAL)
                and other.value > 1
            ):
                raise self.error(
                    Bilingual(
                        f"`{pct.text}` is a percentage (0.9 is 90%): compare it with a "
                        f"percentage, `{self.src(node)}%`",
                        f"`{pct.text}` là tỷ lệ phần trăm (0.9 là 90%): hãy so sánh với một tỷ "
                        f"lệ phần trăm, `{self.src(node)}%`",
                    ),
                    node,
                )
            if (
                pct.type.number_kind == "percent"
                and other.type.number_kind == "integer"
                and not isinstance(other, t.Const)
            ):
                examples = (
                    f"`{other.text} >= total * {pct.text}`",
                    f"`{other.text} / total >= {pct.text}`",
                )
                raise self.error(
                    Bilingual(
                        f"cannot compare `{other.text}` (a count, integer) with `{pct.text}` "
                        "(a percentage, 0.8 is 80%): compare a share with a share, e.g. "
                        f"{examples[0]} or {examples[1]}",
                        f"không so sánh được `{other.text}` (một số đếm, số nguyên) với "
                        f"`{pct.text}` (tỷ lệ phần trăm, 0.8 là 80%): hãy so sánh tỷ lệ với "
                        f"tỷ lệ, ví dụ {examples[0]} hoặc {examples[1]}",
                    ),
                    node,
                )


def referenced(node: t.Expr) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """Facts, parameters and (list fact, field) pairs an expression reads."""
    facts: set[str] = set()
    params: set[str] = set()
    fields: set[tuple[str, str]] = set()
    var_lists: dict[str, str] = {}

    def visit(n: t.Expr) -> None:
        if isinstance(n, t.FactRef):
            facts.add(n.name)
        elif isinstance(n, t.ParamRef):
            params.add(n.name)
        elif isinstance(n, t.Aggregate) and isinstance(n.iterable, t.FactRef):
            var_lists[n.var] = n.iterable.name
        elif isinstance(n, t.Field) and isinstance(n.obj, t.VarRef) and n.obj.name in var_lists:
            fields.add((var_lists[n.obj.name], n.name))
        for child in t.children(n):
            visit(child)

    visit(node)
    return facts, params, fields


__all__ = ["Checker", "Scope", "check_text", "referenced"]
