"""The shipped YAML cases (rulesets/cases/): every shipped rule set has cases, the cases
reach 100% rule coverage, the fast and explained paths agree on every case, and each local
variant refines its baseline on the baseline's own cases. (The pytest plugin runs each case
as a test item: see testpaths in pyproject.toml.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.testing import (
    CaseRunner,
    RuleCoverage,
    find_case_files,
    laws,
    library_for,
    load_case_file,
)

CASES = Path(__file__).resolve().parents[1] / "rulesets" / "cases"
FILES = find_case_files([CASES])
ALL = [case for f in FILES for case in load_case_file(f)]
LIBRARY = library_for(FILES)


@pytest.fixture(scope="module")
def results() -> tuple[list[er.testing.CaseResult], RuleCoverage]:
    coverage = RuleCoverage()
    return CaseRunner(LIBRARY, coverage).run_all(ALL), coverage


def test_every_shipped_rule_set_has_a_case_file() -> None:
    assert {f.stem for f in FILES} == set(er.Library().catalogue.ids())


def test_every_case_passes(results: tuple[list[er.testing.CaseResult], RuleCoverage]) -> None:
    failed = [f"{r.case.where}: {r.case.name}" for r in results[0] if not r.passed]
    assert failed == []
    assert len(results[0]) > 400


def test_rule_coverage_is_complete(
    results: tuple[list[er.testing.CaseResult], RuleCoverage],
) -> None:
    report = results[1].report()
    assert {r.ruleset for r in report} == set(er.Library().catalogue.ids())
    for r in report:
        assert r.gaps() == [] and r.percent == 100.0, (r.ruleset, r.gaps())


def test_fast_and_explained_paths_agree_on_every_case() -> None:
    for case in ALL:
        rs = LIBRARY.load(case.ruleset, on=case.on)
        brief, full = rs.evaluate(case.evidence), rs.evaluate(case.evidence, explain=True)
        assert [(c.id, c.status) for c in brief.criteria] == [
            (c.id, c.status) for c in full.criteria
        ], case.name
        assert brief.status is full.status, case.name


@pytest.mark.parametrize(
    "variant",
    [
        "special-campaign-targets-binh-luong",
        "special-campaign-targets-dong-nai",
        "special-campaign-targets-hai-phong",
    ],
)
def test_each_variant_refines_the_baseline_on_its_cases(variant: str) -> None:
    included = [
        c
        for c in ALL
        if c.ruleset == variant and c.name.endswith("[special-campaign-targets.yaml]")
    ]
    assert len(included) > 30
    for case in included:
        rs = LIBRARY.load(variant, on=case.on)
        laws.assert_refines(
            LIBRARY.load(rs.definition.extends or "", on=case.on), rs, case.evidence
        )


def test_refinement_catches_a_loosened_parameter(tmp_path: Path) -> None:
    text = (
        Path(__file__).resolve().parents[1]
        / "examples"
        / "local-rulesets"
        / "typical-commune-phu-loc.yaml"
    ).read_text(encoding="utf-8")
    (tmp_path / "loose.yaml").write_text(text.replace("value: 10%", "value: 1%"), encoding="utf-8")
    lib = er.Library([tmp_path])
    loose = lib.load("typical-commune-phu-loc", on=ALL[0].on)
    base = lib.load("typical-commune", on=ALL[0].on)
    reference = next(c for c in ALL if c.ruleset == "typical-commune").evidence
    unit = {**reference, "crimes_social_order_previous_year": 40, "crimes_social_order": 39}
    with pytest.raises(AssertionError, match="loosened"):
        laws.assert_refines(base, loose, {**unit, "night_patrols_least_month": 4})
