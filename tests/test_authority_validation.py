"""Every shipped plan, award round, report and recognition step against the register of
authorities (issue 17, point 2): no authority is named on a day it did not exist unless the
data flags it; display names are the register's; the two Hậu Lộc files agree."""

from __future__ import annotations

from datetime import date

import pytest

import emulation_rules as er
from emulation_rules.awards.recognition import load_procedure
from emulation_rules.campaigns import (
    CampaignCatalogue,
    CampaignDefinition,
    authority_issues,
    authority_uses,
    decider_on,
)

REG = er.Library().authorities()
CAT = CampaignCatalogue()
PROC = load_procedure("hau-loc")


def _definitions() -> list[CampaignDefinition]:
    out = []
    for campaign_id in CAT.ids():
        d = CAT.get(campaign_id)
        cycle = d.spec.cycle
        if cycle is None:
            out.append(d)
            continue
        last = cycle.last_year if cycle.last_year is not None else cycle.first_year + 3
        out.extend(d.for_cycle(y) for y in range(cycle.first_year, last + 1))
    return out


DEFS = _definitions()

# the steps the plans set for bodies the 01/7/2025 reorganisation abolished, each flagged
FLAGGED = {
    ("special-campaign-binh-luong", ("reports", 1, "recipient")),
    ("special-campaign-dong-nai", ("reports", 0, "sender")),
    ("special-campaign-kon-plong", ("authority", "authority_id")),
    ("special-campaign-kon-plong", ("award_rounds", 0, "authority_id")),
    ("special-campaign-kon-plong", ("reports", 1, "recipient")),
}


def test_every_plan_names_its_issuer_and_every_round_its_authority_by_register_id() -> None:
    for d in DEFS:
        assert d.spec.authority.authority_id is not None, d.id
        for award in d.spec.award_rounds:
            assert award.authority_id is not None, (d.id, award.id)


def test_every_register_id_is_known_and_names_are_the_registers() -> None:
    for d in DEFS:
        for use in authority_uses(d):
            REG.get(use.authority_id)
        if d.spec.authority.authority_id is not None:
            assert d.spec.authority.name == REG.get(d.spec.authority.authority_id).name, d.id
        for award in d.spec.award_rounds:
            if award.authority_id is not None:
                assert award.authority == REG.get(award.authority_id).name, (d.id, award.id)
    for authority in PROC.spec.authorities:
        assert authority.register_id is not None
        assert authority.recogniser == REG.get(authority.register_id).name


def test_no_authority_is_named_on_a_day_it_did_not_exist_unless_flagged() -> None:
    found = {(d.id, i.use.path) for d in DEFS for i in authority_issues(d, REG)}
    assert found == FLAGGED


def test_each_flagged_step_says_so_in_the_data() -> None:
    for d in DEFS:
        for issue in authority_issues(d, REG):
            entry = REG.get(issue.use.authority_id)
            assert entry.to is not None and entry.successor is None
            path = issue.use.path
            if path[0] == "authority":
                assert d.spec.authority.valid_until == entry.to
            elif path[0] == "award_rounds":
                assert d.spec.award_rounds[int(path[1])].authority_valid_until == entry.to
            else:
                note = d.spec.reports[int(path[1])].note
                assert note is not None and "30/6/2025" in note.vi and "30/6/2025" in note.en
            assert issue.message.vi != issue.message.en


def test_an_end_written_in_a_plan_is_the_registers() -> None:
    for d in DEFS:
        a = d.spec.authority
        if a.valid_until is not None and a.authority_id is not None:
            assert a.valid_until == REG.get(a.authority_id).to
        for award in d.spec.award_rounds:
            if award.authority_valid_until is not None and award.authority_id is not None:
                assert award.authority_valid_until == REG.get(award.authority_id).to


def test_recognition_authorities_exist_over_their_whole_period() -> None:
    for authority in PROC.spec.authorities:
        assert authority.register_id is not None
        entry = REG.get(authority.register_id)
        assert entry.exists_on(authority.valid_from)
        assert entry.to == authority.valid_until or (
            entry.to is None and authority.valid_until is None
        )


def test_kon_tum_ends_on_30_6_2025_and_passes_to_quang_ngai() -> None:
    kon_tum = REG.get("ubnd-province-kon-tum")
    assert kon_tum.to == date(2025, 6, 30)
    d = CAT.get("special-campaign-kon-plong")
    decider = decider_on(d, "province-merit-proposal", date(2025, 8, 20), REG)
    assert decider.id == "ubnd-province-quang-ngai"
    assert decider_on(d, "province-merit-proposal", date(2025, 2, 4), REG).id == kon_tum.id


def test_the_provincial_bcd_138_competence_before_the_reform_is_recorded() -> None:
    entry = REG.get("bcd-138-province-thanh-hoa")
    assert entry.from_ is None and entry.competence is not None
    assert "đề nghị Ban Chỉ đạo 138 tỉnh, Ban Chỉ đạo 138 huyện xét, công nhận" in (
        entry.competence.vi.replace("\n", " ")
    )
    assert entry.exists_on(date(2024, 12, 31))  # before the reform, too


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_two_hau_loc_files_name_the_same_recogniser(year: int) -> None:
    cycle = PROC.cycle(year)
    campaign = CAT.get("typical-units-hau-loc").for_cycle(year)
    decider = decider_on(campaign, "typical-unit-recognition", cycle.on, REG)
    assert decider.id == cycle.authority.register_id
    assert decider.name == cycle.authority.recogniser


def test_the_two_hau_loc_files_agree_on_2025_and_2026() -> None:
    cycle = PROC.cycle(2025)
    assert cycle.authority.register_id == "bcd-138-province-thanh-hoa"
    with pytest.raises(er.NotFoundError, match="no cycle 2026"):
        PROC.cycle(2026)
    with pytest.raises(er.CampaignError, match="no cycle 2026"):
        CAT.get("typical-units-hau-loc").for_cycle(2026)
    assert PROC.spec.cycle.last_year == CAT.get("typical-units-hau-loc").spec.cycle.last_year  # type: ignore[union-attr]
