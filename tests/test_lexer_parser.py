"""The lexer and the parser of the expression language: tokens, precedence, spans,
syntax errors with their position, and the limits on length and nesting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

import emulation_rules as er
from emulation_rules.expr import parse
from emulation_rules.expr import syntax as s
from emulation_rules.expr.lexer import MAX_LENGTH, tokenize
from emulation_rules.expr.parser import MAX_DEPTH

# -- lexer -------------------------------------------------------------------


def kinds_values(text: str) -> list[tuple[str, object]]:
    return [(t.kind, t.value) for t in tokenize(text)]


def test_numbers_are_int_or_exact_decimal_never_float() -> None:
    toks = tokenize("40 0.7 63.0")
    assert [t.value for t in toks[:-1]] == [40, Decimal("0.7"), Decimal("63.0")]
    assert type(toks[0].value) is int
    assert all(type(t.value) is Decimal for t in toks[1:-1])


@pytest.mark.parametrize(
    ("text", "value"),
    [("5%", Decimal("0.05")), ("1.5%", Decimal("0.015")), ("100%", Decimal(1)), ("0%", 0)],
)
def test_percent_literals_are_fractions(text: str, value: Decimal) -> None:
    (tok, end) = tokenize(text)
    assert tok.kind == "percent"
    assert tok.value == value and type(tok.value) is Decimal
    assert end.kind == "end" and end.offset == len(text)


def test_dates_strings_names_keywords_and_ops() -> None:
    assert kinds_values("2025-03-31 'Thôn 3' \"x\" crimes and <= != ( ) [ ] , .") == [
        ("date", date(2025, 3, 31)),
        ("string", "Thôn 3"),
        ("string", "x"),
        ("name", "crimes"),
        ("keyword", "and"),
        ("op", "<="),
        ("op", "!="),
        ("op", "("),
        ("op", ")"),
        ("op", "["),
        ("op", "]"),
        ("op", ","),
        ("op", "."),
        ("end", None),
    ]


def test_every_keyword_is_a_keyword() -> None:
    words = "and or not if then else true false for in"
    assert all(t.kind == "keyword" for t in tokenize(words)[:-1])
    # a keyword inside a longer name is a name
    assert kinds_values("android") == [("name", "android"), ("end", None)]


def test_token_offsets_point_into_the_text() -> None:
    text = "  crimes   <= 38"
    toks = tokenize(text)
    for tok in toks[:-1]:
        assert text[tok.offset : tok.offset + len(tok.text)] == tok.text
    assert [t.offset for t in toks] == [2, 11, 14, 16]


@pytest.mark.parametrize(
    ("text", "offset"),
    [("crimes @ 1", 7), ("a = 1", 2), ("a && b", 2), ("x $ y", 2), ("'unclosed", 0)],
)
def test_unexpected_character_is_an_error_at_its_offset(text: str, offset: int) -> None:
    with pytest.raises(er.ExpressionError) as info:
        tokenize(text)
    assert info.value.offset == offset
    assert info.value.text == text
    assert f"at character {offset + 1}" in str(info.value)


def test_invalid_date_literal_is_an_error() -> None:
    with pytest.raises(er.ExpressionError, match="invalid date 2024-02-30") as info:
        tokenize("d <= 2024-02-30")
    assert info.value.offset == 5
    # 2024 is a leap year: 29 February is a date
    assert tokenize("2024-02-29")[0].value == date(2024, 2, 29)


def test_length_limit() -> None:
    assert MAX_LENGTH == 4000
    ok = "x > 1" + " " * (MAX_LENGTH - 5)
    assert len(ok) == MAX_LENGTH
    parse(ok)
    with pytest.raises(er.ExpressionError, match="4001 characters long; the limit is 4000"):
        parse(ok + " ")


# -- parser ------------------------------------------------------------------


def test_precedence_of_arithmetic() -> None:
    tree = parse("a + b * c - d / e")
    # ((a + (b * c)) - (d / e))
    assert isinstance(tree, s.Binary) and tree.op == "-"
    left, right = tree.left, tree.right
    assert isinstance(left, s.Binary) and left.op == "+"
    assert isinstance(left.right, s.Binary) and left.right.op == "*"
    assert isinstance(right, s.Binary) and right.op == "/"


def test_arithmetic_is_left_associative() -> None:
    tree = parse("a - b - c")
    assert isinstance(tree, s.Binary) and isinstance(tree.left, s.Binary)
    assert isinstance(tree.right, s.Name) and tree.right.id == "c"


def test_precedence_of_boolean_operators() -> None:
    tree = parse("not a and b or c")
    # ((not a) and b) or c
    assert isinstance(tree, s.BoolOp) and tree.op == "or"
    first = tree.values[0]
    assert isinstance(first, s.BoolOp) and first.op == "and"
    assert isinstance(first.values[0], s.Not)


def test_boolean_operators_are_flattened() -> None:
    tree = parse("a and b and c and d")
    assert isinstance(tree, s.BoolOp) and len(tree.values) == 4


def test_comparison_binds_tighter_than_not() -> None:
    tree = parse("not x > 1")
    assert isinstance(tree, s.Not) and isinstance(tree.operand, s.Compare)


def test_chained_comparison_is_one_node() -> None:
    tree = parse("0 < rate <= 1.5%")
    assert isinstance(tree, s.Compare)
    assert tree.ops == ("<", "<=")
    assert len(tree.operands) == 3


@pytest.mark.parametrize(("text", "op"), [("x in [a, b]", "in"), ("x not in [a]", "not in")])
def test_membership(text: str, op: str) -> None:
    tree = parse(text)
    assert isinstance(tree, s.Compare) and tree.ops == (op,)
    assert isinstance(tree.operands[1], s.ListLiteral)


def test_if_then_else() -> None:
    tree = parse("if a then b + 1 else c")
    assert isinstance(tree, s.IfElse)
    assert isinstance(tree.then, s.Binary) and isinstance(tree.orelse, s.Name)


def test_unary_minus_and_attributes() -> None:
    tree = parse("-task_rating.good")
    assert isinstance(tree, s.Unary)
    assert isinstance(tree.operand, s.Attribute) and tree.operand.name == "good"


def test_calls_and_comprehensions() -> None:
    call = parse("min(a, b, c)")
    assert isinstance(call, s.Call) and call.func == "min" and len(call.args) == 3
    comp = parse("count(t for t in teams if t.good_deeds >= 1)")
    assert isinstance(comp, s.Comprehension)
    assert comp.func == "count" and comp.var == "t"
    assert isinstance(comp.element, s.Name)
    assert isinstance(comp.iterable, s.Name) and comp.iterable.id == "teams"
    assert isinstance(comp.cond, s.Compare)
    plain = parse("count(teams)")
    assert isinstance(plain, s.Call) and plain.func == "count"


def test_literals() -> None:
    assert parse("true") == s.Literal(0, 4, "bool", True)
    assert parse("false") == s.Literal(0, 5, "bool", False)
    assert parse("12") == s.Literal(0, 2, "integer", 12)
    assert parse("1.25") == s.Literal(0, 4, "decimal", Decimal("1.25"))
    assert parse("5%") == s.Literal(0, 2, "percent", Decimal("0.05"))
    assert parse("'a'") == s.Literal(0, 3, "string", "a")
    assert parse("2024-01-01") == s.Literal(0, 10, "date", date(2024, 1, 1))


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        pytest.param(
            "crimes <= crimes_previous_year * (1 - 5%)",
            "crimes_previous_year * (1 - 5%)",
            id="closing-paren-of-product",
        ),
        pytest.param("a and (b or c)", "(b or c)", id="closing-paren-of-and"),
        pytest.param("count(t for t in teams if t.x)", "t.x", id="comprehension"),
        pytest.param("if p then 1 else 2", "if p then 1 else 2", id="if"),
        pytest.param("(a + b) * c > 1", "(a + b) * c", id="opening-paren"),
        pytest.param("min(a, (b)) > 1", "min(a, (b))", id="call"),
    ],
)
def test_spans_cover_the_source_text(text: str, piece: str) -> None:
    """Every node's span is its source text, parentheses included (regression: a group's
    node used to exclude its `(` and `)`, so explanations showed `… <= (limit + 1`)."""
    tree = parse(text)
    assert (tree.start, tree.end) == (0, len(text))
    found = []

    def visit(node: s.Node) -> None:
        found.append(text[node.start : node.end])
        for name in node.__attrs_attrs__:  # type: ignore[attr-defined]
            value = getattr(node, name.name)
            for child in value if isinstance(value, tuple) else (value,):
                if isinstance(child, s.Node):
                    visit(child)

    visit(tree)
    assert piece in found


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("", "empty expression", 0),
        ("   ", "empty expression", 3),
        ("crimes <=", "ends too early", 9),
        ("crimes > 1 and", "ends too early", 14),
        ("crimes > 1 1", "unexpected '1'", 11),
        ("(crimes > 1", "expected ')'", 11),
        ("if a then b", "expected 'else'", 11),
        ("if a b else c", "expected 'then'", 5),
        ("x in 1", "expected '['", 5),
        ("x in []", "at least one item", None),
        ("foo(t for t in teams)", "does not take `for`", 6),
        ("min()", "needs at least one argument", 4),
        ("[1, 2]", "unexpected '['", 0),
        ("a.", "expected a name", 2),
        ("a.1", "expected a name", 2),
        ("count(t for 1 in x)", "expected a name", 12),
        ("count(t for t teams)", "expected 'in'", 14),
        (") x", "unexpected ')'", 0),
    ],
)
def test_syntax_errors_name_their_position(text: str, message: str, offset: int | None) -> None:
    with pytest.raises(er.ExpressionError) as info:
        parse(text)
    assert message in info.value.message
    if offset is not None:
        assert info.value.offset == offset
    assert info.value.offset is not None and 0 <= info.value.offset <= len(text)
    assert info.value.text == text
    assert isinstance(info.value, er.RuleSetError)


def test_nesting_limit_on_parentheses() -> None:
    assert MAX_DEPTH == 40
    inner = MAX_DEPTH - 1  # the whole expression is one level, each group one more
    parse("(" * inner + "x" + ")" * inner + " > 1")
    with pytest.raises(er.ExpressionError, match="nested more than 40 levels"):
        parse("(" * (MAX_DEPTH + 5) + "x" + ")" * (MAX_DEPTH + 5) + " > 1")


@pytest.mark.parametrize(
    "make",
    [
        lambda k: "not " * k + "b",
        lambda k: "-" * k + "x > 1",
        lambda k: "if b then " * k + "b" + " else b" * k,
        lambda k: "min(" * k + "x" + ", 1)" * k + " > 0",
    ],
    ids=["not", "minus", "if", "calls"],
)
def test_nesting_limit_applies_to_every_construct(make: Callable[[int], str]) -> None:
    parse(make(10))
    with pytest.raises(er.ExpressionError, match="nested more than"):
        parse(make(MAX_DEPTH + 10))


def test_nesting_limit_error_is_not_a_recursion_error() -> None:
    # far past the limit, and far past Python's own recursion limit
    for text in ("(" * 3000 + "x" + ")" * 3000, "not " * 990 + "b", "-" * 3990 + "x"):
        with pytest.raises(er.ExpressionError):
            parse(text)


def test_long_flat_chain_is_refused_or_parsed_without_recursion_error() -> None:
    """A long chain `1 + 1 + …` is not nested in the source; whatever the library's
    policy on it, it must not blow Python's stack."""
    text = "x" + " + 1" * 990 + " > 1"
    assert len(text) <= MAX_LENGTH
    try:
        tree = parse(text)
    except er.ExpressionError:
        return
    assert isinstance(tree, s.Compare)


def test_parser_does_not_evaluate_python() -> None:
    # Python syntax that is not the language's is refused, not run
    for text in ("__import__('os').system('true')", "lambda: 1", "x if y else z", "a[0]"):
        with pytest.raises(er.ExpressionError):
            parse(text)
