"""A recursive-descent parser for the expression language.

No part of rule text is ever given to Python's ``eval``, ``exec`` or ``compile``: the text
becomes the syntax tree of :mod:`emulation_rules.expr.syntax`, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from emulation_rules.errors import Bilingual, ExpressionError
from emulation_rules.expr import syntax as s
from emulation_rules.expr.lexer import Token, tokenize

MAX_DEPTH = 40
"""Deepest nesting of sub-expressions accepted."""

COMPARISON_OPS = frozenset({"<", "<=", ">", ">=", "==", "!="})
AGGREGATES = frozenset({"count", "sum", "all", "any", "min", "max"})


MAX_TREE_DEPTH = 100
"""Deepest syntax tree accepted (a long chain ``a + b + c …`` nests to the left)."""


def parse(text: str) -> s.Node:
    """Parse an expression into its syntax tree; raise ExpressionError when it is not one."""
    tree = _Parser(text).parse()
    _check_depth(tree, text)
    return tree


def _check_depth(tree: s.Node, text: str) -> None:
    """Refuse trees deeper than MAX_TREE_DEPTH (checked without recursion)."""
    stack: list[tuple[s.Node, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise ExpressionError(
                Bilingual(
                    f"expression nested more than {MAX_TREE_DEPTH} levels deep; split it "
                    "with `let`",
                    f"biểu thức lồng nhau quá {MAX_TREE_DEPTH} cấp; hãy tách nó ra bằng `let`",
                ),
                offset=node.start,
                text=text,
            )
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            children = value if isinstance(value, tuple) else (value,)
            stack.extend((c, depth + 1) for c in children if isinstance(c, s.Node))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- helpers ---------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, message: Bilingual, tok: Token | None = None) -> ExpressionError:
        """An error at ``tok`` (the current token); ``message`` is a :class:`Bilingual`."""
        tok = tok or self.tok
        return ExpressionError(message, offset=tok.offset, text=self.text)

    def at(self, kind: str, value: object = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (value is None or tok.value == value)

    def at_op(self, value: str) -> bool:
        return self.at("op", value)

    def at_kw(self, value: str) -> bool:
        return self.at("keyword", value)

    def take(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect_op(self, value: str) -> Token:
        if not self.at_op(value):
            raise self.error(self._expected(Bilingual(repr(value), repr(value))))
        return self.take()

    def expect_kw(self, value: str) -> Token:
        if not self.at_kw(value):
            raise self.error(self._expected(Bilingual(repr(value), repr(value))))
        return self.take()

    def expect_name(self) -> Token:
        if not self.at("name"):
            raise self.error(self._expected(Bilingual("a name", "một tên")))
        return self.take()

    def _expected(self, what: Bilingual) -> Bilingual:
        """``expected <what>, found <the current token>`` in both languages."""
        found = self._describe(self.tok)
        return Bilingual(f"expected {what}, found {found}", f"cần {what.vi}, nhưng gặp {found.vi}")

    @staticmethod
    def _describe(tok: Token) -> Bilingual:
        if tok.kind == "end":
            return Bilingual("the end of the expression", "chỗ kết thúc biểu thức")
        return Bilingual(repr(tok.text), repr(tok.text))

    def _unexpected(self, tok: Token) -> Bilingual:
        found = self._describe(tok)
        if tok.kind == "end":
            return Bilingual(f"unexpected {found}", "biểu thức kết thúc quá sớm")
        return Bilingual(f"unexpected {found}", f"không được có {found.vi} ở vị trí này")

    def _end_of_previous(self) -> int:
        prev = self.tokens[self.i - 1]
        return prev.offset + len(prev.text)

    # -- grammar ---------------------------------------------------------------
    def parse(self) -> s.Node:
        if self.at("end"):
            raise self.error(Bilingual("empty expression", "biểu thức trống"))
        node = self.expression()
        if not self.at("end"):
            raise self.error(self._unexpected(self.tok))
        return node

    def nested(self, parse: Callable[[], s.Node]) -> s.Node:
        """Parse one level deeper, refusing to go past MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                Bilingual(
                    f"expression nested more than {MAX_DEPTH} levels deep",
                    f"biểu thức lồng nhau quá {MAX_DEPTH} cấp",
                )
            )
        try:
            return parse()
        finally:
            self.depth -= 1

    def expression(self) -> s.Node:
        return self.nested(self._expression)

    def _expression(self) -> s.Node:
        if self.at_kw("if"):
            start = self.take().offset
            cond = self.expression()
            self.expect_kw("then")
            then = self.expression()
            self.expect_kw("else")
            orelse = self.expression()
            return s.IfElse(start, orelse.end, cond, then, orelse)
        return self.or_expr()

    def or_expr(self) -> s.Node:
        return self._boolop("or", self.and_expr)

    def and_expr(self) -> s.Node:
        return self._boolop("and", self.not_expr)

    def _boolop(self, op: str, operand: Callable[[], s.Node]) -> s.Node:
        first = operand()
        values = [first]
        while self.at_kw(op):
            self.take()
            values.append(operand())
        if len(values) == 1:
            return first
        return s.BoolOp(first.start, values[-1].end, op, tuple(values))

    def not_expr(self) -> s.Node:
        if self.at_kw("not"):
            start = self.take().offset
            operand = self.nested(self.not_expr)
            return s.Not(start, operand.end, operand)
        return self.comparison()

    def comparison(self) -> s.Node:
        first = self.additive()
        operands = [first]
        ops: list[str] = []
        while True:
            if self.tok.kind == "op" and self.tok.value in COMPARISON_OPS:
                ops.append(str(self.take().value))
                operands.append(self.additive())
            elif self.at_kw("in") or (
                self.at_kw("not")
                and self.tokens[self.i + 1].kind == "keyword"
                and self.tokens[self.i + 1].value == "in"
            ):
                op = "in"
                if self.at_kw("not"):
                    self.take()
                    op = "not in"
                self.take()
                operands.append(self.list_literal())
                ops.append(op)
            else:
                break
        if not ops:
            return first
        return s.Compare(first.start, operands[-1].end, tuple(operands), tuple(ops))

    def list_literal(self) -> s.Node:
        start = self.expect_op("[").offset
        items: list[s.Node] = []
        if not self.at_op("]"):
            items.append(self.additive())
            while self.at_op(","):
                self.take()
                items.append(self.additive())
        self.expect_op("]")
        if not items:
            raise self.error(
                Bilingual(
                    "an `in` list needs at least one item",
                    "danh sách sau `in` cần ít nhất một phần tử",
                )
            )
        return s.ListLiteral(start, self._end_of_previous(), tuple(items))

    def additive(self) -> s.Node:
        node = self.multiplicative()
        while self.at_op("+") or self.at_op("-"):
            op = str(self.take().value)
            right = self.multiplicative()
            node = s.Binary(node.start, right.end, op, node, right)
        return node

    def multiplicative(self) -> s.Node:
        node = self.unary()
        while self.at_op("*") or self.at_op("/"):
            op = str(self.take().value)
            right = self.unary()
            node = s.Binary(node.start, right.end, op, node, right)
        return node

    def unary(self) -> s.Node:
        if self.at_op("-"):
            start = self.take().offset
            operand = self.nested(self.unary)
            return s.Unary(start, operand.end, "-", operand)
        return self.postfix()

    def postfix(self) -> s.Node:
        node = self.primary()
        while self.at_op("."):
            self.take()
            name = self.expect_name()
            node = s.Attribute(node.start, name.offset + len(name.text), node, str(name.value))
        return node

    def primary(self) -> s.Node:
        tok = self.tok
        end = tok.offset + len(tok.text)
        if tok.kind in ("number", "percent", "date", "string"):
            self.take()
            kind = {"number": "integer" if isinstance(tok.value, int) else "decimal"}.get(
                tok.kind, tok.kind
            )
            return s.Literal(tok.offset, end, kind, tok.value)
        if self.at_kw("true") or self.at_kw("false"):
            self.take()
            return s.Literal(tok.offset, end, "bool", tok.value == "true")
        if tok.kind == "name":
            self.take()
            if self.at_op("("):
                return self.call(tok)
            return s.Name(tok.offset, end, str(tok.value))
        if self.at_op("("):
            start = self.take().offset
            node = self.expression()
            close = self.expect_op(")")
            return attrs.evolve(node, start=start, end=close.offset + 1)
        if tok.kind == "end":
            raise self.error(
                Bilingual("the expression ends too early", "biểu thức kết thúc quá sớm")
            )
        raise self.error(self._unexpected(tok))

    def call(self, name: Token) -> s.Node:
        func = str(name.value)
        self.expect_op("(")
        if self.at_op(")"):
            raise self.error(
                Bilingual(
                    f"{func}() needs at least one argument",
                    f"hàm {func}() cần ít nhất một đối số",
                )
            )
        first = self.expression()
        if self.at_kw("for"):
            if func not in AGGREGATES:
                only = ", ".join(sorted(AGGREGATES))
                raise self.error(
                    Bilingual(
                        f"{func}() does not take `for`; only {only} do",
                        f"hàm {func}() không nhận `for`; chỉ các hàm {only} nhận",
                    )
                )
            self.take()
            var = self.expect_name()
            self.expect_kw("in")
            iterable = self.postfix()
            cond = None
            if self.at_kw("if"):
                self.take()
                cond = self.or_expr()
            self.expect_op(")")
            return s.Comprehension(
                name.offset, self._end_of_previous(), func, first, str(var.value), iterable, cond
            )
        args = [first]
        while self.at_op(","):
            self.take()
            args.append(self.expression())
        self.expect_op(")")
        return s.Call(name.offset, self._end_of_previous(), func, tuple(args))
