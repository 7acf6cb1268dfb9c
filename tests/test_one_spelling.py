"""One name, one spelling (issue 13, point 3).

A Vietnamese name typed decomposed (NFD) looks the same as the composed one (NFC) but
compared unequal: it became a second team, unit or candidate. Every shipped name is fed
here in both spellings (and mixed), and must give one entity: the same verdicts, the
same alerts, the same allocation, the same stored instance."""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.awards import AllocationCatalogue, allocate, read_candidates
from emulation_rules.awards.dossier import parse_dossier
from emulation_rules.awards.recognition import load_procedure, recognise
from emulation_rules.campaigns import Campaign, CampaignCatalogue, SqliteCampaignStore
from emulation_rules.cli.main import main
from emulation_rules.errors import EvidenceError, StoreError
from emulation_rules.evaluation.evidence import make_coercer
from emulation_rules.model.common import Text
from emulation_rules.model.converter import to_json
from emulation_rules.model.ruleset import FactSpec, FactType
from emulation_rules.monitor import Event, Monitor, parse_event
from emulation_rules.monitor.events import EventKind, Patrol, Roster
from emulation_rules.text import nfc
from monitor_support import EXAMPLE, PHASE_1_END, campaign, ruleset
from support import FUNCTIONS_UNIT, load_text, minimal

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHIPPED = ROOT / "rulesets"
LIB = er.Library()
ONE_DAY = timedelta(days=1)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def respell(
    data: Any, pick: Callable[[int], bool] = lambda i: True, _i: list[int] | None = None
) -> Any:
    """``data`` with the texts chosen by ``pick`` (by their order of appearance) in NFD;
    keys (fact and field names) are left alone."""
    counter = [0] if _i is None else _i
    if isinstance(data, str):
        counter[0] += 1
        return _nfd(data) if pick(counter[0]) else data
    if isinstance(data, dict):
        return {k: respell(v, pick, counter) for k, v in data.items()}
    if isinstance(data, list):
        return [respell(v, pick, counter) for v in data]
    return data


def two_in_three(i: int) -> bool:
    """Mixed spellings: the texts of records alternate (a record has two texts or four, so
    one team's records come in both spellings)."""
    return i % 3 != 0


def _read(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def test_the_examples_really_hold_decomposable_names() -> None:
    """The probes below change something: the shipped names have an NFD spelling."""
    for name in ("commune-all-met.json", "events-binh-luong-phase-1.jsonl"):
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text) and _nfd(text) != text


def test_nfc_composes_and_keeps_what_is_already_composed() -> None:
    name = "Tổ bảo vệ ANTT thôn Đông"
    assert nfc(_nfd(name)) == name
    assert nfc(name) is name
    ascii_id = "to-01"
    assert nfc(ascii_id) is ascii_id
    assert nfc(None) is None  # type: ignore[arg-type]  # not a text: left for the caller's check


# -- evidence ------------------------------------------------------------------------------------
EVIDENCE = [
    ("typical-commune", "commune-all-met.json", date(2024, 12, 31)),
    ("typical-commune", "commune-fails-18-19.json", date(2024, 12, 31)),
    ("typical-commune", "commune-missing-evidence.json", date(2024, 12, 31)),
    ("typical-organisation", "school.json", date(2024, 12, 31)),
    ("typical-organisation", "enterprise.json", date(2024, 12, 31)),
    ("special-campaign-targets", "security-team-phase.json", date(2025, 2, 3)),
    ("special-campaign-targets", "security-team-phase-at-risk.json", date(2025, 2, 3)),
]


@pytest.mark.parametrize(("ruleset_id", "name", "on"), EVIDENCE)
@pytest.mark.parametrize("pick", [lambda i: True, two_in_three], ids=["all-nfd", "mixed"])
def test_evidence_in_either_spelling_gives_the_same_verdict(
    ruleset_id: str, name: str, on: date, pick: Callable[[int], bool]
) -> None:
    """Unit ids, names in records (teams, models, organisations) and enumeration labels
    (``Xuất sắc``, ``Cơ sở giáo dục``) in NFD, or some NFD and some not: the same verdict,
    explanations included, and the unit named in NFC."""
    rs = LIB.load(ruleset_id, on=on)
    composed = _read(name)
    expected = rs.evaluate(composed, explain=True)
    verdict = rs.evaluate(respell(composed, pick), explain=True)
    assert to_json(verdict) == to_json(expected)
    assert rs.evaluate(respell(composed, pick)) == rs.evaluate(composed)
    assert verdict.unit is not None and unicodedata.is_normalized("NFC", verdict.unit)


def test_one_team_in_two_spellings_is_one_team() -> None:
    """4.7 counts each team's monthly records: a team whose records are half NFD had
    "too few months" and failed."""
    rs = LIB.load("special-campaign-targets", on=date(2025, 2, 3))
    unit = _read("security-team-phase.json")
    teams = unit["team_months"]
    mixed = {**unit, "team_months": [respell(r) if i % 2 else r for i, r in enumerate(teams)]}
    assert rs.evaluate(mixed).criterion("4.7").status is er.CriterionStatus.MET


