"""Tests that kill the behaviour-changing mutants that once went uncaught (issue 13, point 10).

Each test names its mutant. ``MUTANTS`` lists them as exact source replacements; with
``EMULATION_RULES_MUTANTS=1`` :func:`test_every_mutant_is_killed` copies the sources to a
temporary folder, applies each mutant there (never to the checkout) and checks that the
tests written for it fail, and pass on the unmutated copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

import attrs
import pytest

import emulation_rules as er
from emulation_rules.campaigns import CampaignCatalogue
from emulation_rules.evaluation.policy import Decider
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor import AlertKind, Monitor
from emulation_rules.monitor.schedule import Schedule
from monitor_support import T1, T2, ev, ruleset
from support import ROOT, load_text, minimal

MET, NOT_MET, UNKNOWN = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN
ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED = (
    er.Status.ELIGIBLE,
    er.Status.NOT_ELIGIBLE,
    er.Status.UNDETERMINED,
)

# (name, file under src/emulation_rules, original text, mutated text, tests that kill it)
MUTANTS: list[tuple[str, str, str, str, str]] = [
    (
        "at_least <=",
        "evaluation/policy.py",
        "elif met + unknown < need:",
        "elif met + unknown <= need:",
        "at_least",
    ),
    (
        "undetermined prerequisite as false",
        "evaluation/ruleset.py",
        "return False if status is Status.NOT_ELIGIBLE else UNKNOWN",
        "return False",
        "prerequisite",
    ),
    (
        "aggregate element only when its filter is true",
        "expr/codegen.py",
        "({elem} if {c_tmp} is not False else None)",
        "({elem} if {c_tmp} is True else None)",
        "filter_an_undetermined",
    ),
    (
        "fast count(bool if cond) with or",
        "expr/codegen.py",
        'filt = f" if {cond} and {elem}" if cond else f" if {elem}"',
        'filt = f" if {cond} or {elem}" if cond else f" if {elem}"',
        "count_of_booleans",
    ),
    (
        "month-ending window without the phase start",
        "monitor/schedule.py",
        "timedelta(self.near_days), month, self.start)",
        "timedelta(self.near_days), month)",
        "month_ending",
    ),
]


# -- a. policy.py: at_least with `met + unknown <= need` ---------------------------------------


def test_at_least_a_unit_that_can_still_reach_n_is_undetermined(at_least: er.RuleSet) -> None:
    # A met, B not met, C unknown: with C met it has the 2 needed
    evidence = {"drills": 2, "trained_share": 10}
    for explain in (False, True):
        verdict = at_least.evaluate(evidence, explain=explain)
        assert [c.status for c in verdict.criteria] == [MET, NOT_MET, UNKNOWN]
        assert verdict.status is UNDETERMINED
        assert (
            verdict.reason.en == "Undetermined: 1 of 3 criteria met, at least 2 needed, 1 unknown."
        )
    # all three needed: reachable while none is known not met
    three = Decider(_needing(at_least, 3))
    assert three.decide([UNKNOWN] * 3).status is UNDETERMINED
    assert three.decide([MET, MET, UNKNOWN]).status is UNDETERMINED
    assert three.decide([MET, NOT_MET, UNKNOWN]).status is NOT_ELIGIBLE


def _needing(rs: er.RuleSet, need: int) -> RuleSetDefinition:
    definition = rs.definition
    return attrs.evolve(definition, policy=attrs.evolve(definition.policy, at_least=need))


@pytest.mark.parametrize("need", [1, 2, 3])
def test_at_least_decides_as_every_completion_of_the_unknowns_would(
    at_least: er.RuleSet, need: int
) -> None:
    """Eligible when every way of settling the unknown criteria is eligible, not eligible
    when none is, undetermined otherwise (the meaning of a three-valued decision); every
    combination of three statuses."""
    decider = Decider(_needing(at_least, need))
    for statuses in product([MET, NOT_MET, UNKNOWN], repeat=3):
        open_ = [i for i, s in enumerate(statuses) if s is UNKNOWN]
        outcomes = set()
        for choice in product([MET, NOT_MET], repeat=len(open_)):
            settled = list(statuses)
            for i, s in zip(open_, choice, strict=True):
                settled[i] = s
            outcomes.add(decider.decide(settled).status)
        expected = outcomes.pop() if len(outcomes) == 1 else UNDETERMINED
        assert decider.decide(statuses).status is expected, statuses


# -- b. ruleset.py `_truth`: an undetermined prerequisite read as false -----------------------

PREREQUISITE_READ = minimal(
    "pre_ok or flag",
    id="t-reads-prerequisite",
    head="requires:\n  - {ruleset: demo-prerequisites, as: pre_ok, label: {vi: Đạt, en: Met}}",
    criteria="""\
  - id: C2
    number: 2
    group: g
    title: {vi: Hai, en: Two}
    text: {vi: Tiêu chí hai.}
    condition: if pre_ok then count_a >= 5 else not flag
