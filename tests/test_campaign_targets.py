"""The targets of the 2024–2025 special emulation campaign of the grassroots security force
(KH 399/KH-BCA-X03) and three local plans that extend them.

Both sides of every target's threshold are YAML cases in ``rulesets/cases/`` (run by the
pytest plugin and ``emulation-rules test``; see tests/test_shipped_cases.py for their
coverage and the refinement law). Here: loading, identity of the verdicts, the criteria a
variant keeps deciding alike for any unit, texts and examples.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.cli.main import main
from emulation_rules.testing import load_case_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ON = date(2025, 2, 3)

BASE = "special-campaign-targets"
BINH_LUONG = "special-campaign-targets-binh-luong"
DONG_NAI = "special-campaign-targets-dong-nai"
HAI_PHONG = "special-campaign-targets-hai-phong"
VARIANTS = (BINH_LUONG, DONG_NAI, HAI_PHONG)
ALL_IDS = (BASE, *VARIANTS)

MET, NOT_MET = er.CriterionStatus.MET, er.CriterionStatus.NOT_MET

TEAMS = ("Tổ bảo vệ ANTT thôn 1", "Tổ bảo vệ ANTT thôn 2", "Tổ bảo vệ ANTT thôn 3")
# Phase 1, 19/8/2024–03/02/2025: every calendar month it touches, 8/2024 to 2/2025.
PHASE_1 = ("2024-08-19", "2025-02-03")
MONTHS_1 = tuple(
    f"{y}-{m:02d}-01"
    for y, m in [(2024, 8), (2024, 9), (2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2)]
)
# Phase 2, 04/02/2025–19/8/2025: 2/2025 to 8/2025.
PHASE_2 = ("2025-02-04", "2025-08-19")
MONTHS_2 = tuple(f"2025-{m:02d}-01" for m in range(2, 9))

Unit = dict[str, Any]
Mutation = Callable[[Unit], None]
CASES = ROOT / "rulesets" / "cases"


def _reference(ruleset_id: str) -> Unit:
    """The reference unit of a rule set: the first case of its shipped case file, which
    meets every target at its boundary (see rulesets/cases/)."""
    first = load_case_file(CASES / f"{ruleset_id}.yaml")[0]
    assert first.name.startswith("reference unit"), first.name
    return first.evidence


REFERENCE = {rid: _reference(rid) for rid in ALL_IDS}
EXTRAS: dict[str, Unit] = {
    rid: {k: v for k, v in REFERENCE[rid].items() if k not in REFERENCE[BASE]} for rid in ALL_IDS
}


def unit_for(ruleset_id: str, mutate: Mutation | None = None) -> Unit:
    unit = copy.deepcopy(REFERENCE[ruleset_id])
    if mutate is not None:
        mutate(unit)
    return unit


def facts(**values: Any) -> Mutation:
    def apply(unit: Unit) -> None:
        unit.update(values)

    return apply


@pytest.fixture(scope="module")
def lib() -> er.Library:
    return er.Library()


def load(lib: er.Library, ruleset_id: str) -> er.RuleSet:
    return lib.load(ruleset_id, on=ON)


def statuses(rs: er.RuleSet, unit: Unit) -> dict[str, er.CriterionStatus]:
    """Criterion statuses, checked to agree between the fast and the explained paths."""
    fast = {c.id: c.status for c in rs.evaluate(unit).criteria}
    full = {c.id: c.status for c in rs.evaluate(unit, explain=True).criteria}
    assert fast == full
    return full


def kept_criteria(lib: er.Library, variant: str) -> set[str]:
    """Baseline criteria a variant keeps unchanged (not replaced, not dropped)."""
    base = {c.id: c.spec for c in load(lib, BASE).definition.criteria}
    return {
        c.id
        for c in load(lib, variant).definition.criteria
        if c.id in base and c.spec == base[c.id]
    }


# Baseline criteria each variant replaces (checked by test_what_each_variant_replaces_and_adds).
REPLACED = {BINH_LUONG: {"4.1b", "4.5"}, DONG_NAI: set(), HAI_PHONG: {"4.4c", "4.5"}}


# -- loading --------------------------------------------------------------------------------
@pytest.mark.parametrize("ruleset_id", ALL_IDS)
def test_loads_on_the_evaluation_date(lib: er.Library, ruleset_id: str) -> None:
    rs = load(lib, ruleset_id)
    assert rs.id == ruleset_id and rs.on == ON
    assert {k.value for k in rs.definition.applies_to} == {"commune", "security_team"}


def test_baseline_period_and_source(lib: er.Library) -> None:
    d = load(lib, BASE).definition
    assert (d.effective.from_, d.effective.until) == (date(2024, 8, 19), date(2025, 8, 19))
    assert d.source.document == "399/KH-BCA-X03" and d.source.date == date(2024, 8, 13)
    assert d.source.quoted_in and "Kon Plông" in d.source.quoted_in
    ids = ["4.1a", "4.1b", "4.2", "4.3", "4.4a", "4.4b", "4.4c", "4.5", "4.6a", "4.6b", "4.7"]
    assert [c.id for c in d.criteria] == ids
    assert [c.spec.number for c in d.criteria] == list(range(1, 12))
    for day in (date(2024, 8, 18), date(2025, 8, 20)):
        with pytest.raises(er.NotFoundError):
            lib.load(BASE, on=day)


def test_hai_phong_runs_from_november(lib: er.Library) -> None:
    with pytest.raises(er.NotFoundError):
        lib.load(HAI_PHONG, on=date(2024, 10, 31))
    assert lib.load(HAI_PHONG, on=date(2024, 11, 1)).id == HAI_PHONG


@pytest.mark.parametrize("ruleset_id", ALL_IDS)
def test_reference_unit_meets_every_target(lib: er.Library, ruleset_id: str) -> None:
    verdict = load(lib, ruleset_id).evaluate(unit_for(ruleset_id), explain=True)
    assert verdict.status is er.Status.ELIGIBLE, verdict.reason.en


def test_what_each_variant_replaces_and_adds(lib: er.Library) -> None:
    base_ids = {c.id for c in load(lib, BASE).definition.criteria}
    added = {
        BINH_LUONG: {"4.2b", "4.2c", "4.3b", "4.4d", "4.7b", "4.7c"},
        DONG_NAI: {"4.2b", "4.2c"},
        HAI_PHONG: set(),
    }
    for variant in VARIANTS:
        ids = {c.id for c in load(lib, variant).definition.criteria}
        assert base_ids - kept_criteria(lib, variant) == REPLACED[variant], variant
        assert ids - base_ids == added[variant], variant


# -- identity of the verdicts --------------------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_verdict_records_its_own_rule_set(lib: er.Library, variant: str) -> None:
    rs, base = load(lib, variant), load(lib, BASE)
    verdict = rs.evaluate(unit_for(variant))
    assert rs.definition.extends == BASE
    assert verdict.ruleset.id == variant
    assert verdict.ruleset.version == rs.version == "2024.1"
    assert verdict.ruleset.sha256 == rs.sha256 != base.sha256
    assert len(verdict.ruleset.sha256) == 64
    data = json.loads(er.to_json(verdict))
    assert data["ruleset"] == {"id": variant, "version": rs.version, "sha256": rs.sha256}
    assert data["evaluated_on"] == ON.isoformat()


def test_the_four_hashes_differ(lib: er.Library) -> None:
    assert len({load(lib, i).sha256 for i in ALL_IDS}) == len(ALL_IDS)


@st.composite
def units(draw: st.DrawFn) -> Unit:
    """Units with every fact near its threshold, records sometimes incomplete."""

    def part_of(total_key: str, part_key: str, top: int = 6) -> dict[str, int]:
        total = draw(st.integers(0, top))
        return {total_key: total, part_key: draw(st.integers(0, total + 1))}

    phase, months = draw(st.sampled_from([(PHASE_1, MONTHS_1), (PHASE_2, MONTHS_2)]))
    n_teams = draw(st.integers(1, 2))
    records = [
        {
            "team": TEAMS[t],
            "month": m,
            "good_deeds": draw(st.integers(0, 2)),
            "members_commended": draw(st.integers(0, 1)),
        }
        for t in range(n_teams)
        for m in months
    ]
    if draw(st.booleans()):
        del records[draw(st.integers(0, len(records) - 1))]
    members = draw(st.integers(1, 5))
    unit: Unit = {
        "phase_start": phase[0],
        "phase_end": phase[1],
        **part_of("tips_total", "tips_through_force", 10),
        **part_of("security_incidents", "security_incidents_attended"),
        **part_of("fire_rescue_callouts", "fire_rescue_callouts_attended"),
        "movement_models": [
            {
                "name": f"Mô hình {i}",
                "proposed_by_force": draw(st.booleans()),
                "effective": draw(st.booleans()),
                "recognised_by": draw(st.sampled_from(["province", "district", "commune"])),
            }
            for i in range(draw(st.integers(0, 2)))
        ],
        "violating_conditional_businesses": draw(st.integers(0, 1)),
        "population_info_share": draw(st.sampled_from([89.9, 90, 90.1, 95])),
        "illegal_weapons_cases": draw(st.integers(0, 1)),
        "reoffenders": draw(st.integers(0, 1)),
        "force_members": members,
        "force_members_patrolling": draw(st.integers(0, members)),
        "serious_traffic_accidents": draw(st.integers(0, 1)),
        "security_teams": draw(st.integers(n_teams, n_teams + 1)),
        "team_months": records,
    }
    return unit


@given(unit=units(), extras=st.data())
@settings(max_examples=150, deadline=None)
def test_kept_criteria_decide_alike_for_any_unit(
    lib: er.Library, unit: Unit, extras: st.DataObject
) -> None:
    base = load(lib, BASE).evaluate(unit)
    base_status = {c.id: c.status for c in base.criteria}
    for variant in VARIANTS:
        local_unit = unit | copy.deepcopy(EXTRAS[variant])
        if variant == HAI_PHONG:
            local_unit["illegal_weapons_transport_cases"] = extras.draw(st.integers(0, 1))
            local_unit["post_rehab_reoffenders"] = extras.draw(st.integers(0, 1))
        local = load(lib, variant).evaluate(local_unit)
        local_status = {c.id: c.status for c in local.criteria}
        kept = kept_criteria(lib, variant)
        for criterion in kept:
            assert local_status[criterion] is base_status[criterion], (variant, criterion)
        if any(base_status[c] is NOT_MET for c in kept):
            assert local.status is er.Status.NOT_ELIGIBLE, variant
        # Hải Phòng's two replacements add to the baseline conditions: it rejects all the
        # base rejects.
        if variant == HAI_PHONG and base.status is er.Status.NOT_ELIGIBLE:
            assert local.status is er.Status.NOT_ELIGIBLE


def test_binh_luong_reads_tai_pham_toi_more_narrowly(lib: er.Library) -> None:
    """The one documented way Bình Lương accepts what the baseline rejects: 4.5 is replaced
    by "tái phạm tội" (a new crime), so an administrative re-violation does not fail it."""
    unit = facts(reoffenders=1)
    assert statuses(load(lib, BASE), unit_for(BASE, unit))["4.5"] is NOT_MET
    assert statuses(load(lib, BINH_LUONG), unit_for(BINH_LUONG, unit))["4.5"] is MET


# -- explanations and texts --------------------------------------------------------------------
def test_explanations_name_the_content_and_the_reading(lib: er.Library) -> None:
    rs = load(lib, BASE)
    verdict = rs.evaluate(unit_for(BASE, facts(population_info_share=90)), explain=True)
    c = verdict.criterion("4.4b")
    assert c.status is NOT_MET
    assert "Nội dung 4.4" in c.reason.vi and "cần trên 90%" in c.reason.vi
    assert "over 90% needed" in c.reason.en
    tips = rs.evaluate(unit_for(BASE, facts(tips_through_force=79)), explain=True)
    needed = tips.criterion("4.1a").explanation.needed
    assert any(n.fact == "tips_through_force" and n.op == ">=" and n.value == 80 for n in needed)


@pytest.mark.parametrize("ruleset_id", ALL_IDS)
def test_texts_are_bilingual_and_cited(lib: er.Library, ruleset_id: str) -> None:
    d = load(lib, ruleset_id).definition
    base_ids = set() if ruleset_id == BASE else kept_criteria(lib, ruleset_id)
    own_document = d.source.document
    for c in d.criteria:
        spec = c.spec
        for text in (
            spec.title.vi,
            spec.title.en,
            spec.text.vi,
            spec.text.en,
            spec.note.vi if spec.note else None,
            spec.note.en if spec.note else None,
        ):
            assert text and text.strip(), (ruleset_id, c.id)
        assert any(ord(ch) > 127 for ch in spec.text.vi), c.id  # Vietnamese, with diacritics
        assert spec.source is not None, c.id
        if c.id not in base_ids:
            assert c.citation.document == own_document, (ruleset_id, c.id)
    base_params = set() if ruleset_id == BASE else set(load(lib, BASE).definition.parameters)
    for name, param in d.parameters.items():
        assert param.source.document, name
        if name not in base_params:
            assert param.source.document == own_document, (ruleset_id, name)


# -- the examples --------------------------------------------------------------------------------
def _example(name: str) -> Unit:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_example_phase_meets_every_target(lib: er.Library) -> None:
    verdict = load(lib, BASE).evaluate(_example("security-team-phase.json"))
    assert verdict.status is er.Status.ELIGIBLE


def test_example_at_risk_fails_tips_and_a_month(lib: er.Library) -> None:
    verdict = load(lib, BASE).evaluate(_example("security-team-phase-at-risk.json"), explain=True)
    assert verdict.status is er.Status.NOT_ELIGIBLE
    assert {c.id for c in verdict.criteria if c.status is not MET} == {"4.1a", "4.7"}


def test_cli_evaluates_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "evaluate",
            BASE,
            str(EXAMPLES / "security-team-phase-at-risk.json"),
            "--on",
            ON.isoformat(),
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["ruleset"]["id"] == BASE and data["status"] == "not_eligible"
    assert [c["id"] for c in data["criteria"] if c["status"] != "met"] == ["4.1a", "4.7"]