def test_a_text_fact_compared_with_a_constant(functions: er.RuleSet) -> None:
    """demo-functions: ``village == home_village or village in ['Thôn 2']``."""
    for village in ("Thôn 1", "Thôn 2"):
        verdict = functions.evaluate({**FUNCTIONS_UNIT, "village": _nfd(village)})
        assert verdict.status is er.Status.ELIGIBLE, village


def test_every_level_of_every_shipped_enumeration_in_either_spelling() -> None:
    """Ids, Vietnamese and English labels and aliases, NFC and NFD (a guard: levels were
    already matched whatever their form; names are what this issue fixes)."""
    enums = LIB.catalogue.enumerations
    assert enums
    for eid, spec in enums.items():
        coerce = make_coercer(FactSpec(FactType.ENUM, Text(eid, eid), enum=eid), enums)
        n = len(spec.levels)
        spellings = [(lv.id, n - i) for i, lv in enumerate(spec.levels)]
        spellings += [(s, n - i) for i, lv in enumerate(spec.levels) for s in (lv.vi, lv.en)]
        ids = [lv.id for lv in spec.levels]
        spellings += [(alias, n - ids.index(target)) for alias, target in spec.aliases.items()]
        for spelling, rank in spellings:
            for form in ("NFC", "NFD"):
                assert coerce(unicodedata.normalize(form, spelling)) == rank, (eid, spelling)


# -- rule sets -----------------------------------------------------------------------------------
def test_a_rule_set_typed_in_nfd_is_the_same_rule_set(tmp_path: Path) -> None:
    """The shipped commune rule set, its prerequisites and enumerations saved in NFD: the
    same content hash and the same verdicts (labels, reasons) as the shipped files."""
    folder = tmp_path / "nfd"
    folder.mkdir()
    for name in ("typical-commune.yaml", "typical-prerequisites.yaml"):
        text = (SHIPPED / name).read_text(encoding="utf-8")
        (folder / name).write_text(_nfd(text), encoding="utf-8")
    shutil.copytree(SHIPPED / "enumerations", folder / "enumerations")
    for path in (folder / "enumerations").glob("*.yaml"):
        path.write_text(_nfd(path.read_text(encoding="utf-8")), encoding="utf-8")
    on = date(2024, 12, 31)
    decomposed = er.Library([folder], shipped=False).load("typical-commune", on=on)
    shipped = LIB.load("typical-commune", on=on)
    assert decomposed.sha256 == shipped.sha256
    for name in ("commune-all-met.json", "commune-fails-18-19.json"):
        unit = _read(name)
        assert decomposed.evaluate(unit, explain=True) == shipped.evaluate(unit, explain=True)


def test_a_text_constant_typed_in_nfd_matches_composed_evidence(tmp_path: Path) -> None:
    text = minimal(
        'village == "Thôn Đông"',
        facts="  village: {type: string, label: {vi: Thôn, en: Village}}",
    )
    rs = load_text(tmp_path, _nfd(text))
    verdict = rs.evaluate({"village": "Thôn Đông"})
    assert verdict.criterion("C1").status is er.CriterionStatus.MET


def test_two_spellings_of_one_yaml_key_are_a_duplicate(tmp_path: Path) -> None:
    text = minimal(
        "count_a <= limit",
        tail="extra:\n  Thôn Đông: 1\n  " + _nfd("Thôn Đông") + ": 2\n",
    )
    with pytest.raises(er.RuleSetError, match="duplicate key"):
        load_text(tmp_path, text)


# -- monitor events ------------------------------------------------------------------------------
def _example_lines() -> list[dict[str, Any]]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line, parse_float=Decimal) for line in lines]


def _run(events: list[Any]) -> Monitor:
    monitor = Monitor(campaign(), ruleset(), engine="python")
    monitor.ingest_many(events)
    monitor.advance(PHASE_1_END + ONE_DAY)
    return monitor


@pytest.fixture(scope="module")
def composed_run() -> Monitor:
    with _run(_example_lines()) as monitor:
        return monitor


@pytest.mark.parametrize("pick", [lambda i: True, two_in_three], ids=["all-nfd", "mixed"])
def test_monitor_events_in_either_spelling_are_one_team_and_one_unit(
    composed_run: Monitor, pick: Callable[[int], bool]
) -> None:
    """The example log with its units, teams, villages, members and model names in NFD
    (every line, or two lines in three): one unit, the same teams, the same alerts (no false
    "month closed"), the same indicators and results, and a saved state in NFC."""
    lines = _example_lines()
    with _run([respell(line) if pick(i) else line for i, line in enumerate(lines)]) as monitor:
        assert monitor.units == composed_run.units == ("Xã Bình Lương",)
        assert monitor.alerts == composed_run.alerts
        assert monitor.results("phase-1") == composed_run.results("phase-1")
        assert monitor.final_evidence("phase-1") == composed_run.final_evidence("phase-1")
        saved = json.dumps(monitor.save(), ensure_ascii=False, default=str)
        assert unicodedata.is_normalized("NFC", saved)


