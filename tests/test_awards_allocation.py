"""Award allocation: eligibility rule sets, ranking, quotas, cascades, reasons, round trips."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation_rules.api import Library
from emulation_rules.awards import (
    Allocation,
    AllocationCatalogue,
    AllocationOutcome,
    AllocationRound,
    Candidate,
    CandidateKind,
    allocate,
    parse_allocation_plan,
    read_candidates,
)
from emulation_rules.cli import awards as awards_cli
from emulation_rules.cli.main import main
from emulation_rules.errors import (
    CampaignError,
    EvidenceError,
    FormatError,
    NotFoundError,
    RuleSetError,
)
from emulation_rules.model.converter import from_json, to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "candidates-binh-luong-interim.jsonl"
CAMPAIGN = "special-campaign-binh-luong"
LIB = Library()
PLANS = AllocationCatalogue()
INTERIM = PLANS.round(CAMPAIGN, "interim")
COL = CandidateKind.COLLECTIVE
IND = CandidateKind.INDIVIDUAL


def _example() -> tuple[Candidate, ...]:
    return read_candidates(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def _evidence(
    *, exceptional: bool = False, met: bool = True, count: int = 15, violation: bool = False
) -> dict[str, Any]:
    return {
        "exceptional_achievement": exceptional,
        "targets_met": met,
        "targets_met_count": count,
        "law_violation": violation,
        "already_commended": False,
    }


def _plan_round(forms_yaml: str, round_id: str = "r") -> AllocationRound:
    text = f"""
campaign: {CAMPAIGN}
source: {{document: test}}
ranking:
  - {{fact: targets_met_count, order: descending}}
