"""The type checker: names, types, enumeration levels, aggregates and functions are
checked when a rule set loads; errors say what is wrong, where, and suggest a fix."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import emulation_rules as er
from emulation_rules.expr import check_text, referenced
from emulation_rules.expr import typed as t
from emulation_rules.expr.types import (
    ENUM,
    LIST,
    T_BOOL,
    T_DATE,
    T_DECIMAL,
    T_INTEGER,
    T_PERCENT,
    T_STRING,
    Type,
)
from support import line_of, load_text, minimal, scope_of, shipped_enum_types

ENUMS = shipped_enum_types()
RATING = Type(ENUM, enum=ENUMS["task_rating"])
MOVEMENT = Type(ENUM, enum=ENUMS["movement_class"])
TEAMS = Type(
    LIST,
    fields=(
        ("name", T_STRING),
        ("deeds", T_INTEGER),
        ("active", T_BOOL),
        ("rating", RATING),
        ("day", T_DATE),
        ("share", T_PERCENT),
    ),
)
SCOPE = scope_of(
    {
        "crimes": T_INTEGER,
        "previous": T_INTEGER,
        "flag": T_BOOL,
        "rate": T_PERCENT,
        "score": T_DECIMAL,
        "when": T_DATE,
        "village": T_STRING,
        "rating": RATING,
        "movement": MOVEMENT,
        "teams": TEAMS,
    },
    {"limit": T_INTEGER, "deadline": T_DATE, "min_rating": RATING, "strict": T_BOOL},
    ENUMS,
)


def check(text: str, expect: Type | None = T_BOOL) -> t.Expr:
    return check_text(text, SCOPE, expect=expect)


def error(text: str, expect: Type | None = T_BOOL) -> er.ExpressionError:
    with pytest.raises(er.ExpressionError) as info:
        check(text, expect)
    return info.value


# -- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unknown", "suggestion", "offset"),
    [
        ("crims > 1", "crims", "crimes", 0),
        ("crimes > 1 and flg", "flg", "flag", 15),
        ("crimes <= limt", "limt", "limit", 10),
        ("when <= deadlin", "deadlin", "deadline", 8),
    ],
)
def test_unknown_name_with_suggestion(
    text: str, unknown: str, suggestion: str, offset: int
) -> None:
    exc = error(text)
    assert f"unknown name `{unknown}`" in exc.message
    assert f"did you mean `{suggestion}`?" in exc.message
    assert exc.offset == offset
    assert exc.text == text


def test_unknown_name_without_close_match_has_no_suggestion() -> None:
    exc = error("zzzzzz > 1")
    assert "unknown name `zzzzzz`" in exc.message
    assert "did you mean" not in exc.message


def test_names_resolve_to_facts_parameters_and_lets() -> None:
    scope = scope_of({"a": T_INTEGER}, {"p": T_INTEGER})
    scope = type(scope)(scope.facts, scope.parameters, scope.enumerations, {"l": T_DECIMAL})
    tree = check_text("a + p + l > 0", scope)
    assert isinstance(tree, t.Compare)
    refs = [n for n in t.walk(tree) if isinstance(n, t.FactRef | t.ParamRef | t.LocalRef)]
    assert [type(n).__name__ for n in refs] == ["FactRef", "ParamRef", "LocalRef"]


def test_an_enumeration_alone_is_not_a_value() -> None:
    exc = error("task_rating > 1")
    assert "`task_rating` is an enumeration" in exc.message
    assert "task_rating.excellent" in exc.message


# -- types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("crimes + flag > 1", "`+` needs a number, but `flag` is a bool"),
        ("crimes and flag", "`and` needs a bool, but `crimes` is a integer"),
        ("flag or village", "`or` needs a bool"),
        ("not crimes", "`not` needs a bool"),
        ("-flag", "`-` needs a number"),
        ("crimes == when", "cannot compare `crimes` (integer) with `when` (date)"),
        ("village < 'b'", "`<` needs numbers, dates or ordered levels"),
        ("flag < true", "`<` needs numbers, dates or ordered levels"),
        ("teams == teams", "lists and records cannot be compared"),
        ("crimes.x > 1", "only a record"),
        ("if crimes then true else false", "`if` needs a bool"),
        ("if flag then 1 else when", "the branches of `if` give different types"),
        ("rating == movement", "cannot compare `rating` (enumeration task_rating)"),
        ("movement >= min_rating", "enumeration movement_class"),
        ("crimes in [1, 'a']", "`'a'` is a string, but `crimes` is a integer"),
        ("flag in [true]", "`in` needs an enumeration, a string or a number"),
        ("[1, 2] == crimes", "unexpected '['"),
        ("1 in [1] in [1]", "may only stand on the right of `in`"),
        ("crimes < 2 in [1]", "cannot be chained"),
    ],
)
def test_type_errors(text: str, fragment: str) -> None:
    assert fragment in error(text).message


@pytest.mark.parametrize(
    ("text", "gives"),
    [
        ("crimes + 1", "integer"),
        ("crimes - previous * 2", "integer"),
        ("crimes * 0.5", "decimal"),
        ("crimes / 2", "decimal"),
        ("rate + rate", "percent"),
        ("rate - 5%", "percent"),
        ("rate * 2", "decimal"),
        ("-crimes", "integer"),
        ("abs(crimes - previous)", "integer"),
        ("abs(score)", "decimal"),
        ("floor(score)", "integer"),
        ("ceil(rate)", "integer"),
        ("min(crimes, limit)", "integer"),
        ("min(crimes, score)", "decimal"),
        ("if flag then crimes else score", "decimal"),
        ("year(when)", "integer"),
        ("days_between(when, deadline)", "integer"),
        ("sum(x.deeds for x in teams)", "integer"),
        ("sum(x.share for x in teams)", "decimal"),
        ("count(teams)", "integer"),
    ],
)
def test_number_kinds_of_results(text: str, gives: str) -> None:
    assert check(text, None).type.describe() == gives


def test_condition_must_be_boolean() -> None:
    exc = error("crimes + 1")
    assert "must give a bool, but gives a integer" in exc.message


def test_expected_type_is_optional_for_lets() -> None:
    assert check("crimes + 1", None).type == T_INTEGER


# -- enumeration levels --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "rating >= good",
        "good <= rating",
        "rating >= task_rating.good",
        "task_rating.good <= rating",
        "rating in [good, excellent]",
        "rating not in [not_done]",
        "movement >= good",
        "movement == movement_class.average",
        "rating >= (if flag then task_rating.good else done)",
        "any(x.rating >= good for x in teams)",
    ],
)
def test_levels_bare_beside_an_enum_or_qualified(text: str) -> None:
    tree = check(text)
    consts = [n for n in t.walk(tree) if isinstance(n, t.Const) and n.type.kind == ENUM]
    assert consts, "a level must become an enumeration constant"


def test_enumeration_parameter_compares_with_enumeration_fact() -> None:
    tree = check("rating >= min_rating")
    assert isinstance(tree, t.Compare) and isinstance(tree.right, t.ParamRef)
    assert tree.right.type == RATING


def test_levels_are_ranks_higher_is_better() -> None:
    tree = check("rating >= good")
    assert isinstance(tree, t.Compare) and isinstance(tree.right, t.Const)
    assert tree.right.value == ENUMS["task_rating"].rank("good") == 3
    bad = check("rating >= not_done")
    assert isinstance(bad, t.Compare) and isinstance(bad.right, t.Const)
    assert bad.right.value == 1


@pytest.mark.parametrize(
    ("text", "level", "suggestion", "offset"),
    [
        ("rating >= goood", "goood", "good", 10),
        ("rating >= task_rating.goood", "goood", "good", 10),
        ("rating in [good, excelent]", "excelent", "excellent", 17),
        ("movement >= avrage", "avrage", "average", 12),
        ("rating >= excellent_collective", "excellent_collective", "excellent", 10),
    ],
)
def test_misspelt_level_lists_levels_and_suggests(
    text: str, level: str, suggestion: str, offset: int
) -> None:
    exc = error(text)
    assert f"`{level}` is not a level of enumeration" in exc.message
    assert "(levels: " in exc.message
    assert f"did you mean `{suggestion}`?" in exc.message
    assert exc.offset == offset


def test_misspelt_level_message_lists_all_levels() -> None:
    exc = error("rating >= goood")
    assert "levels: excellent, good, done, not_done" in exc.message


def test_bare_level_away_from_an_enumeration_is_unknown() -> None:
    assert "unknown name `good`" in error("good == good").message


# -- comparisons ---------------------------------------------------------------


def test_chained_comparison_is_checked_link_by_link() -> None:
    tree = check("0 < crimes <= limit")
    assert isinstance(tree, t.Chain)
    assert [link.op for link in tree.links] == ["<", "<="]
    assert [link.text for link in tree.links] == ["0 < crimes", "crimes <= limit"]
    assert len(tree.operands) == 3


def test_chained_comparison_type_error_names_the_link() -> None:
    exc = error("0 < crimes <= when")
    assert "cannot compare `crimes` (integer) with `when` (date)" in exc.message


def _compares(node: t.Expr) -> list[t.Compare]:
    out: list[t.Compare] = []
    for n in t.walk(node):  # a chain's links are its children
        if isinstance(n, t.Compare):
            out.append(n)
    return out


def test_comparisons_are_numbered_outside_aggregates_only() -> None:
    tree = check("crimes > 1 and all(x.deeds >= 1 for x in teams) and 0 < score <= 5")
    compares = _compares(tree)
    indexed = sorted(c.index for c in compares if c.index >= 0)
    assert indexed == [0, 1, 2]
    assert [c.index for c in compares if c.text == "x.deeds >= 1"] == [-1]


@pytest.mark.parametrize(
    "text",
    ["crimes in [1, 2, 3]", "village in ['Thôn 1', 'Thôn 2']", "score not in [1, 2.5]"],
)
def test_membership_on_numbers_and_texts(text: str) -> None:
    assert isinstance(check(text), t.Member)


# -- aggregates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "func"),
    [
        ("count(x for x in teams if x.active) >= 2", "count"),
        ("count(x.active for x in teams) >= 1", "count"),
        ("count(teams) >= 1", "count"),
        ("sum(x.deeds for x in teams if x.rating >= good) >= 3", "sum"),
        ("all(x.deeds >= 1 or x.active for x in teams)", "all"),
        ("any(x.rating >= task_rating.good for x in teams)", "any"),
        ("min(x.deeds for x in teams) >= 0", "min"),
        ("max(x.day for x in teams) <= deadline", "max"),
    ],
)
def test_aggregates(text: str, func: str) -> None:
    aggs = [n for n in t.walk(check(text)) if isinstance(n, t.Aggregate)]
    assert [a.func for a in aggs] == [func]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("count(crimes) >= 1", "count() needs a list, but `crimes` is a integer"),
        ("sum(teams) > 1", "sum() takes a `for` clause"),
        ("all(teams)", "all() takes a `for` clause"),
        ("count(x.deeds for x in teams) > 0", "count() counts records"),
        ("sum(x.name for x in teams) >= 1", "sum() needs a number"),
        ("all(x.deeds for x in teams)", "all() needs a bool"),
        ("min(x.name for x in teams) == 'a'", "min() needs numbers or dates"),
        ("count(x for x in crimes) > 1", "`for … in` needs a list fact"),
        ("all(x.bogus for x in teams)", "the record has no field `bogus`"),
        ("all(x.deedz > 1 for x in teams)", "did you mean `deeds`?"),
        ("all(crimes > 1 for crimes in teams)", "the loop variable `crimes` hides another name"),
        ("count(x for x in teams if x.deeds) > 1", "the `if` of a `for` needs a bool"),
        ("x.deeds > 1", "unknown name `x`"),
    ],
)
def test_aggregate_errors(text: str, fragment: str) -> None:
    assert fragment in error(text).message


def test_loop_variable_does_not_leak() -> None:
    assert "unknown name `x`" in error("all(x.active for x in teams) and x.active").message


# -- functions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("abs(when) > 1", "abs() needs a number, but `when` is a date"),
        ("month(crimes) > 1", "month() needs a date"),
        ("days_between(when) > 1", "days_between() takes 2 argument(s), not 1"),
        ("min(crimes) > 1", "at least two arguments"),
        ("min(crimes, when) > 1", "all of one kind"),
        ("lenn(teams) > 1", "unknown function `lenn`"),
        ("floo(score) > 1", "did you mean `floor`?"),
    ],
)
def test_function_errors(text: str, fragment: str) -> None:
    assert fragment in error(text).message


@pytest.mark.parametrize(
    "text",
    [
        "quarter(when) == 1 and day(when) <= 31 and month(when) >= 1 and year(when) > 2000",
        "days_between(when, deadline) <= 90",
        "max(when, deadline) == deadline",
        "floor(score) + ceil(score) >= abs(-crimes)",
    ],
)
def test_functions(text: str) -> None:
    assert check(text).type == T_BOOL


# -- what an expression reads --------------------------------------------------


def test_referenced_facts_parameters_and_fields() -> None:
    facts, params, fields = referenced(
        check("crimes <= limit and all(x.deeds >= 1 or x.active for x in teams)")
    )
    assert facts == {"crimes", "teams"}
    assert params == {"limit"}
    assert fields == {("teams", "deeds"), ("teams", "active")}


# -- limits --------------------------------------------------------------------


def test_limits_apply_to_checking() -> None:
    with pytest.raises(er.ExpressionError, match="the limit is 4000"):
        check("crimes > 1 " + " " * 4000)
    with pytest.raises(er.ExpressionError, match="nested more than 40 levels"):
        check("(" * 50 + "crimes" + ")" * 50 + " > 1")
    check("(" * 30 + "crimes" + ")" * 30 + " > 1")


# -- errors at load name the file, the line and the criterion -------------------


def test_condition_error_names_file_line_and_criterion(tmp_path: Path) -> None:
    text = minimal("count_a <= limit and rating >= goood")
    with pytest.raises(er.ExpressionError) as info:
        load_text(tmp_path, text)
    exc = info.value
    assert exc.file is not None and exc.file.endswith("rules.yaml")
    assert exc.line == line_of(text, "condition: |-")
    assert exc.criterion == "C1"
    assert exc.offset == len("count_a <= limit and rating >= ")
    rendered = str(exc)
    assert rendered.startswith(f"{exc.file}:{exc.line}: criterion C1: ")
    assert "did you mean `good`?" in rendered
    assert "at character 32" in rendered


def test_let_error_names_the_let_line(tmp_path: Path) -> None:
    extra = """\
  - id: C2
    number: 2
    group: g
    title: {vi: Hai, en: Two}
    text: {vi: Tiêu chí hai.}
    let:
      total: count_a + flag
    condition: total > 1
