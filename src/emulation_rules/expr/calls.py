"""Type-checking of calls: the functions (``year()``, ``abs()``, ``min()``, ``exists()``,
…) and the aggregates over a list fact (``all/any/sum/count/min/max(… for x in list
if …)``). A mixin of :class:`~emulation_rules.expr.checker.Checker`."""

from __future__ import annotations

from emulation_rules.error_text import join, suggest
from emulation_rules.errors import Bilingual, ExpressionError
from emulation_rules.expr import syntax as s
from emulation_rules.expr import typed as t
from emulation_rules.expr.scope import Scope
from emulation_rules.expr.types import (
    BOOL,
    DATE,
    LIST,
    NUMBER,
    RECORD,
    T_BOOL,
    T_DECIMAL,
    T_INTEGER,
    EnumType,
    Type,
)

_COUNT_WHAT = Bilingual(
    "count() counts records (`count(x for x in list if …)`) or true "
    "conditions (`count(x.done for x in list)`)",
    "hàm count() đếm các mục (`count(x for x in list if …)`) hoặc các điều "
    "kiện đúng (`count(x.done for x in list)`)",
)


def _numbers_or_dates(func: str) -> Bilingual:
    return Bilingual(f"{func}() needs numbers or dates", f"hàm {func}() cần các số hoặc các ngày")


