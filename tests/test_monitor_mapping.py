"""The declarative mapping from events to facts: the shipped file serves every targets
rule set, and bad files or unmapped facts are refused with the place named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.errors import MonitorError, NotFoundError, RuleSetError
from emulation_rules.monitor import compile_plan, mapping_for, parse_mapping
from emulation_rules.monitor.mapping import load_mapping
from monitor_support import library, ruleset

TARGETS = [
    ("special-campaign-targets", date(2024, 8, 19)),
    ("special-campaign-targets-binh-luong", date(2024, 8, 19)),
    ("special-campaign-targets-dong-nai", date(2024, 10, 15)),
    ("special-campaign-targets-hai-phong", date(2024, 11, 1)),
]

HEAD = """\
id: test-mapping
title: {vi: Thử, en: Test}
rulesets: [special-campaign-targets]
phase_start: phase_start
phase_end: phase_end
deadline_near_days: 3
facts:
"""


@pytest.mark.parametrize(("rid", "on"), TARGETS)
def test_shipped_mapping_serves_every_targets_ruleset(rid: str, on: date) -> None:
    rs = ruleset(rid, on)
    mapping = mapping_for(rs)
    assert mapping.id == "special-campaign-targets"
    plan = compile_plan(mapping, rs)
    # every fact but the phase dates is computed from events
    assert set(plan.aggregators) == set(rs.facts) - {"phase_start", "phase_end"}
    assert [m.name for m in plan.monthly] == ["team_months"]
    assert plan.monthly[0].criteria == ("4.7",)


def test_the_catalogue_does_not_read_mappings_as_rule_sets() -> None:
    ids = {d.id for d in er.Library().definitions()}
    assert "special-campaign-targets" in ids
    assert not any("monitor" in d.file for d in er.Library().definitions())


def test_a_host_folder_comes_first(tmp_path: Path) -> None:
    text = (
        HEAD.replace("test-mapping", "host-mapping")
        + "  tips_total: {aggregate: count, kind: tip}\n"
    )
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    assert mapping_for(ruleset("special-campaign-targets"), [tmp_path]).id == "host-mapping"
    other = library().load("typical-commune", on=date(2024, 12, 31))
    with pytest.raises(NotFoundError, match="no monitor mapping serves rule set typical-commune"):
        mapping_for(other, [tmp_path])


def test_an_unmapped_fact_is_refused() -> None:
    mapping = parse_mapping(HEAD + "  tips_total: {aggregate: count, kind: tip}\n", "m.yaml")
    with pytest.raises(MonitorError) as info:
        compile_plan(mapping, ruleset("special-campaign-targets"))
    assert info.value.path[0] == "facts"
    assert "no event feeds the fact(s)" in str(info.value) and "tips_through_force" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("fact", "needle", "line"),
    [
        ("  tips_total: {aggregate: count, kind: rumour}\n", "unknown event kind 'rumour'", 8),
        (
            "  tips_total: {aggregate: count, kind: tip, where: {field: colour}}\n",
            "no field 'colour'",
            8,
        ),
        (
            "  tips_total: {aggregate: count, kind: training, where: {field: topic}}\n",
            "not true/false",
            8,
        ),
        ("  tips_total: {aggregate: distinct, kind: tip}\n", "name the field", 8),
        ("  tips_total: {aggregate: sometimes, kind: tip}\n", "sometimes", 8),
        (
            "  team_months:\n    aggregate: monthly\n    keys: {kind: roster, field: team}\n"
            "    key_field: team\n    month_field: month\n"
            "    fields: {good_deeds: {count: good_deed}}\n"
            "    closing_alert: {vi: '{teem} thiếu', en: '{team} short'}\n",
            "unknown placeholder(s) teem",
            14,
        ),
        (
            "  team_months:\n    aggregate: monthly\n    keys: {kind: roster, field: team}\n"
            "    key_field: team\n    month_field: month\n"
            "    fields: {good_deeds: {count: good_deed}}\n"
            "    ending_alert: {vi: '{team} còn {days}', en: '{team}: {days_left} left'}\n",
            "unknown placeholder(s) days_left",
            14,
        ),
        (
            "  tips_total: {aggregate: count, kind: tip, ending_alert: {vi: a, en: b}}\n",
            "only a monthly fact has months",
            8,
        ),
        (
            "  x: {aggregate: count, kind: typical_example,"
            " where: {field: recognised_by, at_least: district}}\n",
            "at_least needs enum",
            8,
        ),
    ],
)
def test_bad_mapping_files_name_the_line(fact: str, needle: str, line: int) -> None:
    with pytest.raises(RuleSetError) as info:
        parse_mapping(HEAD + fact, "bad.yaml")
    assert needle in str(info.value)
    assert info.value.file == "bad.yaml" and info.value.line == line


def test_a_fact_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    shipped = (
        Path(__file__).resolve().parents[1]
        / "rulesets"
        / "monitor"
        / "special-campaign-targets.yaml"
    )
    text = shipped.read_text("utf-8").replace(
        "tips_total: {aggregate: count, kind: tip}",
        "tips_total: {aggregate: all, kind: tip, where: {field: through_force}}",
    )
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MonitorError) as info:
        compile_plan(load_mapping(path), ruleset("special-campaign-targets"))
    assert info.value.path == ("facts", "tips_total")
    assert "all gives true or false, the fact is integer" in str(info.value)


def test_an_unknown_enumeration_level_is_refused(tmp_path: Path) -> None:
    shipped = (
        Path(__file__).resolve().parents[1]
        / "rulesets"
        / "monitor"
        / "special-campaign-targets.yaml"
    )
    text = shipped.read_text("utf-8").replace("at_least: district", "at_least: county")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MonitorError, match="police_level has no level 'county'"):
        compile_plan(load_mapping(path), ruleset("special-campaign-targets-binh-luong"))
