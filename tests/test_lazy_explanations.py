"""Explained verdicts built on first read (issue 15): nothing a host reads changes.

The oracle is the eager path: every criterion explained afresh from one traced run, no
memo (``CriteriaMaker.explained(..., memo=False)``). Properties run on every shipped rule
set and on generated rule sets covering every form of the language.
"""

from __future__ import annotations

import copy
import json
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.evaluation.explained import ExplainedCriteria
from emulation_rules.model.verdict import deferred_of
from emulation_rules.testing import strategies as kit
from support import ON, RULESETS
from test_fast_traced_agreement import criteria, holed, load, rule_set_text

EXAMPLES = Path(__file__).parent.parent / "examples"
SHIPPED = er.Library()
SHIPPED_IDS = {d.id: d.effective.from_ for d in SHIPPED.definitions()}
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def oracle(verdict: er.Verdict) -> tuple[er.CriterionResult, ...]:
    """The verdict's criteria built eagerly, without the memo."""
    deferred = deferred_of(verdict)
    assert isinstance(deferred, ExplainedCriteria)
    maker = deferred._maker
    return maker.explained(deferred.values, deferred.statuses, deferred.missing, memo=False)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def commune() -> er.RuleSet:
    return SHIPPED.load("typical-commune", on=ON)


# -- laziness ----------------------------------------------------------------------------


