"""Inputs a host has (issue 16, points 2 and 7): evidence as any mapping, a sqlite3 row,
an attrs or dataclass instance; integral numbers for integer facts; and what an evidence
name the rule set does not read is (``unknown_facts``)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pytest

import emulation_rules as er
from support import ON, RULESETS

BASE = {"crimes": 30, "crimes_previous_year": 40, "tips_share": 90}


@pytest.fixture(scope="module")
def commune(library: er.Library) -> er.RuleSet:
    return library.load("demo-commune", on=ON)


def test_read_only_mappings_sqlite_rows_and_dataclasses_are_evidence(
    commune: er.RuleSet,
) -> None:
    expected = commune.evaluate(dict(BASE))
    assert commune.evaluate(MappingProxyType(dict(BASE))) == expected

    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    db.execute("create table units (crimes int, crimes_previous_year int, tips_share int)")
    db.execute("insert into units values (30, 40, 90)")
    row = db.execute("select * from units").fetchone()
    assert not isinstance(row, dict)
    assert commune.evaluate(row) == expected

    @dataclasses.dataclass
    class Unit:
        crimes: int | None = 30
        crimes_previous_year: int | None = 40
        tips_share: int | None = 90

    @attrs.define
    class AttrsUnit:
        crimes: int | None = 30
        crimes_previous_year: int | None = 40
        tips_share: int | None = 90

    assert commune.evaluate(Unit()) == expected
    assert commune.evaluate(AttrsUnit()) == expected
    assert commune.evaluate(Unit(crimes=None)).criterion("18").status is er.CriterionStatus.UNKNOWN


@pytest.mark.parametrize("bad", [[1, 2], "text", 5, object()])
def test_anything_else_is_an_evidence_error_saying_what_is_accepted(
    commune: er.RuleSet, bad: Any
) -> None:
    with pytest.raises(er.EvidenceError, match=r"sqlite3\.Row"):
        commune.evaluate(bad)


@pytest.mark.parametrize("number", [30.0, Decimal("30"), Decimal("30.000"), Decimal("3E+1")])
def test_an_integral_number_is_the_same_integer(commune: er.RuleSet, number: Any) -> None:
    assert commune.evaluate(BASE | {"crimes": number}) == commune.evaluate(BASE)
    assert commune.evaluate(BASE | {"crimes": number}, explain=True) == commune.evaluate(
        BASE, explain=True
    )


@pytest.mark.parametrize("number", [30.5, Decimal("30.01"), float("inf"), float("nan"), True])
def test_a_fractional_or_non_finite_number_is_refused_for_an_integer(
    commune: er.RuleSet, number: Any
) -> None:
    with pytest.raises(er.EvidenceError) as caught:
        commune.evaluate(BASE | {"crimes": number})
    assert [p.path for p in caught.value.problems] == [("crimes",)]
    assert "whole number" in caught.value.problems[0].message


def test_json_text_with_an_integral_decimal_is_read_as_the_integer(commune: er.RuleSet) -> None:
    evidence = er.jsontext.loads('{"crimes": 30.0, "crimes_previous_year": 40, "tips_share": 90}')
    assert commune.evaluate(evidence) == commune.evaluate(BASE)


# -- unknown facts -----------------------------------------------------------------------------


def test_unknown_facts_are_an_error_by_default(commune: er.RuleSet) -> None:
    with pytest.raises(er.EvidenceError, match="unknown fact"):
        commune.evaluate(BASE | {"villages_with_security_cameras": 3})


def test_unknown_facts_ignored_or_reported_per_call(commune: er.RuleSet) -> None:
    extra = BASE | {"villages_with_security_cameras": 3, "ghi_chú": "x"}
    ignored = commune.evaluate(extra, unknown_facts="ignore")
    assert ignored == commune.evaluate(BASE) and ignored.ignored_facts == ()
    reported = commune.evaluate(extra, explain=True, unknown_facts="report")
    assert reported.ignored_facts == ("ghi_chú", "villages_with_security_cameras")
    assert reported.status is commune.evaluate(BASE).status
    assert commune.read_verdict(er.to_json(reported, form="compact")) == reported
    assert er.from_json(er.to_json(reported), er.Verdict) == reported


def test_unknown_facts_still_check_the_known_values(commune: er.RuleSet) -> None:
    with pytest.raises(er.EvidenceError) as caught:
        commune.evaluate(BASE | {"crimes": -1, "extra": 1}, unknown_facts="ignore")
    assert [p.path for p in caught.value.problems] == [("crimes",)]


def test_a_library_sets_the_policy_of_its_rule_sets() -> None:
    lib = er.Library([RULESETS], shipped=False, unknown_facts="report")
    rs = lib.load("demo-commune", on=ON)
    assert rs.unknown_facts == "report"
    assert rs.evaluate(BASE | {"extra": 1}).ignored_facts == ("extra",)
    with pytest.raises(er.EvidenceError):
        rs.evaluate(BASE | {"extra": 1}, unknown_facts="error")
    import pickle

    assert pickle.loads(pickle.dumps(rs)).unknown_facts == "report"


@pytest.mark.parametrize("policy", ["skip", "", 1])
def test_a_bad_policy_is_refused(commune: er.RuleSet, policy: Any) -> None:
    for evidence in (BASE | {"extra": 1}, BASE):
        with pytest.raises(ValueError, match="unknown_facts: must be one of"):
            commune.evaluate(evidence, unknown_facts=policy)
    with pytest.raises(ValueError, match="unknown_facts: must be one of"):
        er.Library(unknown_facts=policy)


def test_the_cli_takes_the_policy(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from emulation_rules.cli.main import main

    unit = tmp_path / "u.json"
    unit.write_text(json.dumps(BASE | {"extra": 1}), encoding="utf-8")
    args = [
        "--folder",
        str(RULESETS),
        "evaluate",
        "demo-commune",
        str(unit),
        "--on",
        ON.isoformat(),
    ]
    with pytest.raises(SystemExit) as caught:
        main([*args, "--format", "json"])
    assert caught.value.code == 2
    capsys.readouterr()
    assert main([*args, "--format", "json", "--unknown-facts", "report"]) == 0
    assert json.loads(capsys.readouterr().out)["ignored_facts"] == ["extra"]
