"""The run-time helpers (Kleene logic, three-valued aggregates, exact division) and the
code generator: the two-valued (fast) and three-valued (full) forms of an expression
agree whenever every fact is known, and rule text never becomes code."""

from __future__ import annotations

import builtins
import copy
import gc
import linecache
import pickle
import random
import time
import traceback
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.expr import check_text
from emulation_rules.expr import runtime as rt
from emulation_rules.expr.codegen import ExprCompiler, Namespace
from emulation_rules.expr.trace import Comparison, Trace
from emulation_rules.expr.types import (
    ENUM,
    LIST,
    T_BOOL,
    T_DATE,
    T_DECIMAL,
    T_INTEGER,
    T_PERCENT,
    Type,
)
from support import ON, compile_expr, load_text, minimal, scope_of, shipped_enum_types

U = er.UNKNOWN
T, F = True, False

# -- Kleene logic ----------------------------------------------------------------

# The tables of docs/expressions.md, written out (not computed).
AND_TABLE = {
    (T, T): T,
    (T, F): F,
    (T, U): U,
    (F, T): F,
    (F, F): F,
    (F, U): F,
    (U, T): U,
    (U, F): F,
    (U, U): U,
}
OR_TABLE = {
    (T, T): T,
    (T, F): T,
    (T, U): T,
    (F, T): T,
    (F, F): F,
    (F, U): U,
    (U, T): T,
    (U, F): U,
    (U, U): U,
}
NOT_TABLE = {T: F, F: T, U: U}


@pytest.mark.parametrize(("a", "b"), list(AND_TABLE))
def test_kleene_and_or(a: Any, b: Any) -> None:
    assert rt.kand(a, b) is AND_TABLE[a, b]
    assert rt.kor(a, b) is OR_TABLE[a, b]


@pytest.mark.parametrize("a", [T, F, U])
def test_kleene_not(a: Any) -> None:
    assert rt.knot(a) is NOT_TABLE[a]


def test_kleene_nary_and_empty() -> None:
    assert rt.kand() is True and rt.kor() is False
    assert rt.kand(T, U, F) is False and rt.kand(T, U, T) is U
    assert rt.kor(F, U, T) is True and rt.kor(F, U, F) is U


def test_unknown_is_a_singleton_without_truth_value() -> None:
    assert repr(U) == "UNKNOWN"
    assert type(U)() is U
    assert copy.copy(U) is U and copy.deepcopy(U) is U
    assert pickle.loads(pickle.dumps(U)) is U
    with pytest.raises(TypeError, match="no truth value"):
        bool(U)
    assert er.expr.UNKNOWN is U is rt.UNKNOWN


@pytest.mark.parametrize(
    ("cond", "then", "orelse", "result"),
    [
        (T, 1, 2, 1),
        (F, 1, 2, 2),
        (T, 1, U, 1),
        (F, U, 2, 2),
        (U, 1, 1, 1),
        (U, 1, 2, U),
        (U, U, 1, U),
        (U, 1, U, U),
        (U, U, U, U),
        (U, T, T, T),
        (U, T, F, U),
    ],
)
def test_if_with_unknown_condition_is_known_only_when_branches_agree(
    cond: Any, then: Any, orelse: Any, result: Any
) -> None:
    got = rt.conditional(cond, lambda: then, lambda: orelse)
    assert got is result or (result is not U and got == result)


def test_if_with_known_condition_computes_one_branch() -> None:
    def boom() -> Any:
        raise AssertionError("the other branch must not be computed")

    assert rt.conditional(T, lambda: 1, boom) == 1
    assert rt.conditional(F, boom, lambda: 2) == 2


@pytest.mark.parametrize(
    ("value", "items", "negate", "result"),
    [
        (1, (1, 2), False, T),
        (3, (1, 2), False, F),
        (3, (1, 2), True, T),
        (1, (1, 2), True, F),
        (U, (1, 2), False, U),
        (1, (U, 1), False, T),
        (3, (U, 1), False, U),
        (3, (U, 1), True, U),
    ],
)
def test_member(value: Any, items: tuple[Any, ...], negate: bool, result: Any) -> None:
    assert rt.member(value, items, negate) is result