tie_break: id
rounds:
  - id: {round_id}
    review: interim-review-1
    title: {{vi: Thử, en: Test}}
    forms:
{forms_yaml}
"""
    return parse_allocation_plan(text, "test-plan.yaml").round(round_id)


# -- the Bình Lương example ------------------------------------------------------------------
def test_binh_luong_interim_numbers() -> None:
    result = allocate(INTERIM, _example(), library=LIB)
    merit, commendation = result.forms
    assert merit.form == "province-merit-interim"
    col = merit.tallies[0]
    assert (col.kind, col.quota, col.eligible, col.proposed) == (COL, 20, 27, 20)
    assert len(result.proposed("province-merit-interim", COL)) == 20
    cascaded = result.proposed("commune-commendation", COL)
    assert len(cascaded) == 7
    assert commendation.tallies[0].considered == 7
    third = result.candidate(cascaded[2])
    assert third.outcome is AllocationOutcome.PROPOSED and (third.rank, third.of) == (3, 7)
    assert "rank 23 of 27 eligible collectives, quota 20" in third.reason.en
    assert "instead" in third.reason.en
    assert "xếp thứ 23 trong 27 tập thể đủ điều kiện, số lượng không quá 20" in third.reason.vi
    assert third.steps[0].outcome is AllocationOutcome.BEYOND_QUOTA
    assert third.steps[0].cascaded_to == "commune-commendation"
    seventh = result.candidate(result.proposed("province-merit-interim", COL)[6])
    assert "rank 7 of 27" in seventh.reason.en
    assert result.evaluated_on.isoformat() == "2025-02-03"


def test_not_eligible_lists_failed_criteria() -> None:
    result = allocate(INTERIM, _example(), library=LIB)
    c = result.candidate("to-07")
    assert c.outcome is AllocationOutcome.NOT_ELIGIBLE and c.form is None
    assert c.steps[0].not_met == ("2",)
    assert "criteria not met: 2 (No violation of the law)" in c.reason.en
    assert "không đạt tiêu chí 2 (Không vi phạm pháp luật)" in c.reason.vi
    undetermined = result.candidate("to-31")
    assert undetermined.outcome is AllocationOutcome.UNDETERMINED
    assert undetermined.steps[0].missing == ("targets_met",)


def test_json_round_trip_is_exact() -> None:
    result = allocate(INTERIM, _example(), library=LIB)
    text = to_json(result)
    back = from_json(text, Allocation)
    assert back == result
    assert to_json(back) == text


def test_exceptional_achievement_is_a_ground_of_its_own() -> None:
    cands = [Candidate("a", COL, _evidence(exceptional=True, met=False, count=0))]
    result = allocate(INTERIM, cands, library=LIB)
    assert result.candidate("a").outcome is AllocationOutcome.PROPOSED
    violator = [Candidate("b", COL, _evidence(exceptional=True, violation=True))]
    assert (
        allocate(INTERIM, violator, library=LIB).candidate("b").outcome
        is AllocationOutcome.NOT_ELIGIBLE
    )


# -- properties ------------------------------------------------------------------------------
_candidate = st.builds(
    lambda kind, exc, met, count, violation: (
        kind,
        _evidence(exceptional=exc, met=met, count=count, violation=violation),
    ),
    st.sampled_from([COL, IND]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 17),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_candidate, min_size=0, max_size=60), st.randoms(use_true_random=False))
def test_quotas_never_exceeded_and_order_does_not_matter(
    specs: list[tuple[CandidateKind, dict[str, Any]]], rnd: Any
) -> None:
    cands = [Candidate(f"c{i:03d}", kind, ev) for i, (kind, ev) in enumerate(specs)]
    result = allocate(INTERIM, cands, library=LIB)
    merit = result.forms[0]
    for tally in merit.tallies:
        assert tally.quota is not None
        assert tally.proposed == min(tally.quota, tally.eligible)
        assert len(result.proposed("province-merit-interim", tally.kind)) <= tally.quota
    assert len(result.candidates) == len(cands)
    assert all(c.reason.vi and c.reason.en for c in result.candidates)
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert allocate(INTERIM, shuffled, library=LIB) == result
    # every eligible candidate beyond the quota is cascaded and proposed for the Giấy khen
    for c in result.candidates:
        if c.steps[0].outcome is AllocationOutcome.BEYOND_QUOTA:
            assert c.form == "commune-commendation" and c.outcome is AllocationOutcome.PROPOSED


@settings(max_examples=25, deadline=None)
@given(st.permutations([f"id-{n:02d}" for n in range(25)]))
def test_ties_are_broken_by_id(ids: list[str]) -> None:
    cands = [Candidate(i, COL, _evidence()) for i in ids]
    result = allocate(INTERIM, cands, library=LIB)
    assert result.proposed("province-merit-interim", COL) == tuple(sorted(ids)[:20])
    assert result.proposed("commune-commendation", COL) == tuple(sorted(ids)[20:])


def test_ranking_order_exceptional_then_targets_then_count() -> None:
    cands = [
        Candidate("z-exceptional", COL, _evidence(exceptional=True, met=False, count=0)),
        Candidate("a-low", COL, _evidence(count=12)),
        Candidate("b-high", COL, _evidence(count=17)),
        Candidate("c-none", COL, {**_evidence(), "targets_met_count": None}),
    ]
    result = allocate(INTERIM, cands, library=LIB)
    assert result.proposed("province-merit-interim", COL) == (
        "z-exceptional",
        "b-high",
        "a-low",
        "c-none",
    )


# -- cascades declared in data ---------------------------------------------------------------
def test_without_cascade_the_excess_is_not_proposed() -> None:
    rnd = _plan_round(
        "      - {award_round: province-merit-interim, ruleset: awards-province-merit-binh-luong,"
        " admits: all}"
    )
    cands = [Candidate(f"t{n:02d}", COL, _evidence(count=n % 5)) for n in range(23)]
    result = allocate(rnd, cands, library=LIB)
    beyond = [c for c in result.candidates if c.outcome is AllocationOutcome.BEYOND_QUOTA]
    assert len(beyond) == 3
    assert all(c.form is None and c.steps[0].cascaded_to is None for c in beyond)
    assert [c.steps[0].rank for c in beyond] == [21, 22, 23]
    assert "beyond the quota: rank 21 of 23" in beyond[0].reason.en


@pytest.mark.parametrize(
    ("forms", "message"),
    [
        (
            "      - {award_round: nope, ruleset: x, admits: all}",
            "no award round 'nope'",
        ),
        (
            "      - {award_round: province-merit-interim, ruleset: x, admits: all,"
            " cascade_to: province-merit-interim}",
            "must name a later form",
        ),
        (
            "      - {award_round: province-merit-interim, ruleset: x, admits: all}\n"
            "      - {award_round: commune-commendation, ruleset: x, admits: all}",
            "held at review 'final-review'",
        ),
        (
            "      - {award_round: province-merit-interim, ruleset: x, admits: cascaded}",
            "must admit all",
        ),
        (
            "      - {award_round: province-merit-interim, ruleset: x, admits: all, extra: 1}",
            "unknown key",
        ),
    ],
)
def test_plan_errors_name_file_and_line(forms: str, message: str) -> None:
    with pytest.raises(RuleSetError) as info:
        _plan_round(forms)
    assert message in str(info.value)
    assert info.value.file == "test-plan.yaml" and info.value.line is not None


def test_authority_that_no_longer_exists_is_refused() -> None:
    text = f"""