"""
    text = minimal(criteria=extra)
    with pytest.raises(er.ExpressionError) as info:
        load_text(tmp_path, text)
    assert info.value.criterion == "C2"
    assert info.value.line == line_of(text, "total: count_a + flag")
    assert "`+` needs a number" in info.value.message


def test_a_let_is_typed_for_the_condition(tmp_path: Path) -> None:
    extra = """\
  - id: C2
    number: 2
    group: g
    title: {vi: Hai, en: Two}
    text: {vi: Tiêu chí hai.}
    let:
      late: count_a > limit
    condition: late + 1 > 1
"""
    with pytest.raises(er.ExpressionError, match="`late` is a bool"):
        load_text(tmp_path, minimal(criteria=extra))


def test_lets_are_computed_in_order(tmp_path: Path) -> None:
    extra = """\
  - id: C2
    number: 2
    group: g
    title: {vi: Hai, en: Two}
    text: {vi: Tiêu chí hai.}
    let:
      first: second + 1
      second: count_a * 2
    condition: first > 1
"""
    with pytest.raises(er.ExpressionError, match="unknown name `second`"):
        load_text(tmp_path, minimal(criteria=extra))


def test_type_error_in_a_replaced_criterion_names_the_overlay(tmp_path: Path) -> None:
    text = minimal(
        head="extends: demo-commune",
        tail="""\
