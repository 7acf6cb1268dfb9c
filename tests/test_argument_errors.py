"""Bad arguments to the library's functions and constructors: an ``ArgumentError`` (one of
ours, with its Vietnamese, naming the argument), still a ``ValueError``/``TypeError`` for
code that catches those; a criterion lookup that finds nothing: an
``UnknownCriterionError``, still a ``KeyError``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import emulation_rules as er

LIB = er.Library()
RS = LIB.load("typical-commune", on="2024-12-31")


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: list(RS.evaluate_many([], errors="stop")), "errors"),  # type: ignore[arg-type]
        (lambda: list(RS.evaluate_many([], workers=0)), "workers"),
        (lambda: list(RS.evaluate_many([], workers=True)), "workers"),
        (lambda: list(RS.evaluate_many([], chunk_size=0)), "chunk_size"),
        (lambda: er.Library(max_compiled=0), "max_compiled"),
        (lambda: er.Library(explanation_memo=-1), "explanation_memo"),
        (lambda: er.Library(unknown_facts="drop"), "unknown_facts"),  # type: ignore[arg-type]
        (lambda: LIB.load("typical-commune", on=3), "on"),  # type: ignore[arg-type]
        (lambda: LIB.to_json(RS.evaluate({}), form="tiny"), "form"),  # type: ignore[arg-type]
        (lambda: RS.evaluate({}).diff("x"), "other"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_argument_is_our_error_naming_it_in_both_languages(
    call: Callable[[], Any], argument: str
) -> None:
    with pytest.raises(er.ArgumentError) as caught:
        call()
    error = caught.value
    assert isinstance(error, er.EmulationRulesError)
    assert isinstance(error, ValueError) and isinstance(error, TypeError)
    assert error.path == (argument,)
    assert error.translated and argument in error.text_in("vi")
    assert "phải" in error.text_in("vi") or "không phải" in error.text_in("vi")
    assert "must" in error.text_in("en") or "not a" in error.text_in("en")


def test_whole_number_arguments_on_both_sides_of_their_minimum() -> None:
    er.Library(max_compiled=1)
    er.Library(explanation_memo=0)
    assert list(RS.evaluate_many([], workers=None, chunk_size=1)) == []
    with pytest.raises(er.ArgumentError):
        er.Library(explanation_memo=-1)


@pytest.mark.parametrize(
    "lookup",
    [
        lambda: RS.criterion("99"),
        lambda: RS.definition.criterion(99),
        lambda: RS.evaluate({}).criterion("nope"),
    ],
)
def test_an_unknown_criterion_is_our_error_and_still_a_key_error(lookup: Callable[[], Any]) -> None:
    with pytest.raises(er.UnknownCriterionError) as caught:
        lookup()
    assert isinstance(caught.value, KeyError)
    assert "không có tiêu chí" in caught.value.text_in("vi")
    assert "the criteria are 1, 2," in caught.value.text_in("en")