""",
)


@pytest.fixture(scope="module")
def reads_prerequisite(tmp_path_factory: pytest.TempPathFactory) -> er.RuleSet:
    return load_text(tmp_path_factory.mktemp("pre"), PREREQUISITE_READ)


def test_prerequisite_an_undetermined_one_is_unknown_to_the_criteria_that_read_it(
    reads_prerequisite: er.RuleSet,
) -> None:
    rs = reads_prerequisite
    # movement_class missing: the prerequisite is undetermined
    evidence = {"safe_standard_achieved": True, "flag": False, "count_a": 1}
    for explain in (False, True):
        verdict = rs.evaluate(evidence, explain=explain)
        assert verdict.prerequisites[0].status is UNDETERMINED
        assert verdict.criterion("C1").status is UNKNOWN  # `unknown or false`
        assert verdict.criterion("C2").status is UNKNOWN  # the branches disagree
        assert verdict.status is UNDETERMINED
    assert rs.branches_taken(evidence)["C2"] == ((0, None),)
    # the prerequisite settled either way: the criteria follow it
    met = rs.evaluate({**evidence, "movement_class": "good"})
    assert [c.status for c in met.criteria] == [MET, NOT_MET]
    not_met = rs.evaluate({**evidence, "movement_class": "average"})
    assert not_met.prerequisites[0].status is NOT_ELIGIBLE
    assert [c.status for c in not_met.criteria] == [NOT_MET, MET]
    assert rs.branches_taken({**evidence, "movement_class": "average"})["C2"] == ((0, False),)


# -- c. codegen.py: an aggregate's element computed only when its filter is true ---------------

LIST_FACT = """\
  teams:
    type: list
    label: {vi: Các tổ, en: Teams}
    fields:
      deeds: {type: integer, label: {vi: Việc tốt, en: Good deeds}}
      active: {type: bool, label: {vi: Hoạt động, en: Active}}