campaign: {CAMPAIGN}
source: {{document: test}}
tie_break: id
rounds:
  - id: final
    review: final-review
    title: {{vi: Thử, en: Test}}
    forms:
      - award_round: district-commendation
        ruleset: awards-commendation-binh-luong
        admits: all
        note: {{vi: Thử ở đợt tổng kết, en: Tried at the final review}}
"""
    rnd = parse_allocation_plan(text, "t.yaml").round("final")
    with pytest.raises(CampaignError, match="only until 2025-06-30"):
        allocate(rnd, [Candidate("a", COL, _evidence())], library=LIB)


def test_bad_candidates_are_reported_together() -> None:
    cands = [
        Candidate("a", COL, {"targets_met": 3}),
        Candidate("a", COL, _evidence()),
    ]
    with pytest.raises(EvidenceError, match="more than once"):
        allocate(INTERIM, cands, library=LIB)
    with pytest.raises(EvidenceError) as info:
        allocate(INTERIM, [Candidate("a", COL, {"targets_met": 3, "bogus": 1})], library=LIB)
    paths = {p.path for p in info.value.problems}
    assert ("candidates", "a", "evidence", "targets_met") in paths
    assert ("candidates", "a", "evidence", "bogus") in paths
    with pytest.raises(FormatError) as info2:  # a file-format problem, not bad evidence
        read_candidates('{"id": "a", "kind": "team"}\n{oops\n', "c.jsonl")
    assert not isinstance(info2.value, EvidenceError)
    assert len(info2.value.problems) == 2
    assert str(info2.value).startswith("c.jsonl:1: ")
    with pytest.raises(NotFoundError):
        PLANS.round(CAMPAIGN, "mid")


# -- CLI -------------------------------------------------------------------------------------
def _cli(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    awards_cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


def test_cli_json_csv_table(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("awards", "allocate", CAMPAIGN, "--round", "interim", str(EXAMPLE))
    assert awards_cli.run(_cli(*base, "--format", "json")) == 0
    out = capsys.readouterr().out
    result = from_json(out, Allocation)
    assert result == allocate(INTERIM, _example(), library=LIB)
    assert awards_cli.run(_cli(*base, "--format", "csv", "--lang", "en")) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "id,name,kind,outcome,form,rank,of,reason"
    assert len(rows) == 1 + len(result.candidates)
    assert awards_cli.run(_cli(*base, "--lang", "en")) == 0
    assert "quota 20" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main([*base, "--on", "not-a-date"])
    assert exit_info.value.code == 2
    assert (
        "argument --on: not a date YYYY-MM-DD or dd/mm/yyyy: 'not-a-date'"
        in capsys.readouterr().err
    )
    assert json.loads(out)["round"] == "interim"
