"""The testing kit: evidence strategies derived from the fact declarations and the laws,
run on every shipped rule set (the satisfying strategy seeded, for the records it cannot
build, by each rule set's reference unit from rulesets/cases/)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules.testing import boundary_values, evidence, laws
from emulation_rules.testing.properties import _seed_for, seeds_from_cases

KIT = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIBRARY = er.Library()
IDS = LIBRARY.catalogue.ids()
CASES = Path(__file__).resolve().parents[1] / "rulesets" / "cases"
REFERENCES = seeds_from_cases([CASES])


def _on(ruleset_id: str) -> date:
    effective = LIBRARY.catalogue.definition(ruleset_id).effective
    day = date(2024, 12, 31)
    if effective.covers(day):
        return day
    return effective.until or effective.from_


RULESETS = {rid: LIBRARY.load(rid, on=_on(rid)) for rid in IDS}


def test_every_shipped_rule_set_is_covered() -> None:
    assert "typical-commune" in RULESETS and len(RULESETS) == len(IDS)


@KIT
@given(data=st.data(), rid=st.sampled_from(IDS), complete=st.booleans())
def test_generated_evidence_is_valid_and_obeys_the_laws(
    data: st.DataObject, rid: str, complete: bool
) -> None:
    rs = RULESETS[rid]
    ev = data.draw(evidence(rs, complete=complete))
    assert set(ev) <= set(rs.facts)
    if complete:
        assert set(ev) == set(rs.facts)
    try:
        rs.evaluate(ev)
    except er.EvaluationError:
        return  # a division by zero or min/max of no records: not an evidence problem
    laws.assert_deterministic(rs, ev)
    laws.assert_json_round_trip(rs, ev)
    laws.assert_missing_never_met(rs, ev)
    laws.assert_monotonic(rs, ev)


@KIT
@given(data=st.data(), rid=st.sampled_from(IDS))
def test_satisfying_evidence_meets_every_criterion(data: st.DataObject, rid: str) -> None:
    rs = RULESETS[rid]
    ev = data.draw(evidence(rs, satisfying=True, seed=_seed_for(rs, REFERENCES.get(rid))))
    laws.assert_satisfying(rs, ev)
    laws.assert_monotonic(rs, ev)
    laws.assert_missing_never_met(rs, ev)


@settings(KIT, max_examples=15)
@given(ev=evidence(RULESETS["typical-commune"], satisfying=True))
def test_satisfying_typical_commune(ev: dict[str, Any]) -> None:
    rs = RULESETS["typical-commune"]
    assert len(rs.criteria) == 34
    laws.assert_satisfying(rs, ev)


@settings(KIT, max_examples=15)
@given(ev=evidence(RULESETS["typical-commune"], violating="18"))
def test_violating_criterion_18_of_typical_commune(ev: dict[str, Any]) -> None:
    laws.assert_violating_only(RULESETS["typical-commune"], ev, "18")


@KIT
@given(data=st.data(), rid=st.sampled_from(IDS))
def test_violating_any_criterion_of_any_shipped_rule_set(data: st.DataObject, rid: str) -> None:
    rs = RULESETS[rid]
    crit = data.draw(st.sampled_from([c.id for c in rs.criteria]))
    ev = data.draw(evidence(rs, violating=crit, seed=_seed_for(rs, REFERENCES.get(rid))))
    laws.assert_violating_only(rs, ev, crit)


def test_every_shipped_rule_set_has_a_reference_unit() -> None:
    assert set(REFERENCES) == set(IDS)


VARIANTS = [i for i in IDS if RULESETS[i].definition.extends]


@KIT
@given(data=st.data(), rid=st.sampled_from(VARIANTS))
def test_every_shipped_variant_refines_its_base(data: st.DataObject, rid: str) -> None:
    rs = RULESETS[rid]
    base = RULESETS[rs.definition.extends or ""]
    laws.assert_refines(base, rs, data.draw(evidence(rs, complete=True)))
    kept = sorted(laws.kept_criteria(base, rs))
    crit = data.draw(st.sampled_from(kept))
    near = data.draw(evidence(base, violating=crit, seed=_seed_for(base, REFERENCES[base.id])))
    extra = data.draw(evidence(rs, complete=True))
    laws.assert_refines(base, rs, {**extra, **near})


def test_kept_criteria_of_the_variants() -> None:
    base = RULESETS["special-campaign-targets"]
    replaced = {c.id for c in base.criteria} - laws.kept_criteria(
        base, RULESETS["special-campaign-targets-hai-phong"]
    )
    assert replaced == {"4.4c", "4.5"}


def test_violating_an_unknown_criterion_is_an_error() -> None:
    with pytest.raises(KeyError):
        evidence(RULESETS["typical-commune"], violating="99")


def test_boundary_values_surround_every_compared_parameter() -> None:
    rs = RULESETS["typical-commune"]
    bounds = boundary_values(rs)
    assert bounds["citizen_reception_months_min"] == (11, 12, 13)
    assert "movement_class_min" in bounds  # a prerequisite's parameter
    for name, values in bounds.items():
        assert rs.parameters.get(name, values[len(values) // 2]) in values
