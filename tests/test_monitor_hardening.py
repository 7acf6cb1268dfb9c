"""The monitor under hostile input and unlucky operation (issue 13): a refused event
leaves the state as it was, a saved state that does not hold together is refused on
resume, phase dates in reverse are refused, no negative "days left", and
``engine="auto"`` falls back to Python when durable-rules is installed but cannot load."""

from __future__ import annotations

import copy
import json
import re
import sys
import textwrap
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import emulation_rules.cli.monitor as cli_monitor
import emulation_rules.monitor.engine as engine_module
from emulation_rules.cli.main import main
from emulation_rules.errors import EngineFallbackWarning, EventError, MonitorError
from emulation_rules.evaluation.evidence import make_coercer
from emulation_rules.monitor import Monitor
from emulation_rules.monitor.aggregators import Keyed
from emulation_rules.monitor.alerts import days_left_text
from emulation_rules.monitor.indicators import compile_plan
from emulation_rules.monitor.mapping import mapping_for
from emulation_rules.monitor.schedule import Schedule, month_of
from monitor_support import EXAMPLE, ROOT, T1, UNIT, campaign, ev, example_events, ruleset

CAMPAIGN = "special-campaign-binh-luong"


def run(*argv: str) -> int:
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def monitor(events: int = 60) -> Monitor:
    m = Monitor(campaign(), ruleset(), engine="python")
    m.ingest_many(example_events()[:events])
    return m


def snapshot(m: Monitor) -> str:
    return json.dumps(m.save(), sort_keys=True, ensure_ascii=False)


# -- a refused event changes nothing (point 6) ---------------------------------------------------
HUGE_ROSTER = {
    "kind": "roster",
    "unit": UNIT,
    "date": "2024-10-28",  # after the clock (2024-10-25): taking it would move the clock
    "team": "Tổ bảo vệ ANTT thôn 9",
    "payload": {"members": 10**15, "village": "Thôn 9"},
}
AFTER_THE_CAMPAIGN = {
    "kind": "tip",
    "unit": UNIT,
    "date": "2026-01-01",
    "payload": {"through_force": True},
}


@pytest.mark.parametrize(
    ("bad", "path", "needle"),
    [
        (HUGE_ROSTER, ("payload", "members"), "force_members out of range"),
        (AFTER_THE_CAMPAIGN, ("date",), "2026-01-01 is in no phase"),
    ],
)
def test_a_refused_event_leaves_the_state_as_it_was(
    bad: dict[str, Any], path: tuple[str, ...], needle: str
) -> None:
    m = monitor()
    before = snapshot(m)
    with pytest.raises(EventError) as info:
        m.ingest(bad, where="events.jsonl:61")
    assert info.value.path == path and needle in str(info.value)
    assert str(info.value).startswith("events.jsonl:61: ")
    assert snapshot(m) == before  # the clock, the units, the alerts: all as they were
    # and the monitor goes on as if the bad event had never come
    m.ingest_many(example_events()[60:])
    m.advance(date(2025, 2, 4))
    clean = monitor(len(example_events()))
    clean.advance(date(2025, 2, 4))
    assert snapshot(m) == snapshot(clean)


def test_a_huge_roster_refused_keeps_later_ingests_and_advances_working() -> None:
    m = Monitor(campaign(), ruleset(), engine="python")
    m.ingest(ev("roster", "2024-08-20", T1, members=4, village="Thôn 1"))
    with pytest.raises(EventError, match="force_members"):
        m.ingest(dict(HUGE_ROSTER, date="2024-08-21"))
    m.ingest(ev("tip", "2024-08-22", through_force=True))
    m.advance(date(2024, 9, 1))
    assert m.evidence(UNIT)["force_members"] == 4


def test_the_range_error_names_the_file_and_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = EXAMPLE.read_text("utf-8").splitlines()[:3]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([*lines, json.dumps(HUGE_ROSTER)]) + "\n", encoding="utf-8")
    assert run("monitor", CAMPAIGN, str(path), "--engine", "python") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{path}:4: payload.members: taking this event would bring force_members" in err