@pytest.mark.parametrize(
    ("func", "pairs", "result"),
    [
        ("all", [], T),
        ("all", [(T, T), (T, T)], T),
        ("all", [(T, T), (T, U)], U),
        ("all", [(T, U), (T, F)], F),  # one false record decides
        ("all", [(F, None), (T, T)], T),  # filtered out
        ("all", [(U, F)], U),  # might be filtered out
        ("all", [(U, T)], T),  # true either way
        ("any", [], F),
        ("any", [(T, U), (T, T)], T),  # one true record decides
        ("any", [(T, F), (T, U)], U),
        ("any", [(U, T)], U),
        ("any", [(U, F)], F),
        ("count", [(T, T), (T, F), (F, None)], 1),
        ("count", [(T, T), (U, T)], U),
        ("count", [(T, U)], U),
        ("count", [(U, F), (T, T)], 1),
        ("sum", [(T, 2), (T, 3), (F, None)], 5),
        ("sum", [(T, 2), (T, U)], U),
        ("sum", [(U, 0), (T, 2)], 2),  # a zero counts the same either way
        ("sum", [(U, 1)], U),
        ("sum", [], 0),
        ("min", [(T, 3), (T, 1), (F, None)], 1),
        ("max", [(T, 3), (T, 1)], 3),
        ("min", [(T, 3), (T, U)], U),
        ("max", [(U, 3)], U),
    ],
)
def test_three_valued_aggregates(func: str, pairs: list[tuple[Any, Any]], result: Any) -> None:
    got = rt.u_aggregate(func, iter(pairs), "C")
    assert got is result or (result is not U and got == result)


@pytest.mark.parametrize("func", ["min", "max"])
def test_min_max_of_nothing_is_an_error_naming_the_criterion(func: str) -> None:
    with pytest.raises(er.EvaluationError, match="empty list") as info:
        rt.u_aggregate(func, iter([(F, None)]), "C7")
    assert info.value.criterion == "C7"
    with pytest.raises(er.EvaluationError):
        (rt.agg_min if func == "min" else rt.agg_max)(iter([]), "C7")


def test_division_is_exact_and_by_zero_is_an_error() -> None:
    assert rt.divide(1, 3, "C") == Decimal(1) / Decimal(3)
    assert rt.divide(63, 90, "C") == Decimal("0.7")
    assert isinstance(rt.divide(4, 2, "C"), Decimal)
    with pytest.raises(er.EvaluationError, match="division by zero") as info:
        rt.divide(5, 0, "29")
    assert info.value.criterion == "29"
    assert info.value.path == ("criteria", "29")
    assert rt.u_divide(U, 2, "C") is U and rt.u_divide(2, U, "C") is U


def test_lifted_functions_are_unknown_on_unknown_arguments() -> None:
    assert rt.U_FUNCTIONS["max"](1, U) is U
    assert rt.U_FUNCTIONS["max"](1, 2) == 2
    assert rt.U_COMPARISONS["<="](U, 1) is U
    assert rt.U_COMPARISONS["<="](1, 1) is True
    assert rt.U_ARITHMETIC["*"](U, 0) is U  # no shortcut: 0 * unknown is unknown
    assert rt.u_neg(U) is U and rt.u_neg(3) == -3
    assert rt.u_field(U, 0) is U and rt.u_field((4, 5), 1) == 5