replace:
  - id: "30"
    number: 30
    group: security
    title: {vi: Tin báo, en: Tips}
    text: {vi: Ít nhất 80% tin báo.}
    condition: tips_share >= "80%"
""",
        id="t-overlay",
        effective="2024-01-01",
    )
    with pytest.raises(er.ExpressionError) as info:
        load_text(tmp_path, text)
    exc = info.value
    assert exc.file is not None and exc.file.endswith("rules.yaml")
    assert exc.criterion == "30"
    assert exc.line == line_of(text, 'condition: tips_share >= "80%"')
    assert "cannot compare `tips_share` (percent)" in exc.message


# -- accepted nonsense refused at load (issue 13) -------------------------------


@pytest.mark.parametrize(
    ("text", "count", "percentage"),
    [
        ("crimes >= rate", "crimes", "rate"),
        ("rate <= crimes", "crimes", "rate"),
        ("crimes >= 80%", "crimes", "80%"),
        ("count(teams) >= rate", "count(teams)", "rate"),
        ("sum(x.deeds for x in teams) > rate", "sum(x.deeds for x in teams)", "rate"),
        ("limit < rate", "limit", "rate"),
        ("crimes - previous == 5%", "crimes - previous", "5%"),
        ("all(x.deeds >= x.share for x in teams)", "x.deeds", "x.share"),
        ("0 < crimes <= rate", "crimes", "rate"),
    ],
)
def test_a_count_compared_with_a_percentage_is_refused(
    text: str, count: str, percentage: str
) -> None:
    message = error(text).message
    assert f"cannot compare `{count}` (a count, integer) with `{percentage}`" in message
    assert "a percentage" in message


@pytest.mark.parametrize(
    "text",
    [
        "rate >= 80%",
        "crimes >= previous * rate",  # a count against a count's share: a decimal
        "crimes / previous >= rate",
        "crimes * 100 / previous >= 80",
        "ceil(previous * rate) <= crimes",
        "rate > 0",
        "rate <= 1",
        "rate == 0 or crimes >= 1",
        "sum(x.share for x in teams) >= 50%",
    ],
)
def test_shares_and_counts_compare_with_their_own_kind(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text",
    [
        "crimes / 0 > 1",
        "crimes / 0.0 > 1",
        "crimes / 0% > 1",
        "crimes / (2 - 2) > 1",
        "crimes / -(3 * 0) > 1",
        "crimes / (1 - 2 / 2) > 1",
        "crimes / 0 / 5 > 1",
    ],
)
def test_division_by_a_constant_zero_is_refused(text: str) -> None:
    exc = error(text)
    assert "division by zero" in exc.message
    assert exc.offset == text.index("/ ") + 2


def test_division_by_a_parameter_that_is_zero_in_a_dated_version_is_refused() -> None:
    scope = scope_of(
        {"crimes": T_INTEGER}, {"limit": T_INTEGER, "base": T_INTEGER}, shipped_enum_types()
    )
    zero = attrs.evolve(scope, parameter_values={"limit": (3, 0), "base": (3,)})
    with pytest.raises(er.ExpressionError, match=r"`limit` is 0 for a value of parameter `limit`"):
        check_text("crimes / limit > 1", zero)
    with pytest.raises(er.ExpressionError, match="division by zero"):
        check_text("crimes / (base - 3) > 1", zero)
    never_zero = attrs.evolve(scope, parameter_values={"limit": (3, 5), "base": (3,)})
    check_text("crimes / limit > 1", never_zero)
    check_text("crimes / (base - 2) > 1", never_zero)
    check_text("crimes / limit > 1", scope)  # values unknown: left to evaluation


@pytest.mark.parametrize("text", ["crimes / previous > 1", "crimes / 2 > 1", "1 / rate > 2"])
def test_division_by_what_the_evidence_gives_is_checked_when_evaluating(text: str) -> None:
    check(text)


def test_count_against_percentage_at_load_names_file_line_and_criterion(tmp_path: Path) -> None:
    text = minimal(
        "count_a >= share",
        facts="  share: {type: percentage, label: {vi: Tỷ lệ, en: Share}}",
    )
    with pytest.raises(er.ExpressionError) as info:
        load_text(tmp_path, text)
    exc = info.value
    assert exc.file is not None and exc.file.endswith("rules.yaml")
    assert exc.line == line_of(text, "condition: |-")
    assert exc.criterion == "C1"
    assert str(exc).startswith(f"{exc.file}:{exc.line}: criterion C1: cannot compare `count_a`")


def test_division_by_a_dated_zero_parameter_at_load(tmp_path: Path) -> None:
    parameters = """\
  parts:
    type: integer
    label: {vi: Số phần, en: Parts}
    source: {document: TEST-MIN/QĐ, part: Điều 3}
    values:
      - {from: 2023-01-01, value: 4}
      - {from: 2025-01-01, value: 0}
"""
    text = minimal("count_a / parts <= limit", parameters=parameters)
    with pytest.raises(er.ExpressionError) as info:
        load_text(tmp_path, text)
    exc = info.value
    assert exc.line == line_of(text, "condition: |-")
    assert exc.criterion == "C1"
    assert "division by zero: `parts` is 0 for a value of parameter `parts`" in exc.message
    load_text(tmp_path, text.replace("value: 0}", "value: 2}"))
