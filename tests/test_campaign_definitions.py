"""Shipped campaign plans: their dates, and the validation of campaign files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from emulation_rules.campaigns import CampaignCatalogue, last_day_on_time, parse_campaign
from emulation_rules.errors import CampaignError, NotFoundError, RuleSetError

SHIPPED = Path(__file__).resolve().parents[1] / "rulesets" / "campaigns"
SPECIAL = [
    "special-campaign-national",
    "special-campaign-dong-nai",
    "special-campaign-binh-luong",
    "special-campaign-kon-plong",
    "special-campaign-hai-phong",
]


@pytest.fixture(scope="module")
def catalogue() -> CampaignCatalogue:
    return CampaignCatalogue()


def test_every_plan_is_shipped(catalogue: CampaignCatalogue) -> None:
    assert catalogue.ids() == sorted([*SPECIAL, "typical-units-hau-loc"])


@pytest.mark.parametrize("cid", SPECIAL)
def test_phase_boundary(catalogue: CampaignCatalogue, cid: str) -> None:
    d = catalogue.get(cid)
    issued = date(2024, 10, 1) if d.spec.period.starts_on_issuance else None
    assert d.phase_on(date(2025, 2, 3), issued).id == "phase-1"  # type: ignore[union-attr]
    assert d.phase_on(date(2025, 2, 4), issued).id == "phase-2"  # type: ignore[union-attr]
    assert d.phase_on(date(2025, 8, 19), issued).id == "phase-2"  # type: ignore[union-attr]
    assert d.phase_on(date(2025, 8, 20), issued) is None


def test_national_baseline(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-national")
    assert d.spec.source.document == "399/KH-BCA-X03"
    assert d.spec.source.date == date(2024, 8, 13)
    assert (d.spec.period.start, d.spec.period.end) == (date(2024, 8, 19), date(2025, 8, 19))
    assert d.phase_on(date(2024, 8, 18)) is None
    assert d.spec.targets == ("special-campaign-targets",)


def test_dong_nai_final_report(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-dong-nai")
    report = d.report("final-report")
    assert report.due == date(2025, 8, 22)
    assert last_day_on_time(report) == date(2025, 8, 21)
    assert d.spec.targets == ("special-campaign-targets-dong-nai",)


def test_binh_luong_reports_and_quotas(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-binh-luong")
    assert last_day_on_time(d.report("interim-report-1")) == date(2025, 2, 14)
    assert last_day_on_time(d.report("final-report")) == date(2025, 8, 24)
    interim = d.award_round("province-merit-interim").quota
    final = d.award_round("province-merit-final").quota
    assert interim is not None and (interim.collectives, interim.individuals) == (20, 20)
    assert final is not None and (final.collectives, final.individuals) == (30, 30)
    assert {a.id for a in d.spec.award_rounds} >= {"district-commendation", "commune-commendation"}
    assert d.spec.targets == ("special-campaign-targets-binh-luong",)


def test_kon_plong_starts_on_issuance(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-kon-plong")
    assert d.spec.period.starts_on_issuance
    assert d.phase_on(date(2024, 11, 1)) is None  # not issued yet: no phase
    assert d.phase_on(date(2024, 11, 1), date(2024, 10, 15)).id == "phase-1"  # type: ignore[union-attr]
    assert d.report("phase-1-report").due == date(2025, 2, 3)
    assert d.report("phase-2-report").due == date(2025, 8, 18)
    assert d.spec.authority.valid_until == date(2025, 6, 30)
    assert d.authority_valid_on(date(2025, 6, 30)) and not d.authority_valid_on(date(2025, 7, 1))


def test_hai_phong_period(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-hai-phong")
    assert (d.spec.period.start, d.spec.period.end) == (date(2024, 11, 1), date(2025, 8, 19))
    assert d.phase_on(date(2024, 10, 31)) is None
    assert d.phase_on(date(2024, 11, 1)).id == "phase-1"  # type: ignore[union-attr]


def test_hau_loc_yearly_cycle(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("typical-units-hau-loc")
    assert d.spec.targets == ("typical-commune", "typical-organisation")
    assert d.phase_on(date(2024, 2, 1)).id == "selection"  # type: ignore[union-attr]
    assert last_day_on_time(d.report("six-month-report")) == date(2024, 6, 9)
    assert last_day_on_time(d.report("annual-report")) == date(2024, 10, 19)
    y2025 = d.for_cycle(2025)
    assert y2025.id == "typical-units-hau-loc-2025"
    assert y2025.phase_on(date(2025, 3, 31)).id == "selection"  # type: ignore[union-attr]
    assert y2025.report("annual-report").due == date(2025, 10, 20)
    assert y2025.spec.authority.valid_until == date(2025, 6, 30)
    assert d.spec.recurring_reviews[0].every_years == 2
    with pytest.raises(CampaignError, match="no cycle 2026"):
        d.for_cycle(2026)


def test_unknown_campaign(catalogue: CampaignCatalogue) -> None:
    with pytest.raises(NotFoundError, match="no campaign 'nope'"):
        catalogue.get("nope")


def test_vietnamese_has_diacritics() -> None:
    for path in SHIPPED.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "Phong trao thi dua" not in text and "Ke hoach" not in text, path.name


# -- validation -------------------------------------------------------------------------
BASE = (SHIPPED / "special-campaign-binh-luong.yaml").read_text(encoding="utf-8")


def _error(text: str) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        parse_campaign(text, "bad.yaml")
    return info.value


def test_overlapping_phases() -> None:
    err = _error(BASE.replace("start: 2025-02-04", "start: 2025-02-01"))
    assert err.file == "bad.yaml" and err.line is not None
    assert err.path == ("phases", 1, "start") and "overlaps" in str(err)


def test_gap_between_phases() -> None:
    err = _error(BASE.replace("start: 2025-02-04", "start: 2025-02-10"))
    assert err.path == ("phases", 1, "start") and "day after" in str(err)


def test_phase_outside_period() -> None:
    err = _error(
        BASE.replace("end: 2025-08-19\n    dedicated_to", "end: 2025-09-19\n    dedicated_to")
    )
    assert err.path == ("phases", 1, "end")


def test_deadline_before_what_it_reports_on() -> None:
    err = _error(BASE.replace("due: 2025-02-15", "due: 2025-02-03"))
    assert err.path == ("reports", 0, "due") and "early: true" in str(err)
    assert str(err).startswith("bad.yaml:")


def test_unknown_key_names_line() -> None:
    err = _error(BASE.replace("theme:", "colour: red\ntheme:"))
    assert err.path == ("colour",) and "unknown key" in str(err)
    assert (
        err.line
        == BASE.replace("theme:", "colour: red\ntheme:").splitlines().index("colour: red") + 1
    )


def test_review_reference() -> None:
    err = _error(BASE.replace("report: interim-report-1", "report: nope"))
    assert err.path == ("reviews", 0, "report")


def test_award_round_review_reference() -> None:
    err = _error(BASE.replace("review: interim-review-1", "review: nope"))
    assert err.path == ("award_rounds", 0, "review")


# -- reversed dates are refused where the plan is read (issue 13) ---------------------------
HAU_LOC = (SHIPPED / "typical-units-hau-loc.yaml").read_text(encoding="utf-8")


def test_phase_that_ends_before_it_starts() -> None:
    err = _error(BASE.replace("end: 2025-02-03", "end: 2024-08-01", 1))
    assert err.path == ("phases", 0, "end") and str(err).startswith("bad.yaml:")
    assert err.line is not None and "starts (2024-08-19) after it ends (2024-08-01)" in str(err)


def test_period_that_ends_before_it_starts() -> None:
    err = _error(BASE.replace("  end: 2025-08-19\nphases", "  end: 2024-08-01\nphases"))
    assert err.path == ("period", "end") and "after it ends" in str(err)


def test_plan_dated_after_its_period_ends() -> None:
    text = HAU_LOC.replace("date: 2024-04-09", "date: 2025-04-09", 1)
    assert text != HAU_LOC
    err = _error(text)
    assert err.path == ("period", "end") and err.line is not None
    assert "dated 2025-04-09, after its period ends (2024-12-31)" in str(err)


def test_award_body_that_ends_before_the_campaign_begins() -> None:
    text = BASE.replace("authority_valid_until: 2025-06-30", "authority_valid_until: 2024-06-30")
    assert text != BASE
    err = _error(text)
    assert err.path[0] == "award_rounds" and err.path[-1] == "authority_valid_until"
    assert "could never be decided" in str(err) and err.line is not None


def test_cycle_whose_last_year_is_before_its_first() -> None:
    text = HAU_LOC.replace("last_year: 2025", "last_year: 2023", 1)
    err = _error(text)
    assert err.path == ("cycle", "last_year") and "2023" in str(err)


def test_yearly_plan_with_a_leap_day_moves_to_the_28th() -> None:
    text = HAU_LOC.replace("end: 2024-03-31", "end: 2024-02-29", 1).replace(
        "start: 2024-04-01", "start: 2024-03-01", 1
    )
    d = parse_campaign(text, "leap.yaml")
    y2025 = d.for_cycle(2025)  # was a ValueError (no 29/2/2025)
    assert y2025.phase("selection").end == date(2025, 2, 28)
    assert y2025.phase("building").start == date(2025, 3, 1)
