"""Award rounds placed when the texts allow them, and undated steps recorded as such
(issue 17, point 3)."""

from __future__ import annotations

from datetime import date

import pytest

import emulation_rules as er
from emulation_rules.campaigns import Campaign, CampaignCatalogue, authority_issues
from emulation_rules.campaigns.spec import UndatedKind

CAT = CampaignCatalogue()
REG = er.Library().authorities()


def _binh_luong() -> er.campaigns.Campaign:
    c = Campaign.new(CAT.get("special-campaign-binh-luong"), "xa", on=date(2024, 9, 20))
    c.issue(on=date(2024, 9, 20))
    c.launch(on=date(2024, 9, 25))
    return c


def test_the_district_commendation_is_proposed_at_the_interim_review() -> None:
    d = CAT.get("special-campaign-binh-luong")
    assert d.award_round("district-commendation").review == "interim-review-1"
    c = _binh_luong()
    c.advance(to=date(2025, 2, 10))
    c.submit_report("interim-report-1", on=date(2025, 2, 11))
    c.decide_awards("district-commendation", collectives=2, individuals=3, on=date(2025, 2, 12))
    assert "district-commendation" in {a.award_round for a in c.to_state().awards}


def test_the_district_commendation_is_refused_once_the_district_is_gone() -> None:
    c = _binh_luong()
    c.advance(to=date(2025, 7, 1))
    with pytest.raises(er.TransitionRefused) as info:
        c.decide_awards("district-commendation", collectives=1, individuals=0, on=date(2025, 7, 1))
    assert info.value.guard == "authority"


def test_its_authority_exists_at_the_interim_review() -> None:
    d = CAT.get("special-campaign-binh-luong")
    assert not [i for i in authority_issues(d, REG) if i.use.path[:2] == ("award_rounds", 2)]


@pytest.mark.parametrize(
    ("campaign", "kinds"),
    [
        ("special-campaign-hai-phong", {UndatedKind.REPORT, UndatedKind.AWARDS}),
        ("special-campaign-dong-nai", {UndatedKind.AWARDS}),
    ],
)
def test_undated_reports_and_awards_follow_each_phase(
    campaign: str, kinds: set[UndatedKind]
) -> None:
    d = CAT.get(campaign)
    assert {s.kind for s in d.spec.undated} == kinds
    for step in d.spec.undated:
        assert step.after_phases == ("phase-1", "phase-2")
        assert step.note is not None and step.wording
    # undated: never a report deadline
    assert {r.id for r in d.spec.reports}.isdisjoint({s.id for s in d.spec.undated})


def test_an_undated_step_after_an_unknown_phase_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from emulation_rules.campaigns import load_campaign_file
    from emulation_rules.campaigns.loading import shipped_campaigns_folder

    text = (
        shipped_campaigns_folder()
        .joinpath("special-campaign-hai-phong.yaml")
        .read_text(encoding="utf-8")
    )
    bad = tmp_path / "hp.yaml"
    bad.write_text(text.replace("after_phases: [phase-1, phase-2]", "after_phases: [phase-9]", 1))
    with pytest.raises(er.RuleSetError) as info:
        load_campaign_file(bad)
    assert info.value.path == ("undated", 0, "after_phases", 0)
    assert info.value.message_vi == "không có đợt 'phase-9'"
