"""Allocation → decision (issue 18): the printable allocation and decision, a verdict as a
candidate in one call, the decision recorded in the campaign, and the CLI."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from emulation_rules.api import Library
from emulation_rules.awards import (
    AllocationCatalogue,
    AllocationOutcome,
    Candidate,
    CandidateKind,
    Decision,
    Proposal,
    UnitRef,
    allocate,
    allocation_html,
    allocation_markdown,
    decide,
    decision_html,
    decision_markdown,
    propose,
    read_candidates,
    record_allocation,
    record_decision,
)
from emulation_rules.campaigns import Campaign, CampaignCatalogue
from emulation_rules.cli.main import main
from emulation_rules.errors import CampaignError, EvidenceError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "candidates-binh-luong-interim.jsonl"
ROUND_FILE = EXAMPLES / "province-round-interim.json"
LIB = Library()
PLANS = AllocationCatalogue()
INTERIM = PLANS.round("special-campaign-binh-luong", "interim")
AUTHORITY = "chairman-ubnd-province-thanh-hoa"
CANDIDATES = read_candidates(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
RESULT = allocate(INTERIM, CANDIDATES, library=LIB)


def _proposal(unit: str, name: str, file: str) -> Proposal:
    path = EXAMPLES / file
    cands = read_candidates(path.read_text(encoding="utf-8"), str(path))
    return propose(INTERIM, cands, unit=UnitRef(unit, name), authority=AUTHORITY, library=LIB)


def _decision() -> Decision:
    manifest = json.loads(ROUND_FILE.read_text(encoding="utf-8"))
    proposals = [_proposal(p["unit"], p["name"], p["candidates"]) for p in manifest["proposals"]]
    return decide(INTERIM, proposals, authority=AUTHORITY, library=LIB)


DECISION = _decision()


def test_the_printed_allocation_names_candidates_and_writes_caps_in_words() -> None:
    for text in (
        allocation_markdown(RESULT, round=INTERIM, unit="xã Bình Lương"),
        allocation_html(RESULT, round=INTERIM, unit="xã Bình Lương"),
    ):
        assert "Tổ bảo vệ ANTT số 18" in text
        assert not re.search(r"\bto-\d\d\b", text)  # names, not codes
        assert "không quá 20" in text
        assert "không giới hạn số lượng" in text  # the commune's Giấy khen
        assert "∞" not in text and "None" not in text
        assert "xã chỉ đề nghị" in text  # the cap is the province's
        assert "03/02/2025" in text
        assert "special-campaign-binh-luong" not in text  # the campaign by its title


def test_the_printed_allocation_in_english() -> None:
    text = allocation_markdown(RESULT, lang="en", round=INTERIM)
    assert "at most 20" in text and "no limit" in text and "2025-02-03" in text
    assert "the commune only proposes" in text


def test_the_html_is_self_contained_and_escaped() -> None:
    hostile = Candidate(
        "x", CandidateKind.COLLECTIVE, dict(CANDIDATES[0].evidence), name="<b>&</b>"
    )
    page = allocation_html(allocate(INTERIM, [hostile], library=LIB), round=INTERIM)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "@page" in page
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>&" not in page
    assert not re.search(r"<(link|script|img)\b|https?://", page)


def test_a_bad_language_is_refused_in_both_languages() -> None:
    with pytest.raises(EvidenceError) as info:
        allocation_markdown(RESULT, lang="fr")
    assert "ngôn ngữ phải là vi hoặc en" in info.value.text_in("vi")


def test_the_printed_decision_lists_the_awarded_and_the_units() -> None:
    md = decision_markdown(DECISION, round=INTERIM)
    html = decision_html(DECISION, round=INTERIM)
    for text in (md, html):
        assert "Quyết định khen thưởng" in text
        assert "xã Bình Lương, xã Xuân Bình, xã Hóa Quỳ" in text
        assert "Được khen thưởng" in text
        assert "áp dụng một lần cho 3 đề nghị" in text
        assert "xã chỉ đề nghị" not in text  # the decision is not a proposal
    assert md.count("**Được khen thưởng**") == 40  # 20 collectives and 20 individuals


def test_a_targets_verdict_becomes_a_candidate_in_one_call() -> None:
    evidence = json.loads((EXAMPLES / "security-team-phase.json").read_text(encoding="utf-8"))
    verdict = LIB.load("special-campaign-targets", on=date(2025, 2, 3)).evaluate(
        evidence, unit="to-40"
    )
    extra = {"exceptional_achievement": False, "law_violation": False, "already_commended": False}
    c = Candidate.from_verdict(verdict, kind="collective", name="Tổ 40", evidence=extra)
    assert c.id == "to-40" and c.name == "Tổ 40"
    assert c.evidence["targets_met"] is True
    assert c.evidence["targets_met_count"] == len(verdict.met) > 0
    result = allocate(INTERIM, [c], library=LIB)
    assert result.candidate("to-40").outcome is AllocationOutcome.PROPOSED


def test_an_undetermined_verdict_leaves_targets_met_missing_not_false() -> None:
    evidence = json.loads((EXAMPLES / "security-team-phase.json").read_text(encoding="utf-8"))
    rs = LIB.load("special-campaign-targets-binh-luong", on=date(2025, 2, 3))
    verdict = rs.evaluate(evidence, unit="to-41")
    c = Candidate.from_verdict(verdict, kind=CandidateKind.COLLECTIVE)
    assert "targets_met" not in c.evidence
    outcome = allocate(INTERIM, [c], library=LIB).candidate("to-41").outcome
    assert outcome is AllocationOutcome.UNDETERMINED


def test_from_verdict_refuses_no_id_and_a_fact_given_twice() -> None:
    evidence = json.loads((EXAMPLES / "security-team-phase.json").read_text(encoding="utf-8"))
    rs = LIB.load("special-campaign-targets", on=date(2025, 2, 3))
    verdict = rs.evaluate({k: v for k, v in evidence.items() if k != "unit_id"})
    with pytest.raises(EvidenceError) as info:
        Candidate.from_verdict(verdict, kind="collective")
    assert "hãy cho ứng viên một mã" in info.value.text_in("vi")
    with pytest.raises(EvidenceError) as info:
        Candidate.from_verdict(verdict, kind="collective", id="a", evidence={"targets_met": True})
    assert "không nhập lại" in info.value.text_in("vi")


def _at_interim_review() -> Campaign:
    campaigns = CampaignCatalogue()
    plan = campaigns.get("special-campaign-binh-luong")
    c = Campaign.new(plan, "xa-binh-luong", on=date(2024, 9, 20))
    c.issue(on=date(2024, 9, 20))
    c.launch(on=date(2024, 9, 25))
    c.advance(to=date(2025, 2, 5))
    return c


def test_the_decision_is_recorded_in_the_units_campaign_without_glue() -> None:
    campaign = _at_interim_review()
    moves = record_decision(campaign, DECISION, unit="xa-binh-luong", on=date(2025, 2, 6))
    assert len(moves) == 1  # the Bằng khen; the commune's Giấy khen is its own, at the final
    awards = campaign.to_state().awards
    assert [(a.award_round, a.collectives, a.individuals) for a in awards] == [
        ("province-merit-interim", *DECISION.counts("xa-binh-luong"))
    ]
    assert moves[0].subject == "province-merit-interim"


def test_a_proposal_cannot_be_recorded_as_the_decision() -> None:
    with pytest.raises(CampaignError) as info:
        record_allocation(_at_interim_review(), RESULT, on=date(2025, 2, 6))
    assert "mới là đề nghị" in info.value.text_in("vi")
    with pytest.raises(CampaignError):
        record_decision(_at_interim_review(), DECISION, unit="xa-khac", on=date(2025, 2, 6))


@pytest.mark.parametrize(
    "fmt, marker", [("md", "# Danh sách đề nghị"), ("html", "<!DOCTYPE html>")]
)
def test_cli_prints_the_allocation(
    capsys: pytest.CaptureFixture[str], fmt: str, marker: str
) -> None:
    args = ["awards", "allocate", "special-campaign-binh-luong", "--round", "interim"]
    assert main([*args, str(EXAMPLE), "--format", fmt, "--unit", "xã Bình Lương"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(marker) and "xã Bình Lương" in out


@pytest.mark.parametrize("fmt, marker", [("md", "# Quyết định"), ("html", "<!DOCTYPE html>")])
def test_cli_prints_the_decision(capsys: pytest.CaptureFixture[str], fmt: str, marker: str) -> None:
    assert main(["awards", "decide", str(ROUND_FILE), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.startswith(marker) and "Được khen thưởng" in out


def test_cli_decide_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["awards", "decide", str(ROUND_FILE)]) == 0
    table = capsys.readouterr().out
    assert "áp dụng một lần cho 3 đề nghị" in table
    assert table.count("được khen thưởng") == 40
    assert main(["awards", "decide", str(ROUND_FILE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["authority"] == AUTHORITY and len(data["units"]) == 3


def test_cli_decide_bad_round_file_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMULATION_RULES_LANG", "vi")
    bad = tmp_path / "r.json"
    bad.write_text('{"campaign": "special-campaign-binh-luong", "round": "interim"}', "utf-8")
    with pytest.raises(SystemExit) as info:
        main(["awards", "decide", str(bad)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "authority" in err and "cần mã cấp có thẩm quyền" in err
    bad.write_text(
        '{"campaign": "special-campaign-binh-luong", "round": "interim", "authority": "a",'
        ' "proposals": [{"unit": "x"}]}',
        "utf-8",
    )
    with pytest.raises(SystemExit):
        main(["awards", "decide", str(bad)])
    assert "proposals[0].candidates: cần tệp JSON Lines các ứng viên" in capsys.readouterr().err
