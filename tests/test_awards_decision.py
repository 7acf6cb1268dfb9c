"""Proposals and decisions: a commune proposes, the province chairman decides over every
proposal with one cap (issue 17), with the same ranking, tie-break, cascade and reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation_rules.api import Library
from emulation_rules.awards import (
    UNIT_SEPARATOR,
    AllocationCatalogue,
    AllocationOutcome,
    Candidate,
    CandidateKind,
    Proposal,
    UnitRef,
    allocate,
    decide,
    propose,
    read_candidates,
)
from emulation_rules.awards.ranking import Ranker
from emulation_rules.errors import CampaignError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ROUND_FILE = EXAMPLES / "province-round-interim.json"
LIB = Library()
INTERIM = AllocationCatalogue().round("special-campaign-binh-luong", "interim")
FORM = "province-merit-interim"
AUTHORITY = "chairman-ubnd-province-thanh-hoa"
COL, IND = CandidateKind.COLLECTIVE, CandidateKind.INDIVIDUAL


def _example_proposals() -> list[Proposal]:
    manifest = json.loads(ROUND_FILE.read_text(encoding="utf-8"))
    out = []
    for p in manifest["proposals"]:
        path = EXAMPLES / p["candidates"]
        cands = read_candidates(path.read_text(encoding="utf-8"), str(path))
        unit = UnitRef(p["unit"], p["name"])
        out.append(propose(INTERIM, cands, unit=unit, authority=manifest["authority"], library=LIB))
    return out


PROPOSALS = _example_proposals()


def _decided(decision: Any, kind: CandidateKind) -> int:
    return len(decision.awarded(kind=kind))


def test_the_example_province_round_holds_three_communes_over_the_cap() -> None:
    assert len(PROPOSALS) == 3
    sent = sum(len(p.proposed_for(FORM)) for p in PROPOSALS)
    assert sent > 40  # more than the province's 20 + 20: the cap must bite


def test_a_province_round_of_three_communes_never_exceeds_20_and_20() -> None:
    decision = decide(INTERIM, PROPOSALS, authority=AUTHORITY, library=LIB)
    assert _decided(decision, COL) == 20
    assert _decided(decision, IND) == 20
    assert sum(decision.counts(p.unit.id)[0] for p in PROPOSALS) == 20
    assert sum(decision.counts(p.unit.id)[1] for p in PROPOSALS) == 20
    # every unit's proposal stays within the cap on its own, but together they pass it
    assert all(len(p.allocation.proposed(FORM, COL)) <= 20 for p in PROPOSALS)


def test_the_decision_ranks_the_pool_as_one_allocation_would() -> None:
    decision = decide(INTERIM, PROPOSALS, authority=AUTHORITY, library=LIB)
    rs = LIB.load("awards-province-merit-binh-luong", on=decision.allocation.evaluated_on)
    ranker = Ranker(INTERIM.ranking, rs)
    pool = [
        Candidate(f"{p.unit.id}{UNIT_SEPARATOR}{c.id}", c.kind, c.evidence)
        for p in PROPOSALS
        for c in p.proposed_for(FORM)
    ]
    for kind in CandidateKind:
        expected = sorted((c for c in pool if c.kind is kind), key=ranker.key)[:20]
        assert decision.awarded(kind=kind) == tuple(c.id for c in expected)


def test_beyond_the_provinces_cap_cascades_to_the_communes_commendation() -> None:
    decision = decide(INTERIM, PROPOSALS, authority=AUTHORITY, library=LIB)
    beyond = [
        c
        for c in decision.allocation.candidates
        if c.form == "commune-commendation" and c.outcome is AllocationOutcome.PROPOSED
    ]
    assert beyond
    assert all("Thay vào đó, đề nghị Giấy khen" in c.reason.vi for c in beyond)
    assert all("số lượng không quá 20" in c.reason.vi for c in beyond)


def test_one_units_decision_is_its_own_allocation() -> None:
    one = PROPOSALS[0]
    decision = decide(INTERIM, [one], authority=AUTHORITY, library=LIB)
    head = one.unit.id + UNIT_SEPARATOR
    assert tuple(i.removeprefix(head) for i in decision.awarded()) == one.allocation.proposed(FORM)


def test_the_decision_does_not_depend_on_the_order_of_the_proposals() -> None:
    a = decide(INTERIM, PROPOSALS, authority=AUTHORITY, library=LIB)
    b = decide(INTERIM, PROPOSALS[::-1], authority=AUTHORITY, library=LIB)
    assert a.awarded() == b.awarded()


def test_a_commune_run_says_the_cap_is_the_provinces() -> None:
    notes = PROPOSALS[0].allocation.notes
    assert len(notes) == 1
    assert "không quá 20 tập thể và 20 cá nhân là của Chủ tịch Ủy ban nhân dân tỉnh" in notes[0].vi
    assert "áp dụng cho toàn tỉnh; xã chỉ đề nghị" in notes[0].vi
    assert "belongs to the Chairman of the People's Committee of Thanh Hóa province" in notes[0].en
    assert "the commune only proposes" in notes[0].en


def test_the_final_round_is_noted_too_and_an_uncapped_form_is_not() -> None:
    final = AllocationCatalogue().round("special-campaign-binh-luong", "final")
    cands = [PROPOSALS[0].candidates[0]]
    result = allocate(final, cands, library=LIB, on=final.default_date())
    assert [n.vi.split(" là của")[0] for n in result.notes] == [
        "Số lượng không quá 30 tập thể và 30 cá nhân"
    ]


def test_the_decision_notes_the_cap_applied_once() -> None:
    decision = decide(INTERIM, PROPOSALS, authority=AUTHORITY, library=LIB)
    (note,) = decision.allocation.notes
    assert "áp dụng một lần cho 3 đề nghị (xã Bình Lương, xã Xuân Bình, xã Hóa Quỳ)" in note.vi


@pytest.mark.parametrize(
    "change, words",
    [
        (
            {"authority": "chairman-ubnd-province-nghe-an"},
            "không phải chairman-ubnd-province-thanh-hoa",
        ),
        ({"twice": True}, "đề nghị hai lần"),
        ({"empty": True}, "chưa có đề nghị nào"),
    ],
)
def test_bad_proposals_are_refused_in_both_languages(change: dict[str, Any], words: str) -> None:
    proposals = list(PROPOSALS)
    if "authority" in change:
        proposals[1] = Proposal(
            proposals[1].unit, change["authority"], proposals[1].allocation, proposals[1].candidates
        )
    if "twice" in change:
        proposals.append(proposals[0])
    if "empty" in change:
        proposals = []
    with pytest.raises(CampaignError) as info:
        decide(INTERIM, proposals, authority=AUTHORITY, library=LIB)
    assert words in info.value.text_in("vi")


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(CampaignError) as info:
        decide(INTERIM, PROPOSALS, authority=AUTHORITY, library=LIB, form="nope")
    assert "không có hình thức" in info.value.text_in("vi")


def _evidence(count: int, exceptional: bool) -> dict[str, Any]:
    return {
        "exceptional_achievement": exceptional,
        "targets_met": True,
        "targets_met_count": count,
        "law_violation": False,
        "already_commended": False,
    }


_UNIT = st.lists(
    st.tuples(st.sampled_from([COL, IND]), st.integers(10, 17), st.booleans()),
    min_size=0,
    max_size=26,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(_UNIT, min_size=3, max_size=3))
def test_property_three_communes_never_exceed_the_provinces_cap(
    units: list[list[tuple[CandidateKind, int, bool]]],
) -> None:
    proposals = []
    for u, rows in enumerate(units):
        cands = [Candidate(f"c{i:02d}", k, _evidence(n, x)) for i, (k, n, x) in enumerate(rows)]
        if not cands:
            cands = [Candidate("c00", COL, _evidence(10, False))]
        proposals.append(propose(INTERIM, cands, unit=f"xa-{u}", authority=AUTHORITY, library=LIB))
    decision = decide(INTERIM, proposals, authority=AUTHORITY, library=LIB)
    sent = {k: sum(len(p.allocation.proposed(FORM, k)) for p in proposals) for k in CandidateKind}
    for kind in CandidateKind:
        assert _decided(decision, kind) == min(20, sent[kind])
    rs = LIB.load("awards-province-merit-binh-luong", on=decision.allocation.evaluated_on)
    ranker = Ranker(INTERIM.ranking, rs)
    pool = [
        Candidate(f"{p.unit.id}{UNIT_SEPARATOR}{c.id}", c.kind, c.evidence)
        for p in proposals
        for c in p.proposed_for(FORM)
    ]
    for kind in CandidateKind:
        expected = sorted((c for c in pool if c.kind is kind), key=ranker.key)[:20]
        assert decision.awarded(kind=kind) == tuple(c.id for c in expected)


def test_only_the_authority_the_plan_names_in_the_register_decides() -> None:
    other = "chairman-ubnd-province-nghe-an"
    readdressed = [Proposal(p.unit, other, p.allocation, p.candidates) for p in PROPOSALS]
    with pytest.raises(CampaignError) as info:
        decide(INTERIM, readdressed, authority=other, library=LIB)
    assert info.value.path == ("authority",)
    assert "chairman-ubnd-province-thanh-hoa" in info.value.text_in("vi")
    assert "quyết định, không phải chairman-ubnd-province-nghe-an" in info.value.text_in("vi")
    assert "chairman-ubnd-province-thanh-hoa" in LIB.authorities()  # a register id