def test_date_helpers() -> None:
    assert [rt.quarter(date(2024, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert rt.days_between(date(2024, 1, 1), date(2024, 3, 1)) == 60  # leap year
    assert rt.days_between(date(2024, 3, 1), date(2024, 1, 1)) == -60


def test_traced_records_each_comparison() -> None:
    trace = Trace()
    assert rt.traced(trace, 0, "<=", 40, Decimal("38.95")) is False
    assert rt.traced(trace, 1, ">=", U, 1) is U
    assert rt.traced(None, 2, "==", 1, 1) is True
    assert trace.comparisons == [
        Comparison(0, 40, Decimal("38.95"), False),
        Comparison(1, U, 1, U),
    ]
    assert trace.branches == []
    assert trace.last_comparisons()[1].result is U


def test_branches_are_recorded_apart_from_comparisons() -> None:
    trace = Trace()
    assert rt.conditional_traced(trace, 0, True, lambda: 1, lambda: 2) == 1
    assert rt.conditional_traced(trace, 1, U, lambda: 1, lambda: 1) == 1
    assert rt.conditional_traced(trace, 0, False, lambda: 1, lambda: 2) == 2
    assert rt.conditional_traced(trace, 0, True, lambda: 1, lambda: 2) == 1
    assert trace.comparisons == []
    assert trace.branches_taken() == ((0, False), (0, True), (1, None))


# -- generated code: fast and full agree -------------------------------------------

ENUMS = shipped_enum_types()
RATING = Type(ENUM, enum=ENUMS["task_rating"])
TEAMS = Type(LIST, fields=(("deeds", T_INTEGER), ("active", T_BOOL), ("day", T_DATE)))
FACTS = {
    "a": T_INTEGER,
    "b": T_INTEGER,
    "p": T_BOOL,
    "q": T_BOOL,
    "r": T_PERCENT,
    "s": T_DECIMAL,
    "w": T_DATE,
    "rating": RATING,
    "teams": TEAMS,
}
SCOPE = scope_of(FACTS, {"lim": T_INTEGER, "half": T_PERCENT}, ENUMS)
PARAMS = {"lim": 3, "half": Decimal("0.5")}

EXPRESSIONS = [
    "a <= lim",
    "a + b * 2 >= lim - 1",
    "a * 0.7 <= b",
    "p and q",
    "p or q and not p",
    "not (p and q) or p and not q",
    "0 < a <= b < 5",
    "a in [1, 2, 3]",
    "a not in [0, lim]",
    "rating >= good",
    "rating in [excellent, done]",
    "r >= half",
    "r + 10% >= 60%",
    "s * 2 > a",
    "if p then a > 1 else b > 1",
    "(if q then a else s) >= 2",
    "min(a, b) < max(s, 1)",
    "abs(a - b) <= 2 and floor(s) <= ceil(s)",
    "quarter(w) == 1 or month(w) >= 6 and day(w) != 1",
    "days_between(w, 2024-06-01) > 30 and year(w) == 2024 and month(w) != 3",
    "count(teams) >= 1",
    "count(x for x in teams if x.active) >= 1",
    "count(x.active for x in teams) <= 2",
    "sum(x.deeds for x in teams) >= a",
    "sum(x.deeds for x in teams if x.active) > 0",
    "all(x.deeds >= 1 or x.active for x in teams)",
    "any(x.deeds > b for x in teams)",
    "count(teams) == 0 or min(x.deeds for x in teams) >= 1",
    "count(teams) == 0 or max(x.day for x in teams) <= w",
    "any(x.deeds >= count(teams) for x in teams)",
    "b == 0 or a / b >= 50%",
]


def _random_values(rng: random.Random) -> dict[str, Any]:
    return {
        "a": rng.randint(0, 5),
        "b": rng.randint(0, 5),
        "p": rng.random() < 0.5,
        "q": rng.random() < 0.5,
        "r": Decimal(rng.randint(0, 100)) / 100,
        "s": Decimal(rng.randint(0, 60)) / 10,
        "w": date(2024, 1, 1) + timedelta(days=rng.randint(0, 365)),
        "rating": rng.randint(1, 4),
        "teams": tuple(
            (
                rng.randint(0, 3),
                rng.random() < 0.5,
                date(2024, 1, 1) + timedelta(rng.randint(0, 60)),
            )
            for _ in range(rng.randint(0, 3))
        ),
    }


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_fast_and_full_forms_agree_on_known_inputs(text: str) -> None:
    fast, full = compile_expr(text, SCOPE, PARAMS)
    rng = random.Random(text)
    results = set()
    for _ in range(60):
        values = _random_values(rng)
        expected = fast(**values)
        assert type(expected) is bool
        got = full(trace=Trace(), **values)
        assert got is expected, (values, expected, got)
        assert full(trace=None, **values) is expected
        results.add(expected)
    assert results == {True, False}, "the sample should reach both outcomes"


@pytest.mark.parametrize(
    ("text", "values", "result"),
    [
        ("p and q", {"p": F, "q": U}, F),
        ("p and q", {"p": T, "q": U}, U),
        ("p or q", {"p": T, "q": U}, T),
        ("p or q", {"p": F, "q": U}, U),
        ("not p", {"p": U}, U),
        ("a <= lim or p", {"a": 1, "p": U}, T),
        ("a <= lim and p", {"a": 9, "p": U}, F),
        ("a <= lim and p", {"a": U, "p": F}, F),
        ("a + b > 1", {"a": U, "b": 5}, U),
        ("0 < a <= b", {"a": 0, "b": U}, F),
        ("0 < a <= b", {"a": 1, "b": U}, U),
        ("a in [1, 2]", {"a": U}, U),
        ("if p then a > 1 else a > 0", {"p": U, "a": 5}, T),
        ("if p then a > 1 else a > 0", {"p": U, "a": 1}, U),
        ("if p then a > 1 else b > 1", {"p": F, "a": U, "b": 2}, T),
        ("count(teams) >= 1", {"teams": U}, U),
        ("all(x.deeds >= 1 for x in teams)", {"teams": ((U, T, U), (0, T, U))}, F),
        ("all(x.deeds >= 1 for x in teams)", {"teams": ((U, T, U), (1, T, U))}, U),
        ("any(x.active for x in teams)", {"teams": ((1, U, U), (1, T, U))}, T),
        ("count(x for x in teams if x.active) >= 1", {"teams": ((1, U, U),)}, U),
        ("b == 0 or a / b >= 50%", {"a": U, "b": 0}, T),
    ],
)
def test_full_form_with_unknown_facts(text: str, values: dict[str, Any], result: Any) -> None:
    _, full = compile_expr(text, SCOPE, PARAMS)
    known = {"a": 0, "b": 0, "p": F, "q": F, "r": 0, "s": 0, "w": ON, "rating": 1, "teams": ()}
    assert full(**{**known, **values}) is result


def test_division_by_zero_names_the_criterion() -> None:
    fast, full = compile_expr("a / b >= 50%", SCOPE, PARAMS, criterion="29")
    values = {"a": 1, "b": 0, "p": F, "q": F, "r": 0, "s": 0, "w": ON, "rating": 1, "teams": ()}
    for form in (fast, full):
        with pytest.raises(er.EvaluationError, match="division by zero") as info:
            form(**values)
        assert info.value.criterion == "29"


def test_constant_division_by_zero_is_not_folded_away() -> None:
    # the checker refuses `1 / 0` at load when it knows the parameters' values; this scope
    # does not, so the compiler meets a divisor it folds to 0 and must keep it an error
    fast, full = compile_expr("a > 1 / (lim - 3)", SCOPE, PARAMS, criterion="K")
    values = {"a": 1, "b": 0, "p": F, "q": F, "r": 0, "s": 0, "w": ON, "rating": 1, "teams": ()}
    with pytest.raises(er.EvaluationError) as info:
        fast(**values)
    assert info.value.criterion == "K"
    with pytest.raises(er.EvaluationError) as info:
        full(**values)
    assert info.value.criterion == "K"


@pytest.mark.parametrize("explain", [False, True])
def test_division_by_zero_in_a_rule_set(division: er.RuleSet, explain: bool) -> None:
    with pytest.raises(er.EvaluationError) as info:
        division.evaluate({"part": 1, "total": 0, "items": [{"v": 1}]}, explain=explain)
    assert info.value.criterion == "ratio"
    assert "division by zero" in str(info.value)
    with pytest.raises(er.EvaluationError) as info:
        division.evaluate({"part": 1, "total": 2, "items": []}, explain=explain)
    assert info.value.criterion == "smallest"


def test_guarded_division_and_missing_divisor(division: er.RuleSet) -> None:
    v = division.evaluate({"part": 1, "total": 2, "items": [{"v": 1}]})
    assert v.status is er.Status.ELIGIBLE
    v = division.evaluate({"part": 1})
    assert v.criterion("ratio").status is er.CriterionStatus.UNKNOWN
    assert v.criterion("guarded").missing == ("total",)


def test_evaluate_many_returns_evaluation_errors_in_place(division: er.RuleSet) -> None:
    units = [
        {"part": 1, "total": 2, "items": [{"v": 1}]},
        {"part": 1, "total": 0, "items": [{"v": 1}]},
        {"part": 2, "total": 2, "items": [{"v": 3}]},
    ]
    out = list(division.evaluate_many(units, errors="return"))
    assert isinstance(out[0], er.Verdict) and isinstance(out[2], er.Verdict)
    assert isinstance(out[1], er.EvaluationError) and out[1].criterion == "ratio"
    with pytest.raises(er.EvaluationError):
        list(division.evaluate_many(units))


# -- rule text never becomes code -------------------------------------------------


def test_literals_and_parameters_travel_as_constants(functions: er.RuleSet) -> None:
    source = functions.generated_source
    assert "Thôn" not in source  # 'Thôn 2' in a condition, 'Thôn 1' a parameter
    assert "task_rating" not in source and "good" not in source
    assert "2024" not in source  # the deadline parameter


def test_hostile_string_literal_is_only_a_constant(tmp_path: Path) -> None:
    payload = '\'); __import__("os").system("exit 3"); (\''
    text = minimal(
        f"village == '{payload.replace(chr(39), '')}' or count_a <= limit",
        facts="  village: {type: string, label: {vi: Thôn, en: Village}}",
    )
    rs = load_text(tmp_path, text)
    assert "__import__" not in rs.generated_source
    assert "system" not in rs.generated_source
    assert rs.evaluate({"village": "x", "count_a": 1}).status is er.Status.ELIGIBLE


def test_no_builtin_eval_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval must not be used")

    monkeypatch.setattr(builtins, "eval", refuse)
    rs = load_text(tmp_path, minimal("count_a * 2 <= limit + 1 and rating >= good"))
    assert rs.evaluate({"count_a": 2, "rating": "good"}).status is er.Status.ELIGIBLE
    assert er.expr.parse("a and b") is not None


def test_generated_names_are_made_by_the_compiler(commune: er.RuleSet) -> None:
    source = commune.generated_source
    assert source.startswith("def run(ev, pre):")
    assert "\ndef full(vals, TT):" in source
    # fact names appear only as constants, never as identifiers
    assert "crimes_previous_year" not in source and "reoffenders" not in source


def test_run_returns_a_named_result(commune: er.RuleSet) -> None:
    run = commune._compiled.run
    bad = run({"crimes": -1}, (True,) * len(commune.prerequisites))
    assert bad.values is None and bad.errors and bad.errors[0][0] == "crimes"
    missing = run({}, (True,) * len(commune.prerequisites))
    assert missing.errors is None and missing.fast is None and missing.values is not None


def test_tracebacks_show_the_generated_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rs = load_text(tmp_path, minimal("count_a / 2 <= limit", id="t-trace", version="7"))
    namespace = rs._compiled.run.__globals__

    def broken(*args: object) -> None:
        raise RuntimeError("broken helper")

    monkeypatch.setitem(namespace, "_div", broken)
    try:
        rs.evaluate({"count_a": 1})
    except RuntimeError:
        shown = traceback.format_exc()
    else:  # pragma: no cover
        raise AssertionError("the helper was not called")
    assert 'File "<emulation-rules t-trace 7 #' in shown
    line = next(ln for ln in rs.generated_source.splitlines() if "_div(" in ln and "c0" in ln)
    assert line.strip() in shown


def test_generated_source_leaves_linecache_with_its_rule_set(tmp_path: Path) -> None:
    rs = load_text(tmp_path, minimal(id="t-cache"))
    filename = rs._compiled.run.__code__.co_filename
    assert linecache.getline(filename, 1) == "def run(ev, pre):\n"
    other = load_text(tmp_path / "again", minimal(id="t-cache"))
    assert other._compiled.run.__code__.co_filename != filename  # one entry per compilation
    del rs
    gc.collect()
    assert filename not in linecache.cache


# -- regressions (bugs found by this suite) and known defects ----------------------


def test_chained_comparison_short_circuits_in_both_forms(tmp_path: Path) -> None:
    """Regression (found by this suite, fixed since): codegen full form of a chained
    comparison computes every operand before comparing (`(t0 := …), (t1 := …), (t2 :=
    …)`), while the fast form short-circuits like Python: `1 <= count(items) <= min(i.v
    for i in items)` with items=[] is not met without explain, but raises
    EvaluationError (min of an empty list) with explain=True"""
    text = minimal(
        "1 <= count(items) <= min(i.v for i in items)",
        facts="""\
  items:
    type: list
    label: {vi: Mục, en: Items}
    fields:
      v: {type: integer, label: {vi: Giá trị, en: Value}}""",
    )
    rs = load_text(tmp_path, text)
    brief = rs.evaluate({"items": []})
    assert brief.criterion("C1").status is er.CriterionStatus.NOT_MET
    explained = rs.evaluate({"items": []}, explain=True)
    assert explained.criterion("C1").status is er.CriterionStatus.NOT_MET


def _nested_ifs(depth: int) -> str:
    text = "a > 1"
    for _ in range(depth):
        text = f"if p then ({text}) else q"
    return text


def test_generated_source_grows_linearly_with_nested_ifs() -> None:
    sizes = {}
    for depth in (4, 18):
        tree = check_text(_nested_ifs(depth), SCOPE)
        comp = ExprCompiler(Namespace(), fact_var=str, local_var=str, params=PARAMS, criterion="C")
        start = time.perf_counter()
        sizes[depth] = len(comp.full(tree))
        assert time.perf_counter() - start < 5
    # linear growth: 18 levels cost ~5x what 4 levels do (doubling per level: ~16000x)
    assert sizes[18] < 20 * sizes[4]
