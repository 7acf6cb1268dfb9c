"""The error family: events beside evidence, and errors that do not change once made."""

from __future__ import annotations

import copy
import pickle

import pytest

import emulation_rules as er
from emulation_rules.errors import EventError, Problem


def test_event_errors_are_not_evidence_errors() -> None:
    problems = [Problem(("payload", "members"), "expected a whole number, got 'four'")]
    event = EventError(problems, where="events.jsonl:3")
    assert not isinstance(event, er.EvidenceError)
    assert isinstance(event, er.EmulationRulesError)
    assert event.problems == tuple(problems)
    assert event.path == ("payload", "members")
    assert str(event) == "events.jsonl:3: payload.members: expected a whole number, got 'four'"
    with pytest.raises(EventError):
        try:
            raise event
        except er.EvidenceError:  # pragma: no cover - must not catch it
            pytest.fail("an event error was caught as evidence")


def test_located_returns_a_new_error_and_leaves_the_first_alone() -> None:
    first = er.ExpressionError("unknown name 'x'", offset=3, text="x > 1")
    located = first.located(file="rules.yaml", line=12, criterion="C1")
    assert (first.file, first.line, first.criterion) == (None, None, None)
    assert (located.file, located.line, located.criterion) == ("rules.yaml", 12, "C1")
    assert type(located) is er.ExpressionError and located.offset == 3
    assert (
        str(located) == "rules.yaml:12: criterion C1: unknown name 'x' (in `x > 1` at character 4)"
    )
    again = located.located(file="other.yaml", line=1, criterion="C2")  # known fields stay
    assert (again.file, again.line, again.criterion) == ("rules.yaml", 12, "C1")


def test_errors_are_not_changed_after_creation() -> None:
    err = er.RuleSetError("bad", file="a.yaml", line=1)
    with pytest.raises(AttributeError, match="not changed"):
        err.message = "worse"
    with pytest.raises(AttributeError):
        err.file = "b.yaml"
    evidence = er.EvidenceError([Problem(("x",), "bad")], unit="Xã A")
    with pytest.raises(AttributeError):
        evidence.problems = ()
    err.add_note("Python's own attributes still work")
    try:
        raise err from None
    except er.RuleSetError as caught:
        assert caught.__traceback__ is not None


@pytest.mark.parametrize(
    "error",
    [
        er.RuleSetError("bad", file="a.yaml", line=1, criterion="C1"),
        er.ExpressionError("unknown name 'x'", offset=3, text="x > 1"),
        er.EvidenceError([Problem(("x",), "bad"), Problem(("y",), "worse")], unit="Xã A"),
        EventError([Problem(("date",), "bad")], where="events.jsonl:2"),
        er.EvaluationError("division by zero", criterion="C2"),
    ],
)
def test_errors_survive_copy_and_pickle(error: er.EmulationRulesError) -> None:
    for again in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert vars(again) == vars(error)