"""


def _list_rule_set(folder: Path, condition: str) -> er.RuleSet:
    return load_text(folder, minimal(condition, id="t-aggregate", facts=LIST_FACT))


ACTIVE, IDLE = {"deeds": 2, "active": True}, {"deeds": 0, "active": False}


@pytest.mark.parametrize(
    ("condition", "last", "status"),
    [
        # the last record's `active` is missing: it may be filtered in or out, but its
        # element settles the answer either way …
        ("all(t.deeds >= 1 for t in teams if t.active)", {"deeds": 5}, MET),
        ("any(t.deeds >= 5 for t in teams if t.active)", {"deeds": 0}, NOT_MET),
        ("sum(t.deeds for t in teams if t.active) == 2", {"deeds": 0}, MET),
        ("count(t.deeds >= 1 for t in teams if t.active) == 1", {"deeds": 0}, MET),
        # … or it decides, and the answer is unknown
        ("all(t.deeds >= 1 for t in teams if t.active)", {"deeds": 0}, UNKNOWN),
        ("any(t.deeds >= 5 for t in teams if t.active)", {"deeds": 5}, UNKNOWN),
        ("sum(t.deeds for t in teams if t.active) == 2", {"deeds": 1}, UNKNOWN),
    ],
)
def test_filter_an_undetermined_filter_with_a_settled_element_is_settled(
    tmp_path: Path, condition: str, last: dict[str, Any], status: CriterionStatus
) -> None:
    rs = _list_rule_set(tmp_path, condition)
    evidence = {"teams": [ACTIVE, IDLE, last]}
    for explain in (False, True):
        verdict = rs.evaluate(evidence, explain=explain)
        assert verdict.criterion("C1").status is status, explain
        if status is UNKNOWN:
            assert verdict.criterion("C1").missing == ("teams[2].active",)


# -- d. codegen.py: the fast path of count(bool if cond) --------------------------------------


@pytest.mark.parametrize(
    ("teams", "expected"),
    [
        ([{"deeds": 0, "active": True}], 0),  # filtered out, though its element is true
        ([{"deeds": 1, "active": False}], 0),  # filtered in, its element false
        ([{"deeds": 1, "active": True}, {"deeds": 3, "active": True}], 2),
        ([], 0),
    ],
)
def test_count_of_booleans_with_a_filter_fast_and_traced(
    tmp_path: Path, teams: list[dict[str, Any]], expected: int
) -> None:
    rs = _list_rule_set(tmp_path, f"count(t.active for t in teams if t.deeds >= 1) == {expected}")
    evidence = {"teams": teams, "count_a": 1, "flag": True, "rating": "good"}
    fast = rs.evaluate(evidence)
    traced = rs.evaluate(evidence, explain=True)
    assert fast.criterion("C1").status is MET
    assert traced.criterion("C1").status is MET


# -- e. schedule.py: the month-ending window of a phase starting in a month's last week --------


def _late_phase_2(folder: Path) -> CampaignCatalogue:
    """Bình Lương's plan with phase 2 starting on 2024-10-28, in October's last week."""
    text = (ROOT / "rulesets" / "campaigns" / "special-campaign-binh-luong.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace("    end: 2025-02-03\n", "    end: 2024-10-27\n", 1)
    text = text.replace("    start: 2025-02-04\n", "    start: 2024-10-28\n", 1)
    text = text.replace("due: 2025-02-15", "due: 2024-11-15").replace(
        "trước ngày 15/02/2025", "trước ngày 15/11/2024"
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "late.yaml").write_text(text, encoding="utf-8")
    return CampaignCatalogue([folder], shipped=False)


def test_month_ending_window_of_a_phase_starting_in_a_months_last_week(tmp_path: Path) -> None:
    kon_plong = CampaignCatalogue().get("special-campaign-kon-plong")
    phase = Schedule.of(kon_plong, issued_on=date(2024, 10, 28), near_days=7).phases[0]
    assert phase.start == date(2024, 10, 28)
    assert phase.month_warn_from(date(2024, 10, 1)) == date(2024, 10, 28)
    assert phase.month_warn_from(date(2024, 11, 1)) == date(2024, 11, 23)

    definition = _late_phase_2(tmp_path).get("special-campaign-binh-luong")
    m = Monitor(definition, ruleset(), engine="python")
    m.ingest_many(
        [
            ev("roster", "2024-10-01", T1, members=4),
            ev("roster", "2024-10-01", T2, members=4),
            ev("good_deed", "2024-10-02", T1),
            ev("good_deed", "2024-10-02", T2),
        ]
    )
    assert m.schedule.phases[1].start == date(2024, 10, 28)
    new = m.advance(date(2024, 10, 29))  # phase 2 began on the 28th: October is ending
    ending = [a for a in new if a.kind is AlertKind.MONTH_ENDING]
    assert [(a.team, a.month, a.on, a.phase) for a in ending] == [
        (T1, "2024-10", date(2024, 10, 28), "phase-2"),
        (T2, "2024-10", date(2024, 10, 28), "phase-2"),
    ]


# -- the mutants themselves (opt-in: each run copies the sources and runs pytest) -------------


@pytest.mark.skipif(
    os.environ.get("EMULATION_RULES_MUTANTS") != "1",
    reason="slow: set EMULATION_RULES_MUTANTS=1 to apply each mutant to a copy and run",
)
@pytest.mark.parametrize("mutant", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_every_mutant_is_killed(tmp_path: Path, mutant: tuple[str, str, str, str, str]) -> None:
    _name, file, original, mutated, selector = mutant
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("rulesets", "pyproject.toml"):  # the shipped rule sets, found from src/
        (tmp_path / name).symlink_to(ROOT / name)
    target = src / "emulation_rules" / file
    text = target.read_text(encoding="utf-8")
    assert text.count(original) == 1, f"{file} no longer holds {original!r}"

    def run() -> int:
        env = {**os.environ, "PYTHONPATH": str(src), "EMULATION_RULES_MUTANTS": "0"}
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
        command += [str(Path(__file__)), "-k", selector]
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True).returncode

    assert run() == 0  # the copy itself passes
    target.write_text(text.replace(original, mutated), encoding="utf-8")
    assert run() == 1  # the mutant is killed
