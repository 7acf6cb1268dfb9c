"""Properties checked with Hypothesis: determinism, agreement of the fast and explained
paths, exact JSON round trips, monotonicity in the evidence (a known status never changes
when facts are added), Kleene laws, and that arbitrary input raises only the library's
own errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.expr import check_text
from emulation_rules.expr import runtime as rt
from emulation_rules.expr.types import T_BOOL, T_INTEGER
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec, FactType, FieldSpec
from support import ON, RULESETS, compile_expr, scope_of

U = er.UNKNOWN
# Rule sets whose conditions cannot raise EvaluationError (no division, no min/max).
SAFE_IDS = ["demo-commune", "demo-overlay", "demo-points", "demo-at-least", "demo-versioned"]
# … and every test rule set whose evaluation is total on complete, non-empty evidence.
ALL_IDS = [*SAFE_IDS, "demo-functions"]

FAST = settings(max_examples=150, deadline=None)
FUZZ = settings(max_examples=300, deadline=None, derandomize=True)

# -- evidence generated from the fact declarations ----------------------------------------


def value_of(
    spec: FactSpec | FieldSpec, enums: dict[str, EnumerationSpec], *, min_records: int = 0
) -> st.SearchStrategy[Any]:
    """Valid values of one fact, in the forms the evidence may take."""
    t = spec.type
    if t is FactType.BOOL:
        return st.booleans()
    if t is FactType.INTEGER:
        lo = 0 if spec.min is None else int(spec.min)
        hi = lo + 120 if spec.max is None else int(spec.max)
        return st.integers(lo, hi)
    if t is FactType.DECIMAL:
        lo = Decimal(0) if spec.min is None else Decimal(str(spec.min))
        hi = Decimal(200) if spec.max is None else Decimal(str(spec.max))
        return st.one_of(
            st.integers(int(lo), int(hi)),
            st.decimals(lo, hi, places=2),
            st.decimals(lo, hi, places=1).map(float),
        )
    if t is FactType.PERCENTAGE:
        return st.one_of(
            st.integers(0, 100),
            st.decimals(0, 100, places=2),
            st.decimals(0, 100, places=1).map(float),
        )
    if t is FactType.DATE:
        days = st.dates(date(2022, 10, 1), date(2025, 12, 31))
        return st.one_of(days, days.map(date.isoformat))
    if t is FactType.STRING:
        return st.one_of(st.sampled_from(["Thôn 1", "Thôn 2", "A"]), st.text(max_size=4))
    if t is FactType.ENUM:
        assert spec.enum is not None
        levels = enums[spec.enum].levels
        return st.sampled_from([s for lv in levels for s in (lv.id, lv.vi, lv.en)])
    assert isinstance(spec, FactSpec) and spec.fields is not None
    record = st.fixed_dictionaries({k: value_of(f, enums) for k, f in spec.fields.items()})
    return st.lists(record, min_size=min_records, max_size=4)


def complete_evidence(rs: er.RuleSet, enums: dict[str, EnumerationSpec]) -> st.SearchStrategy[Any]:
    """Evidence giving every fact (lists non-empty, records complete)."""
    return st.fixed_dictionaries(
        {name: value_of(spec, enums, min_records=1) for name, spec in rs.facts.items()}
    )


def some_evidence(rs: er.RuleSet, enums: dict[str, EnumerationSpec]) -> st.SearchStrategy[Any]:
    """Evidence giving some facts, some of them null, records possibly incomplete."""

    def partial(spec: FactSpec) -> st.SearchStrategy[Any]:
        if spec.type is not FactType.LIST:
            return st.one_of(st.none(), value_of(spec, enums))
        assert spec.fields is not None
        record = st.fixed_dictionaries(
            {},
            optional={k: st.one_of(st.none(), value_of(f, enums)) for k, f in spec.fields.items()},
        )
        return st.one_of(st.none(), st.lists(record, max_size=4))

    return st.fixed_dictionaries({}, optional={n: partial(s) for n, s in rs.facts.items()})


def withhold(evidence: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """A copy of ``evidence`` with some facts and some record fields left out."""
    out: dict[str, Any] = {}
    for name, value in evidence.items():
        if data.draw(st.booleans(), label=f"drop {name}"):
            continue
        if isinstance(value, list):
            value = [
                {k: v for k, v in record.items() if not data.draw(st.booleans(), label=k)}
                for record in value
            ]
        out[name] = value
    return out


@pytest.fixture(scope="module")
def enums(library: er.Library) -> dict[str, EnumerationSpec]:
    return library.catalogue.enumerations


@pytest.fixture(scope="module")
def rulesets(library: er.Library) -> dict[str, er.RuleSet]:
    return {rid: library.load(rid, on=ON) for rid in ALL_IDS}


@pytest.fixture(scope="module")
def other_library() -> er.Library:
    return er.Library([RULESETS], shipped=False)


def statuses(verdict: er.Verdict) -> list[tuple[str, er.CriterionStatus, tuple[str, ...]]]:
    return [(c.id, c.status, c.missing) for c in verdict.criteria]


# -- evaluation ---------------------------------------------------------------------------


@FAST
@given(data=st.data(), rid=st.sampled_from(ALL_IDS))
def test_evaluation_is_deterministic(
    rulesets: dict[str, er.RuleSet],
    other_library: er.Library,
    enums: dict[str, EnumerationSpec],
    data: st.DataObject,
    rid: str,
) -> None:
    rs = rulesets[rid]
    evidence = data.draw(
        some_evidence(rs, enums) if rid in SAFE_IDS else complete_evidence(rs, enums)
    )
    for explain in (False, True):
        first = rs.evaluate(evidence, explain=explain)
        assert rs.evaluate(evidence, explain=explain) == first
        again = other_library.load(rid, on=ON).evaluate(evidence, explain=explain)
        assert again == first
        assert er.to_json(again) == er.to_json(first)


@FAST
@given(data=st.data(), rid=st.sampled_from(SAFE_IDS))
def test_fast_and_explained_paths_agree(
    rulesets: dict[str, er.RuleSet],
    enums: dict[str, EnumerationSpec],
    data: st.DataObject,
    rid: str,
) -> None:
    rs = rulesets[rid]
    evidence = data.draw(st.one_of(some_evidence(rs, enums), complete_evidence(rs, enums)))
    brief = rs.evaluate(evidence)
    full = rs.evaluate(evidence, explain=True)
    assert statuses(brief) == statuses(full)
    assert (brief.status, brief.reason, brief.level, brief.points) == (
        full.status,
        full.reason,
        full.level,
        full.points,
    )
    assert brief.prerequisites == full.prerequisites


@FAST
@given(data=st.data(), rid=st.sampled_from(ALL_IDS), explain=st.booleans())
def test_json_round_trip_is_exact(
    rulesets: dict[str, er.RuleSet],
    enums: dict[str, EnumerationSpec],
    data: st.DataObject,
    rid: str,
    explain: bool,
) -> None:
    rs = rulesets[rid]
    evidence = data.draw(
        some_evidence(rs, enums) if rid in SAFE_IDS else complete_evidence(rs, enums)
    )
    unit = data.draw(st.one_of(st.none(), st.text(max_size=8)))
    verdict = rs.evaluate(evidence, explain=explain, unit=unit)
    text = er.to_json(verdict)
    back = er.from_json(text, er.Verdict)
    assert back == verdict
    assert er.to_json(back) == text


@FAST
@given(data=st.data(), rid=st.sampled_from(ALL_IDS))
def test_adding_facts_never_changes_a_known_status(
    rulesets: dict[str, er.RuleSet],
    enums: dict[str, EnumerationSpec],
    data: st.DataObject,
    rid: str,
) -> None:
    rs = rulesets[rid]
    complete = data.draw(complete_evidence(rs, enums), label="complete")
    fewer = withhold(complete, data)
    partial = rs.evaluate(fewer)
    full = rs.evaluate(complete)
    assert full.unknown == ()  # complete evidence decides every criterion
    for before, after in zip(partial.criteria, full.criteria, strict=True):
        if before.status is not er.CriterionStatus.UNKNOWN:
            assert after.status is before.status, (before.id, fewer, complete)
    if partial.status is not er.Status.UNDETERMINED:
        assert full.status is partial.status


@FAST
@given(data=st.data(), rid=st.sampled_from(ALL_IDS))
def test_removing_a_fact_only_makes_criteria_unknown(
    rulesets: dict[str, er.RuleSet],
    enums: dict[str, EnumerationSpec],
    data: st.DataObject,
    rid: str,
) -> None:
    rs = rulesets[rid]
    complete = data.draw(complete_evidence(rs, enums), label="complete")
    removed = data.draw(st.sampled_from(sorted(complete)), label="removed")
    full = rs.evaluate(complete)
    less = rs.evaluate({k: v for k, v in complete.items() if k != removed})
    for before, after in zip(full.criteria, less.criteria, strict=True):
        assert after.status in (before.status, er.CriterionStatus.UNKNOWN)
        if after.status is er.CriterionStatus.UNKNOWN and before.status is not after.status:
            # it became unknown because of the removed fact, and says so
            assert any(m == removed or m.startswith(f"{removed}[") for m in after.missing)


# -- arbitrary input raises only the library's errors -----------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["good", "Khá", "2024-03-31", "2024-02-30", "80", "", "Thôn 1"]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(data=st.data(), rid=st.sampled_from(SAFE_IDS), explain=st.booleans())
def test_arbitrary_json_evidence_raises_only_evidence_error(
    rulesets: dict[str, er.RuleSet], data: st.DataObject, rid: str, explain: bool
) -> None:
    rs = rulesets[rid]
    names = sorted(rs.facts)
    fact_values = st.dictionaries(
        st.one_of(st.sampled_from([*names, "unit_id"]), st.text(max_size=6)),
        JSON_VALUES,
        max_size=6,
    )
    record_lists = st.fixed_dictionaries(
        {},
        optional={
            n: st.lists(st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=4), max_size=3)
            for n, s in rs.facts.items()
            if s.type is FactType.LIST
        },
    )
    evidence = data.draw(st.one_of(JSON_VALUES, fact_values, record_lists))
    try:
        verdict = rs.evaluate(evidence, explain=explain)
    except er.EvidenceError as exc:
        assert exc.problems, "an EvidenceError lists its problems"
        for problem in exc.problems:
            assert isinstance(problem, er.Problem) and problem.message
        return
    assert isinstance(verdict, er.Verdict)


EXPR_TOKENS = [
    "crimes",
    "flag",
    "rate",
    "when",
    "rating",
    "teams",
    "limit",
    "x",
    "x.deeds",
    "x.active",
    "good",
    "task_rating",
    "task_rating.good",
    "and",
    "or",
    "not",
    "if",
    "then",
    "else",
    "for",
    "in",
    "true",
    "false",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "+",
    "-",
    "*",
    "/",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    ">=",
    "1",
    "0",
    "2.5",
    "5%",
    "2024-01-01",
    "2024-13-01",
    "'a'",
    "count",
    "sum",
    "all",
    "any",
    "min",
    "max",
    "abs",
    "floor",
    "year",
    "days_between",
    "9" * 40,
    "@",
    "#",
    "\\",
    '"',
    "'",
]


@pytest.fixture(scope="module")
def expr_scope() -> Any:
    from emulation_rules.expr.types import ENUM, LIST, T_DATE, T_PERCENT, Type
    from support import shipped_enum_types

    enums = shipped_enum_types()
    rating = Type(ENUM, enum=enums["task_rating"])
    teams = Type(LIST, fields=(("deeds", T_INTEGER), ("active", T_BOOL)))
    return scope_of(
        {
            "crimes": T_INTEGER,
            "flag": T_BOOL,
            "rate": T_PERCENT,
            "when": T_DATE,
            "rating": rating,
            "teams": teams,
        },
        {"limit": T_INTEGER},
        enums,
    )


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.lists(st.sampled_from(EXPR_TOKENS), max_size=25).map(" ".join),
        st.integers(0, 60).map(lambda n: "(" * n + "crimes" + ")" * n + " > 1"),
        st.integers(0, 1200).map(lambda n: "crimes" + " + 1" * n + " > 1"),
    )
)
def test_arbitrary_text_as_an_expression_raises_only_rule_set_error(
    expr_scope: Any, text: str
) -> None:
    try:
        er.expr.parse(text)
        tree = check_text(text, expr_scope)
    except er.RuleSetError as exc:
        assert isinstance(exc, er.ExpressionError)
        assert exc.offset is None or 0 <= exc.offset <= len(text)
        return
    assert tree.type is not None


SEED_FILES = ["demo-at-least.yaml", "demo-points.yaml", "demo-versioned-2025.yaml"]
YAML_PIECES = [
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    ",",
    "-",
    "- ",
    "'",
    '"',
    "#",
    "&a",
    "*a",
    "|",
    ">",
    "\n",
    "\n  ",
    "  ",
    "\t",
    "0",
    "1.5",
    "5%",
    "true",
    "null",
    "~",
    "x",
    "id",
    "condition",
    "é",
    "\u00a0",
    "<<: ",
    "drills",
    ">= 2",
    "and",
    "points: 3",
    "kind: points",
]

YAML_VALUES = [
    "",
    "0",
    "-1",
    "1.5",
    "5%",
    "150%",
    "true",
    "null",
    "[]",
    "{}",
    "x",
    "'18'",
    "18",
    "good",
    "goood",
    "drills >= 2 and",
    "all(t for t in drills)",
    "{from: 2023-01-01}",
    "[commune]",
    "2030-01-01",
    "{kind: points}",
    "{document: X}",
    "[{level: good, min_points: 1}]",
]


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    text = (RULESETS / draw(st.sampled_from(SEED_FILES))).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "value"]))
        if action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 8)) :]
        elif action == "insert":
            text = text[:pos] + draw(st.sampled_from(YAML_PIECES)) + text[pos:]
        else:  # replace the value of one `key: value` line
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            key, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = (
                    key + sep + draw(st.one_of(st.sampled_from(YAML_VALUES), JSON_SCALARS.map(str)))
                )
            text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def yaml_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-yaml")


@pytest.fixture(scope="module")
def fuzz_library() -> er.Library:
    """A library of its own: the fuzzed files reuse the ids of the test rule sets."""
    return er.Library([RULESETS], shipped=False)


@settings(FUZZ, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), mutated_yaml()))
def test_arbitrary_text_as_a_rule_set_file_raises_only_rule_set_error(
    fuzz_library: er.Library, yaml_dir: Path, text: str
) -> None:
    path = yaml_dir / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        rs = fuzz_library.load(path, on=ON)
    except er.RuleSetError as exc:
        assert exc.file is not None
        return
    assert isinstance(rs, er.RuleSet)


# -- Kleene laws ----------------------------------------------------------------------------

TRUTH = st.sampled_from([True, False, U])


def same(a: Any, b: Any) -> bool:
    return a is b


@given(a=TRUTH, b=TRUTH, c=TRUTH)
def test_kleene_laws_of_the_runtime(a: Any, b: Any, c: Any) -> None:
    kand, kor, knot = rt.kand, rt.kor, rt.knot
    # commutativity and associativity
    assert same(kand(a, b), kand(b, a)) and same(kor(a, b), kor(b, a))
    assert same(kand(kand(a, b), c), kand(a, kand(b, c)))
    assert same(kor(kor(a, b), c), kor(a, kor(b, c)))
    assert same(kand(a, b, c), kand(kand(a, b), c))
    # De Morgan
    assert same(knot(kand(a, b)), kor(knot(a), knot(b)))
    assert same(knot(kor(a, b)), kand(knot(a), knot(b)))
    # absorption, idempotence, double negation, identities
    assert same(kand(a, kor(a, b)), a) and same(kor(a, kand(a, b)), a)
    assert same(kand(a, a), a) and same(kor(a, a), a)
    assert same(knot(knot(a)), a)
    assert same(kand(a, True), a) and same(kor(a, False), a)
    assert kand(a, False) is False and kor(a, True) is True
    # distributivity
    assert same(kand(a, kor(b, c)), kor(kand(a, b), kand(a, c)))


LAWS = [
    ("p and q", "q and p"),
    ("p or q", "q or p"),
    ("not (p and q)", "not p or not q"),
    ("not (p or q)", "not p and not q"),
    ("p and (p or q)", "p"),
    ("p or (p and q)", "p"),
    ("not not p", "p"),
    ("p and (q or r)", "p and q or p and r"),
    ("(p and q) and r", "p and (q and r)"),
    ("a > 1 and p", "p and 1 < a"),
    ("not (a > 1)", "a <= 1"),
    ("a > 1 or not (a > 1)", "a > 1 or a <= 1"),
    ("if p then q else r", "p and q or not p and r or q and r"),
    ("0 < a <= 3", "0 < a and a <= 3"),
    ("a in [1, 2]", "a == 1 or a == 2"),
    ("a not in [1, 2]", "not (a in [1, 2])"),
]
LAW_SCOPE = scope_of({"p": T_BOOL, "q": T_BOOL, "r": T_BOOL, "a": T_INTEGER})
COMPILED_LAWS = [
    (left, right, compile_expr(left, LAW_SCOPE)[1], compile_expr(right, LAW_SCOPE)[1])
    for left, right in LAWS
]


@given(
    law=st.sampled_from(COMPILED_LAWS),
    p=TRUTH,
    q=TRUTH,
    r=TRUTH,
    a=st.one_of(st.just(U), st.integers(-2, 5)),
)
def test_kleene_laws_of_compiled_expressions(
    law: tuple[str, str, Any, Any], p: Any, q: Any, r: Any, a: Any
) -> None:
    left, right, f, g = law
    x, y = f(p=p, q=q, r=r, a=a), g(p=p, q=q, r=r, a=a)
    assert x is y, f"{left} = {x!r} but {right} = {y!r} for p={p}, q={q}, r={r}, a={a}"