# -- a saved state that does not hold together (point 7) -------------------------------------
def tampered(change: dict[str, Any]) -> dict[str, Any]:
    saved = json.loads(json.dumps(monitor().save()))
    saved["state"].update(change)
    return saved


def facts_with(name: str, value: Any) -> dict[str, Any]:
    saved = json.loads(json.dumps(monitor().save()))
    units = saved["state"]["units"]
    units[UNIT]["facts"][name] = value
    return units


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"clock": "2030-01-01"}, ("state", "clock")),  # was "còn -1793 ngày"
        ({"clock": "2024-08-01"}, ("state", "clock")),  # before the campaign
        ({"closed_until": "2024-10-26"}, ("state", "closed_until")),  # after the clock
        ({"closed_until": "2024-09-15"}, ("state", "closed_until")),  # no month closes then
        ({"phase_seq": 10**6}, ("state", "phase_seq")),
        ({"phase_index": None}, ("state", "clock")),  # "after the last phase" in 2024
        ({"failed": {UNIT: {"4.7": ["Tổ 1", "2030-01"]}}}, ("state", "failed", UNIT, "4.7")),
        ({"failed": {UNIT: {"4.1a": ["Tổ 1", "2024-09"]}}}, ("state", "failed", UNIT, "4.1a")),
        ({"results": {"phase-2": {}}}, ("state", "results", "phase-2")),
        ({"statuses": {"Xã Khác": {}}}, ("state", "statuses", "Xã Khác")),
        ({"statuses": {UNIT: {"9.9": "met"}}}, ("state", "statuses", UNIT, "9.9")),
    ],
)
def test_a_tampered_state_is_refused_on_resume(change: dict[str, Any], path: tuple[Any]) -> None:
    with pytest.raises(MonitorError, match="damaged") as info:
        Monitor.restore(tampered(change), campaign(), ruleset(), engine="python")
    assert info.value.path == path, str(info.value)


@pytest.mark.parametrize(
    ("fact", "value"),
    [
        ("tips_total", [-5, False]),  # a negative count
        ("force_members", {"latest": {"T": ["2024-08-19", 1, 10**16]}, "unknown": False}),
        ("tips_total", "many"),  # not the state of a count at all
    ],
)
def test_a_unit_state_out_of_range_is_refused_on_resume(fact: str, value: Any) -> None:
    saved = tampered({"units": facts_with(fact, value)})
    with pytest.raises(MonitorError, match="damaged") as info:
        Monitor.restore(saved, campaign(), ruleset(), engine="python")
    assert info.value.path == ("state", "units", UNIT, "facts", fact), str(info.value)


def test_tampered_alerts_and_results_are_refused() -> None:
    saved = json.loads(json.dumps(monitor().save()))
    saved["state"]["alerts"][0]["on"] = "2024-12-01"  # after the clock
    with pytest.raises(MonitorError) as info:
        Monitor.restore(saved, campaign(), ruleset(), engine="python")
    assert info.value.path == ("state", "alerts", 0)
    done = monitor(len(example_events()))
    done.advance(date(2025, 2, 4))
    saved = json.loads(json.dumps(done.save()))
    saved["state"]["results"]["phase-1"][UNIT]["evidence"]["tips_total"] = -1
    with pytest.raises(MonitorError) as info:
        Monitor.restore(saved, campaign(), ruleset(), engine="python")
    assert info.value.path == ("state", "results", "phase-1", UNIT, "evidence")


