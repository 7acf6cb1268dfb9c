"""The alerting rules are generated from the rule set, the mapping and the campaign plan,
and the Python matcher reads exactly the durable-rules conditions generated."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from emulation_rules.campaigns import CampaignCatalogue
from emulation_rules.errors import MonitorError
from emulation_rules.monitor import AlertKind, compile_plan, generate_rules, mapping_for
from emulation_rules.monitor.engine import make_engine
from emulation_rules.monitor.rules import PythonMatcher, durable_definition, matches
from emulation_rules.monitor.schedule import Schedule
from monitor_support import ROOT, campaign, ruleset


@pytest.mark.parametrize(
    ("cid", "rid", "on", "deadlines"),
    [
        (
            "special-campaign-binh-luong",
            "special-campaign-targets-binh-luong",
            date(2024, 8, 19),
            2,
        ),
        ("special-campaign-national", "special-campaign-targets", date(2024, 8, 19), 2),
        ("special-campaign-hai-phong", "special-campaign-targets-hai-phong", date(2024, 11, 1), 2),
    ],
)
def test_one_rule_per_criterion_and_transition_month_and_deadline(
    cid: str, rid: str, on: date, deadlines: int
) -> None:
    rs = ruleset(rid, on)
    schedule = Schedule.of(campaign(cid), issued_on=None, near_days=7)
    rules = generate_rules(rs, compile_plan(mapping_for(rs), rs), schedule)
    by_kind: dict[AlertKind, list[str | None]] = {}
    for r in rules:
        by_kind.setdefault(r.kind, []).append(r.criterion or r.deadline)
    ids = [c.id for c in rs.criteria]
    # the monthly target's risk is told team by team (month_ending), not as a status
    assert by_kind[AlertKind.AT_RISK] == [c for c in ids if c != "4.7"]
    assert by_kind[AlertKind.MISSED] == ids
    assert by_kind[AlertKind.MONTH_CLOSED] == by_kind[AlertKind.MONTH_ENDING] == ["4.7"]
    assert len(by_kind[AlertKind.DEADLINE_NEAR]) == deadlines
    assert len({r.name for r in rules}) == len(rules)
    definition = durable_definition(rules)
    assert set(definition) == {r.name for r in rules}
    assert all(list(body) == ["all"] and len(body["all"]) == 1 for body in definition.values())


def test_deadline_windows_come_from_the_plan() -> None:
    schedule = Schedule.of(campaign(), issued_on=None, near_days=7)
    phase_1 = schedule.phases[0]
    assert [d.id for d in phase_1.deadlines] == ["phase-1"]
    assert phase_1.deadlines[0].warn_from == date(2025, 1, 27)
    assert phase_1.months[0] == date(2024, 8, 1) and phase_1.months[-1] == date(2025, 2, 1)
    assert phase_1.month_closes(date(2025, 2, 1)) == date(2025, 2, 3)  # the phase's last day
    kon_plong = CampaignCatalogue().get("special-campaign-kon-plong")
    early = Schedule.of(kon_plong, issued_on=date(2024, 10, 7), near_days=3).phases[0]
    assert [(d.id, d.last_day) for d in early.deadlines] == [
        ("phase-1-report", date(2025, 2, 2)),
        ("phase-1", date(2025, 2, 3)),
    ]


def test_the_matcher_reads_the_generated_subset_only() -> None:
    assert matches({"$and": [{"t": "clock"}, {"$gte": {"day": 3}}]}, {"t": "clock", "day": 3})
    assert not matches({"$and": [{"t": "clock"}, {"$gte": {"day": 3}}]}, {"t": "clock"})
    assert matches({"$or": [{"a": 1}, {"$neq": {"b": 2}}]}, {"b": 3})
    with pytest.raises(ValueError, match="not part of the generated subset"):
        matches({"$regex": {"a": "x"}}, {"a": "x"})
    with pytest.raises(ValueError, match="one key"):
        matches({"a": 1, "b": 2}, {"a": 1, "b": 2})
    rs = ruleset()
    schedule = Schedule.of(campaign(), issued_on=None, near_days=7)
    rules = generate_rules(rs, compile_plan(mapping_for(rs), rs), schedule)
    matcher = PythonMatcher(rules)
    status = {"t": "status", "criterion": "4.2b", "was": "met", "now": "at_risk"}
    [[name]] = matcher.match([status])
    assert next(r for r in rules if r.name == name).kind is AlertKind.AT_RISK
    assert matcher.match([dict(status, was="at_risk")]) == [[]]


def test_asking_for_durable_rules_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import emulation_rules.monitor.engine as engine_module

    monkeypatch.setattr(engine_module, "durable_available", lambda: False)
    with pytest.raises(MonitorError, match=r'pip install "emulation-rules\[streaming\]"'):
        make_engine((), "durable")
    assert make_engine((), "auto").name == "python"


def test_importing_the_library_never_imports_durable_rules() -> None:
    script = (
        "import sys, emulation_rules, emulation_rules.monitor, emulation_rules.cli.main\n"
        "assert 'durable' not in sys.modules, sorted(m for m in sys.modules if 'durable' in m)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