def test_an_event_built_in_python_is_put_in_nfc() -> None:
    team, unit = "Tổ bảo vệ ANTT thôn 1", "Xã Bình Lương"
    day = date(2024, 9, 2)
    built = Event(EventKind.ROSTER, _nfd(unit), day, Roster(4, _nfd("Thôn 1")), _nfd(team))
    assert built == Event(EventKind.ROSTER, unit, day, Roster(4, "Thôn 1"), team)
    assert Patrol((_nfd("Lò Văn Hùng"),)).members == ("Lò Văn Hùng",)
    parsed = parse_event(
        {"kind": "good_deed", "unit": _nfd(unit), "date": "2024-09-02", "team": _nfd(team)}
    )
    assert (parsed.unit, parsed.team) == (unit, team)


def test_monitor_lookups_accept_either_spelling(composed_run: Monitor) -> None:
    with _run(_example_lines()[:40]) as monitor:
        unit = monitor.units[0]
        assert monitor.evidence(_nfd(unit)) == monitor.evidence(unit)
        assert monitor.indicators(_nfd(unit)) == monitor.indicators(unit)


def test_monitor_cli_prints_the_same_for_a_decomposed_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nfd_log = tmp_path / "events-nfd.jsonl"
    nfd_log.write_text(_nfd(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    outputs = []
    for path in (EXAMPLE, nfd_log):
        argv = ["monitor", "special-campaign-binh-luong", str(path), "--until", "2025-02-04"]
        assert main([*argv, "--engine", "python"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


# -- award candidates ----------------------------------------------------------------------------
CANDIDATES = EXAMPLES / "candidates-binh-luong-interim.jsonl"
INTERIM = AllocationCatalogue().round("special-campaign-binh-luong", "interim")


def test_candidates_in_either_spelling_get_the_same_allocation() -> None:
    text = CANDIDATES.read_text(encoding="utf-8")
    expected = allocate(INTERIM, read_candidates(text, "c.jsonl"), library=LIB)
    decomposed = allocate(INTERIM, read_candidates(_nfd(text), "c.jsonl"), library=LIB)
    assert to_json(decomposed) == to_json(expected)


def test_two_spellings_of_one_candidate_are_a_duplicate() -> None:
    """Candidates identified by their names: the NFD twin of one of them does not take a
    second quota slot, it is refused as the same id given twice."""
    lines = [json.loads(line) for line in CANDIDATES.read_text(encoding="utf-8").splitlines()]
    named = [{**c, "id": c["name"]} for c in lines]
    twin = {**named[0], "id": _nfd(named[0]["id"])}
    text = "\n".join(json.dumps(c, ensure_ascii=False) for c in [*named, twin])
    candidates = read_candidates(text, "c.jsonl")
    with pytest.raises(EvidenceError, match="more than once") as info:
        allocate(INTERIM, candidates, library=LIB)
    assert info.value.problems[0].path == ("candidates", named[0]["id"], "id")
    result = allocate(INTERIM, candidates[:-1], library=LIB)
    assert result.candidate(_nfd(named[0]["id"])).id == named[0]["id"]


# -- campaign instances --------------------------------------------------------------------------
def test_a_campaign_instance_has_one_spelling() -> None:
    definition = CampaignCatalogue().get("special-campaign-binh-luong")
    name = "Xã Bình Lương"
    with SqliteCampaignStore() as store:
        instance = Campaign.new(definition, _nfd(name), on=date(2024, 9, 20))
        assert instance.instance_id == name
        store.create(instance.to_state())
        assert store.load(_nfd(name)).instance_id == name
        assert store.log(_nfd(name)) == list(instance.log)
        assert store.ids() == [name]
        with pytest.raises(StoreError, match="exists"):
            store.create(Campaign.new(definition, name, on=date(2024, 9, 20)).to_state())


# -- recognition dossiers ------------------------------------------------------------------------
def test_a_dossier_and_a_verdict_naming_one_unit_in_two_spellings() -> None:
    procedure = load_procedure()
    evidence = _read("commune-all-met.json")
    dossier_data = _read("dossier-complete.json")
    assert dossier_data["unit"] == evidence["unit_id"]
    on = procedure.recognition_date(2024)
    rs = LIB.load("typical-commune", on=on)
    for unit, dossier_unit in (
        (evidence["unit_id"], _nfd(evidence["unit_id"])),
        (_nfd(evidence["unit_id"]), evidence["unit_id"]),
    ):
        verdict = rs.evaluate({**evidence, "unit_id": unit}, explain=True)
        dossier = parse_dossier(
            {**dossier_data, "unit": dossier_unit}, kinds=procedure.document_kinds
        )
        outcome = recognise(procedure, verdict, dossier, year=2024)
        assert outcome.unit == evidence["unit_id"]