class CallChecks:
    """The checks of calls and aggregates; the checker provides the rest."""

    scope: Scope
    vars: dict[str, Type]
    in_aggregate: int

    def error(self, message: Bilingual, node: s.Node) -> ExpressionError:
        raise NotImplementedError  # pragma: no cover (the checker's)

    def src(self, node: s.Node) -> str:
        raise NotImplementedError  # pragma: no cover (the checker's)

    def check(self, node: s.Node, enum_hint: EnumType | None = None) -> t.Expr:
        raise NotImplementedError  # pragma: no cover (the checker's)

    def require(self, x: t.Expr, kind: str, node: s.Node, where: str) -> None:
        raise NotImplementedError  # pragma: no cover (the checker's)

    def call(self, node: s.Call) -> t.Expr:
        text = self.src(node)
        func, arg_nodes = node.func, node.args
        if func == "count" and len(arg_nodes) == 1:
            lst = self.check(arg_nodes[0])
            self.require(lst, LIST, arg_nodes[0], Bilingual("count()", "hàm count()"))
            record = Type(RECORD, fields=lst.type.fields)
            return t.Aggregate(T_INTEGER, text, "count", t.VarRef(record, "", "_"), "_", lst, None)
        if func in ("all", "any", "sum", "count"):
            example = f"`{func}(x.field for x in list_fact)`"
            raise self.error(
                Bilingual(
                    f"{func}() takes a `for` clause, e.g. {example}",
                    f"hàm {func}() cần một vế `for`, ví dụ {example}",
                ),
                node,
            )
        args = tuple(self.check(a) for a in arg_nodes)
        if func in ("min", "max"):
            return self.min_max(node, func, args)
        if func == "exists":
            return self.exists(node, args)
        signatures: dict[str, tuple[tuple[str, ...], Type]] = {
            "abs": ((NUMBER,), T_DECIMAL),
            "floor": ((NUMBER,), T_INTEGER),
            "ceil": ((NUMBER,), T_INTEGER),
            "year": ((DATE,), T_INTEGER),
            "month": ((DATE,), T_INTEGER),
            "quarter": ((DATE,), T_INTEGER),
            "day": ((DATE,), T_INTEGER),
            "days_between": ((DATE, DATE), T_INTEGER),
        }
        if func not in signatures:
            known = sorted([*signatures, "min", "max", "count", "sum", "all", "any", "exists"])
            raise self.error(
                join(
                    Bilingual(f"unknown function `{func}`", f"không có hàm `{func}`"),
                    suggest(func, known),
                ),
                node,
            )
        params, rtype = signatures[func]
        if len(args) != len(params):
            raise self.error(
                Bilingual(
                    f"{func}() takes {len(params)} argument(s), not {len(args)}",
                    f"hàm {func}() nhận {len(params)} đối số, không phải {len(args)}",
                ),
                node,
            )
        for a, n, kind in zip(args, arg_nodes, params, strict=True):
            self.require(a, kind, n, Bilingual(f"{func}()", f"hàm {func}()"))
        if func == "abs":
            rtype = args[0].type
        return t.Func(rtype, text, func, args)

    def exists(self, node: s.Call, args: tuple[t.Expr, ...]) -> t.Expr:
        """``exists(d)``: whether the date fact ``d``, declaring ``none:``, has a value
        (true), is known to have none (false) or was not given (unknown)."""
        arg = args[0] if len(args) == 1 else None
        if not (
            isinstance(arg, t.FactRef)
            and arg.type.kind == DATE
            and arg.name in self.scope.none_facts
        ):
            raise self.error(
                Bilingual(
                    "exists() takes one date fact that declares `none:` (the words for a "
                    f"document never issued), not `{self.src(node)}`",
                    "hàm exists() nhận đúng một dữ kiện ngày có khai báo `none:` (cách ghi "
                    f"khi văn bản chưa ban hành), không nhận `{self.src(node)}`",
                ),
                node,
            )
        return t.Func(T_BOOL, self.src(node), "exists", args)

    def min_max(self, node: s.Call, func: str, args: tuple[t.Expr, ...]) -> t.Expr:
        """``min(a, b, …)`` / ``max(a, b, …)`` of single values, all numbers or all dates."""
        text, arg_nodes = self.src(node), node.args
        if len(args) < 2:
            raise self.error(
                Bilingual(
                    f"{func}() of single values needs at least two arguments",
                    f"hàm {func}() trên các giá trị đơn cần ít nhất hai đối số",
                ),
                node,
            )
        kind = args[0].type.kind
        for a, n in zip(args, arg_nodes, strict=True):
            if a.type.kind not in (NUMBER, DATE) or a.type.kind != kind:
                raise self.error(
                    Bilingual(
                        f"{func}() needs numbers or dates, all of one kind; "
                        f"`{self.src(n)}` is a {a.type.describe()}",
                        f"hàm {func}() cần các số hoặc các ngày, cùng một loại; "
                        f"`{self.src(n)}` có kiểu {a.type.describe_vi()}",
                    ),
                    n,
                )
        rtype = args[0].type if all(a.type == args[0].type for a in args) else T_DECIMAL
        return t.Func(rtype, text, func, args)

    def comprehension(self, node: s.Comprehension) -> t.Expr:
        text = self.src(node)
        lst = self.check(node.iterable)
        if lst.type.kind != LIST:
            raise self.error(
                Bilingual(
                    f"`for … in` needs a list fact; `{self.src(node.iterable)}` is a "
                    f"{lst.type.describe()}",
                    f"`for … in` cần một dữ kiện dạng danh sách; `{self.src(node.iterable)}` "
                    f"có kiểu {lst.type.describe_vi()}",
                ),
                node.iterable,
            )
        if node.var in self.vars or node.var in self.scope.facts:
            raise self.error(
                Bilingual(
                    f"the loop variable `{node.var}` hides another name",
                    f"biến lặp `{node.var}` trùng với một tên khác",
                ),
                node,
            )
        self.vars[node.var] = Type(RECORD, fields=lst.type.fields)
        self.in_aggregate += 1
        try:
            element = self.check(node.element)
            cond = None
            if node.cond is not None:
                cond = self.check(node.cond)
                self.require(
                    cond, BOOL, node.cond, Bilingual("the `if` of a `for`", "vế `if` của `for`")
                )
        finally:
            self.in_aggregate -= 1
            del self.vars[node.var]
        func = node.func
        if func in ("all", "any"):
            self.require(element, BOOL, node.element, Bilingual(f"{func}()", f"hàm {func}()"))
            rtype = T_BOOL
        elif func == "sum":
            self.require(element, NUMBER, node.element, Bilingual("sum()", "hàm sum()"))
            rtype = element.type if element.type == T_INTEGER else T_DECIMAL
        elif func in ("min", "max"):
            if element.type.kind not in (NUMBER, DATE):
                raise self.error(_numbers_or_dates(func), node.element)
            rtype = element.type
        else:  # count
            if element.type.kind not in (BOOL, RECORD):
                raise self.error(_COUNT_WHAT, node.element)
            rtype = T_INTEGER
        return t.Aggregate(rtype, text, func, element, node.var, lst, cond)