def test_nothing_is_explained_until_the_criteria_are_read(
    commune: er.RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    maker = commune._maker
    explain = maker.explainer.explain

    def counting(crit: Any, *args: Any) -> Any:
        calls.append(crit.id)
        return explain(crit, *args)

    monkeypatch.setattr(maker.explainer, "explain", counting)
    maker.clear_memo()
    verdict = commune.evaluate(example("commune-fails-18-19"), explain=True)
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert verdict.not_met == ("18", "19") and verdict.explained
    assert len(verdict.met) == len(commune.criteria) - 2 and verdict.unknown == ()
    assert calls == []  # status, met, not_met, unknown, explained: no explanation built
    first = verdict.criteria
    assert len(calls) == len(commune.criteria)
    assert verdict.criteria is first  # built once
    assert len(calls) == len(commune.criteria)
    again = commune.evaluate(example("commune-fails-18-19"), explain=True)
    assert again.criteria == first
    assert len(calls) == len(commune.criteria)  # the same values: every result from the memo


def test_a_lazy_verdict_equals_hashes_and_prints_like_an_eager_one(commune: er.RuleSet) -> None:
    lazy = commune.evaluate(example("commune-missing-evidence"), explain=True)
    eager = er.from_json(
        er.to_json(commune.evaluate(example("commune-missing-evidence"), explain=True)), er.Verdict
    )
    assert deferred_of(eager) is None and deferred_of(lazy) is not None
    assert lazy == eager and eager == lazy
    assert hash(lazy) == hash(eager)
    assert repr(lazy) == repr(eager)
    assert pickle.loads(pickle.dumps(lazy)) == eager
    assert copy.deepcopy(lazy) == eager
    assert er.to_json(lazy) == er.to_json(eager)
    assert lazy.criteria == oracle(lazy)


def test_a_brief_verdict_differs_from_an_explained_one(commune: er.RuleSet) -> None:
    evidence = example("commune-all-met")
    brief, explained = commune.evaluate(evidence), commune.evaluate(evidence, explain=True)
    assert brief != explained and not brief.explained and explained.explained
    assert (brief.status, brief.met) == (explained.status, explained.met)


def test_threads_reading_one_lazy_verdict_see_equal_criteria(commune: er.RuleSet) -> None:
    commune._maker.clear_memo()
    verdict = commune.evaluate(example("commune-fails-18-19"), explain=True)
    seen: list[tuple[er.CriterionResult, ...]] = []
    threads = [threading.Thread(target=lambda: seen.append(verdict.criteria)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(s == oracle(verdict) for s in seen)


def test_equal_decimals_written_differently_share_a_correct_explanation(
    library: er.Library,
) -> None:
    rs = library.load("demo-commune", on=ON)
    percentages = [f for f, s in rs.facts.items() if s.type.value == "percentage"]
    assert percentages, "demo-commune has a percentage fact"
    name = percentages[0]
    for value in ("90.1", "90.10", 90.1, "90.100"):
        verdict = rs.evaluate(
            {name: json.loads(value) if isinstance(value, str) else value}, explain=True
        )
        assert verdict.criteria == oracle(verdict)


# -- properties: lazy equals eager -------------------------------------------------------


@PROPERTY
@given(data=st.data(), ruleset_id=st.sampled_from(sorted(SHIPPED_IDS)))
def test_lazy_explanations_equal_eager_ones_on_every_shipped_rule_set(
    data: st.DataObject, ruleset_id: str
) -> None:
    rs = SHIPPED.load(ruleset_id, on=SHIPPED_IDS[ruleset_id])
    first = data.draw(kit.evidence(rs), label="first")
    second = data.draw(kit.evidence(rs, complete=True), label="second")
    for evidence in (first, second, first):  # the third from the memo
        try:
            verdict = rs.evaluate(evidence, explain=True)
        except er.EvaluationError:
            assume(False)
            raise
        assert verdict.criteria == oracle(verdict)
        brief = rs.evaluate(evidence)
        assert (brief.status, brief.met, brief.not_met, brief.unknown) == (
            verdict.status,
            verdict.met,
            verdict.not_met,
            verdict.unknown,
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crits=criteria(), at_least=st.sampled_from([0, 0, 1, 2]), data=st.data())
def test_lazy_explanations_equal_eager_ones_on_generated_rule_sets(
    tmp_path_factory: pytest.TempPathFactory,
    crits: list[tuple[list[tuple[str, str, str]], str]],
    at_least: int,
    data: st.DataObject,
) -> None:
    text = rule_set_text(crits, at_least)
    try:
        rs = load(tmp_path_factory.mktemp("lazy"), text)
    except er.RuleSetError:
        assume(False)
        raise
    for _ in range(2):
        evidence = data.draw(holed(rs), label="evidence")
        try:
            verdict = rs.evaluate(evidence, explain=True)
        except er.EvaluationError:
            continue
        assert verdict.criteria == oracle(verdict), text
        again = rs.evaluate(evidence, explain=True)
        assert again == verdict, text


def test_a_pickled_explained_verdict_can_still_be_stored_compact(commune: er.RuleSet) -> None:
    """A verdict from a worker process keeps the values it was explained from."""
    verdict = commune.evaluate(example("commune-missing-evidence"), explain=True)
    copied = pickle.loads(pickle.dumps(verdict))
    assert copied == verdict
    assert er.to_json(copied, form="compact") == er.to_json(verdict, form="compact")
    assert commune.read_verdict(er.to_json(copied, form="compact")) == verdict
    again = pickle.loads(pickle.dumps(copied))
    assert er.to_json(again, form="compact") == er.to_json(verdict, form="compact")


def test_the_memo_is_bounded_and_drops_the_oldest_first() -> None:
    rs = er.Library([RULESETS], shipped=False).load("demo-commune", on=ON)  # a memo of its own
    maker = rs._maker
    maker.memo_size = 3
    at = [c.id for c in rs.criteria].index("30")  # reads tips_share only
    for value in (10, 20, 30, 40, 50, 60):
        verdict = rs.evaluate({"tips_share": value}, explain=True)
        assert verdict.criteria == oracle(verdict)
    assert max(len(m) for m in maker._memos) == 3
    kept = [key[0] * 100 for key in maker._memos[at]]  # a fraction at run time
    assert kept == [40, 50, 60]


def test_a_library_sets_the_size_of_the_memo_and_zero_keeps_none() -> None:
    none = er.Library([RULESETS], shipped=False, explanation_memo=0).load("demo-commune", on=ON)
    for value in (10, 20, 10):
        verdict = none.evaluate({"tips_share": value}, explain=True)
        assert verdict.criteria == oracle(verdict)
        assert er.to_json(verdict) == json.dumps(
            er.converter.unstructure(verdict), ensure_ascii=False
        )
    assert all(len(m) == 0 for m in none._maker._memos) and not none._maker._texts
    assert pickle.loads(pickle.dumps(none))._maker.memo_size == 0
    small = er.Library([RULESETS], shipped=False, explanation_memo=7).load("demo-commune", on=ON)
    assert small._maker.memo_size == 7
    for bad in (-1, True, 1.5):
        with pytest.raises(ValueError, match="explanation_memo"):
            er.Library(explanation_memo=bad)  # type: ignore[arg-type]
