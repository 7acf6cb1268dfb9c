"""The "did you mean" of unknown facts: the fast Suggester picks exactly what difflib's
get_close_matches picks (the messages of EvidenceError are unchanged), and remembers it."""

from __future__ import annotations

import difflib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.evaluation.suggest import Suggester, _common_subsequence


@pytest.fixture(scope="module")
def names() -> list[str]:
    rs = er.load("typical-commune", on=date(2024, 12, 31))
    return sorted(rs.facts)


def _difflib(word: str, names: list[str]) -> str | None:
    hint = difflib.get_close_matches(word, names, n=1)
    return hint[0] if hint else None


@st.composite
def words(draw: st.DrawFn, names: list[str]) -> str:
    """A fact name with a few characters inserted, deleted or replaced; or any text."""
    if draw(st.booleans()):
        return draw(st.text(alphabet="abcdeiorst_0123ạ", max_size=40))
    word = list(draw(st.sampled_from(names)))
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(word)))
        char = draw(st.sampled_from("aeiorst_xzạ1"))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        if op == "insert" or not word:
            word.insert(i, char)
        elif op == "delete":
            del word[min(i, len(word) - 1)]
        else:
            word[min(i, len(word) - 1)] = char
    return "".join(word)


def test_agrees_with_difflib(names: list[str]) -> None:
    suggester = Suggester(names)

    @settings(max_examples=400, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        word = data.draw(words(names))
        assert suggester.suggest(word) == _difflib(word, names)

    check()


@pytest.mark.parametrize(
    "word",
    ["crimes_social_ordr", "drug_addicts_previous_yaer", "zzz_extra_fact", "", "x" * 250],
)
def test_known_cases(names: list[str], word: str) -> None:
    suggester = Suggester(names)
    assert suggester.suggest(word) == _difflib(word, names)
    assert suggester.suggest(word) == _difflib(word, names)  # the remembered answer


def test_ties_go_to_the_name_difflib_picks() -> None:
    names = ["abc", "abd", "abe"]  # "abx" is as close to each: difflib takes the greatest
    assert Suggester(names).suggest("abx") == _difflib("abx", names) == "abe"


def test_the_message_names_the_suggestion() -> None:
    rs = er.load("typical-commune", on=date(2024, 12, 31))
    with pytest.raises(er.EvidenceError) as info:
        rs.evaluate({"crimes_social_ordr": 3})
    (problem,) = info.value.problems
    assert problem.message == (
        "unknown fact (not read by typical-commune); did you mean 'crimes_social_order'?"
    )


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"crimes_social_order": -1},
        {"unit_id": 7},
        {"assessment_year": "2024", "movement_class": "nope"},  # a prerequisite's facts
        {"socio_political_organisations": [{"name": "x", "rating": "zz"}, {"x": 1}]},
    ],
)
def test_unknown_facts_are_reported_with_every_other_problem(broken: dict[str, object]) -> None:
    """Evidence with an unknown fact reports it together with exactly the problems the
    rest of the evidence has on its own."""
    rs = er.load("typical-commune", on=date(2024, 12, 31))
    example = Path(__file__).parent.parent / "examples" / "commune-all-met.json"
    known = {**json.loads(example.read_text(encoding="utf-8")), **broken}
    try:
        rs.evaluate(known)
    except er.EvidenceError as exc:
        alone = list(exc.problems)
    else:
        alone = []
    with pytest.raises(er.EvidenceError) as info:
        rs.evaluate({**known, "crimes_social_ordr": 3})
    unknown = er.Problem(
        ("crimes_social_ordr",),
        "unknown fact (not read by typical-commune); did you mean 'crimes_social_order'?",
    )
    assert list(info.value.problems) == sorted([*alone, unknown], key=lambda p: str(p.path))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abc_", max_size=20), st.text(alphabet="abd_", max_size=20))
def test_the_bound_is_the_longest_common_subsequence(name: str, word: str) -> None:
    table = [[0] * (len(word) + 1) for _ in range(len(name) + 1)]
    for i, a in enumerate(name):
        for j, b in enumerate(word):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if a == b else max(table[i][j + 1], table[i + 1][j])
            )
    positions: dict[str, int] = {}
    for j, b in enumerate(word):
        positions[b] = positions.get(b, 0) | 1 << j
    assert _common_subsequence(name, positions, len(word)) == table[-1][-1]