def test_the_cli_refuses_a_tampered_state_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "s.json"
    state.write_text(json.dumps(tampered({"clock": "2030-01-01"})), encoding="utf-8")
    args = ["monitor", CAMPAIGN, str(EXAMPLE), "--engine", "python", "--resume", str(state)]
    assert run(*args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{state}: state.clock: " in err
    assert "outside phase phase-1" in err and "-1793" not in err


def test_the_untampered_states_of_a_whole_campaign_restore() -> None:
    """Every state a real run goes through passes the checks (no false alarm)."""
    m = Monitor(campaign(), ruleset(), engine="python")

    def restored() -> Monitor:
        saved = json.loads(json.dumps(m.save()))
        return Monitor.restore(saved, campaign(), ruleset(), engine="python")

    assert restored().clock is None
    for event in example_events():
        m.ingest(event)
        if m.events_in_phase % 25 == 0:
            assert restored().save() == m.save()
    for day in (date(2025, 2, 4), date(2025, 8, 20), date(2030, 1, 1)):
        m.advance(day)
        assert restored().clock == day


def test_days_left_are_never_negative() -> None:
    assert days_left_text(7).vi == "còn 7 ngày"
    assert days_left_text(-3).vi == "đã qua 3 ngày" and days_left_text(-3).en == "3 days ago"
    assert "-" not in days_left_text(-1).en


# -- phase dates in reverse (point 7) ---------------------------------------------------------
def test_a_plan_issued_after_its_first_phase_ends_is_refused() -> None:
    """Kon Plông starts on issuance: issued after phase 1's end, phase 1 runs backwards
    (the rule set then counted "3 teams × -5 months")."""
    kon_plong = campaign("special-campaign-kon-plong")
    with pytest.raises(MonitorError, match="after it ends on 2025-02-03") as info:
        Monitor(kon_plong, ruleset("special-campaign-targets"), issued_on=date(2025, 6, 1))
    assert info.value.path == ("phases", 0)


def test_reversed_or_overlapping_phases_are_refused_where_the_monitor_reads_them() -> None:
    plan = campaign()
    first, second = plan.spec.phases
    reversed_first = attrs.evolve(first, start=first.end, end=first.start)
    overlapping = attrs.evolve(second, start=date(2025, 1, 1))
    for phases, index in (((reversed_first, second), 0), ((first, overlapping), 1)):
        bad = attrs.evolve(plan, spec=attrs.evolve(plan.spec, phases=phases))
        with pytest.raises(MonitorError, match="phases in order") as info:
            Schedule.of(bad, issued_on=None, near_days=7)
        assert info.value.path == ("phases", index)


# -- engine="auto" when durable-rules is installed but cannot load (point 4) ------------------
@pytest.fixture
def unloadable_durable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """durable-rules "installed" (found) but failing to import in the worker, as it does
    on CPython 3.13 (``undefined symbol: PyEval_CallObject``)."""
    package = tmp_path / "shadow" / "durable"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "engine.py").write_text(
        "raise ImportError('rules.so: undefined symbol: PyEval_CallObject')\n", encoding="utf-8"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "shadow"))
    monkeypatch.setattr(engine_module, "durable_available", lambda: True)
    monkeypatch.setattr(cli_monitor, "durable_available", lambda: True)


@pytest.mark.usefixtures("unloadable_durable")
def test_auto_falls_back_to_python_with_a_warning() -> None:
    with pytest.warns(EngineFallbackWarning, match="PyEval_CallObject") as caught:
        m = Monitor(campaign(), ruleset())
    assert len(caught) == 1 and m.engine == "python"
    m.ingest_many(example_events())
    assert len(m.alerts) == 15
    with pytest.raises(MonitorError, match="installed but cannot be loaded") as info:
        Monitor(campaign(), ruleset(), engine="durable")
    assert info.value.path == ("engine",)


@pytest.mark.usefixtures("unloadable_durable")
def test_the_cli_says_it_falls_back_once(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["monitor", CAMPAIGN, str(EXAMPLE)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes as a Python warning
        assert run(*args) == 0
    captured = capsys.readouterr()
    assert "Cảnh báo (15)" in captured.out
    notes = captured.err.splitlines()
    assert len(notes) == 1 and notes[0].startswith("emulation-rules: note: durable-rules is")
    assert "the alerting rules run in Python" in notes[0]
    assert run(*args, "--engine", "durable") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be loaded" in err


def test_a_worker_that_does_not_start_falls_back_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = tmp_path / "worker.py"
    worker.write_text(textwrap.dedent("import sys\nsys.exit(1)\n"), encoding="utf-8")
    monkeypatch.setattr(engine_module, "WORKER", worker)
    monkeypatch.setattr(engine_module, "durable_available", lambda: True)
    with pytest.warns(EngineFallbackWarning, match="did not start"):
        assert Monitor(campaign(), ruleset()).engine == "python"
    with pytest.raises(MonitorError, match="did not start"):
        Monitor(campaign(), ruleset(), engine="durable")
    assert sys.executable  # the worker runs on the host's interpreter


# -- the documented example runs as written (point 9) -------------------------------------------
def test_the_monitor_page_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/monitor.md's first example (it once ingested a September event before the
    example log and stopped at the log's first August event)."""
    page = (ROOT / "docs" / "monitor.md").read_text(encoding="utf-8")
    block = re.findall(r"```python\n(.*?)```", page, re.S)[0]
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/monitor.md", "exec"), namespace)  # our own page, not input
    restored, rebuilt = namespace["restored"], namespace["rebuilt"]
    try:
        assert restored.clock == rebuilt.clock == date(2025, 2, 4)
        assert restored.results("phase-1") and restored.alerts == namespace["monitor"].alerts
        assert rebuilt.final_statuses("phase-1").keys() == {UNIT}
    finally:
        restored.close()
        rebuilt.close()


# -- how an event is judged before it is taken ---------------------------------------------------
def test_a_trial_is_what_taking_the_event_gives_and_changes_nothing() -> None:
    """Every aggregator's ``trial`` (the value checked before an event is taken) equals
    the value after taking it, and leaves the state as it was."""
    rs = ruleset()
    plan = compile_plan(mapping_for(rs), rs)
    phase = Schedule.of(campaign(), issued_on=None, near_days=7).phases[0]
    state = plan.new_state()
    for seq, event in enumerate(example_events(), start=1):
        for name, agg in plan.by_kind.get(event.kind, ()):
            before = copy.deepcopy(state["facts"][name])
            got = agg.trial(state["facts"][name], event, seq, phase, None)
            assert state["facts"][name] == before
            after = copy.deepcopy(before)
            agg.add(after, event, seq)
            if isinstance(agg, Keyed):
                period = month_of(event.date) if agg.monthly else None
                every = [agg._record(after, k, period, True) for k in agg.keys_of(after)]
                assert all(record in every for record in got), (name, got)
            else:
                assert got == agg.value(after, phase, None), name
        plan.add(state, event, seq)


def test_a_record_over_a_declared_maximum_is_refused_before_it_is_taken() -> None:
    """A host rule set that caps a monthly count (at most 1 good deed a team-month here):
    the second good deed of a month is refused, and the monitor is as it was."""
    m = monitor(3)  # the three teams' rosters
    spec = m.plan.facts["team_months"]
    assert spec.fields is not None
    fields = dict(spec.fields, good_deeds=attrs.evolve(spec.fields["good_deeds"], max=1))
    capped = attrs.evolve(spec, fields=fields)
    m.plan.coercers["team_months"] = make_coercer(capped, m.ruleset.enumerations)
    m.plan.facts = dict(m.plan.facts, team_months=capped)
    m.plan._bounded = {
        kind: [(n, a) for n, a in fed if not a.counts or n == "team_months"]
        for kind, fed in m.plan.by_kind.items()
    }
    m.ingest(ev("good_deed", "2024-08-20", T1, description="Dọn vệ sinh"))
    before = snapshot(m)
    with pytest.raises(EventError, match=r"team_months\.good_deeds out of range") as info:
        m.ingest(ev("good_deed", "2024-08-21", T1, description="Giúp dân"))
    assert info.value.path == ("payload",)
    assert snapshot(m) == before
    m.ingest(ev("good_deed", "2024-08-21", "Tổ bảo vệ ANTT thôn 2", description="Giúp dân"))
