"""The monitor on durable-rules, in its worker process: the same alerts as the Python
matcher, isolation between monitors, and recovery from the worker's failures (a crash,
an action's exception, a kill) without losing a signal or touching the host process.

Skipped unless durable-rules is installed (the ``streaming`` extra); with
``EMULATION_RULES_REQUIRE_DURABLE=1`` (set by ``.ci/run``) a missing durable-rules is an
error instead, so CI cannot skip these tests unnoticed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import date

import pytest

if os.environ.get("EMULATION_RULES_REQUIRE_DURABLE") == "1":
    try:
        import durable.engine  # noqa: F401
    except ImportError as exc:
        pytest.fail(f"EMULATION_RULES_REQUIRE_DURABLE=1 but durable-rules: {exc}", pytrace=False)
else:  # not installed, or installed but not loadable (CPython 3.13): skipped
    pytest.importorskip("durable.engine", exc_type=ImportError)

from hypothesis import given, settings
from hypothesis import strategies as st

from emulation_rules.monitor import Monitor
from emulation_rules.monitor.engine import DurableEngine
from emulation_rules.monitor.indicators import compile_plan
from emulation_rules.monitor.mapping import mapping_for
from emulation_rules.monitor.rules import GeneratedRule, PythonMatcher, generate_rules
from emulation_rules.monitor.schedule import Schedule
from monitor_support import ROOT, UNIT, campaign, ev, example_events, ruleset


@pytest.fixture(scope="module")
def rules() -> tuple[GeneratedRule, ...]:
    rs = ruleset()
    schedule = Schedule.of(campaign(), issued_on=None, near_days=7)
    return generate_rules(rs, compile_plan(mapping_for(rs), rs), schedule)


@pytest.fixture(scope="module")
def engine(rules: tuple[GeneratedRule, ...]) -> Iterator[DurableEngine]:
    eng = DurableEngine(rules)
    yield eng
    eng.close()


CRITERIA = [c.id for c in ruleset().criteria] + ["9.9"]
STATUSES = ["met", "at_risk", "missed", "unknown", "none"]
messages = st.one_of(
    st.fixed_dictionaries(
        {
            "t": st.just("status"),
            "criterion": st.sampled_from(CRITERIA),
            "unit": st.sampled_from(["Xã A", "Xã Bình Lương"]),
            "was": st.sampled_from(STATUSES),
            "now": st.sampled_from(STATUSES),
        }
    ),
    st.fixed_dictionaries(
        {
            "t": st.just("month"),
            "fact": st.sampled_from(["team_months", "other"]),
            "criterion": st.sampled_from(CRITERIA),
            "status": st.sampled_from(["met", "not_met", "unknown"]),
            "team": st.sampled_from(["Tổ 1", "Tổ 2"]),
        }
    ),
    st.fixed_dictionaries(
        {
            "t": st.just("clock"),
            "day": st.integers(date(2025, 1, 20).toordinal(), date(2025, 8, 25).toordinal()),
        }
    ),
)


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(messages, max_size=30))
def test_the_rete_engine_and_the_python_matcher_agree(
    engine: DurableEngine, rules: tuple[GeneratedRule, ...], batch: list[dict[str, object]]
) -> None:
    assert engine.match(batch) == PythonMatcher(rules).match(batch)
    assert engine.failures == []


def test_the_example_gives_the_same_alerts_on_both_engines() -> None:
    results = {}
    for name in ("durable", "python"):
        with Monitor(campaign(), ruleset(), engine=name) as m:
            assert m.engine == name
            m.ingest_many(example_events())
            m.advance(date(2025, 2, 4))
            results[name] = (m.alerts, m.final_evidence("phase-1"), m.engine_failures)
    assert results["durable"][:2] == results["python"][:2]
    assert results["durable"][2] == ()


def test_a_killed_worker_is_replaced_and_no_alert_is_lost() -> None:
    events = example_events()
    with Monitor(campaign(), ruleset(), engine="python") as reference:
        reference.ingest_many(events)
    with Monitor(campaign(), ruleset(), engine="durable") as m:
        engine = m._engine
        assert isinstance(engine, DurableEngine)
        third = len(events) // 3
        m.ingest_many(events[:third])
        first_pid = engine.pid
        assert first_pid is not None
        os.kill(first_pid, signal.SIGKILL)
        m.ingest_many(events[third : 2 * third])
        assert engine.pid not in (None, first_pid) and engine.restarts == 1
        os.kill(engine.pid, signal.SIGSEGV)  # as a crash in the C code would
        m.ingest_many(events[2 * third :])
        assert m.alerts == reference.alerts
        assert len(m.engine_failures) == 2
        assert "exited with code" in m.engine_failures[-1] or "gone" in m.engine_failures[-1]


def test_an_action_that_raises_is_contained(rules: tuple[GeneratedRule, ...]) -> None:
    python = PythonMatcher(rules)
    signal_ = {"t": "status", "criterion": "4.1a", "unit": "X", "was": "met", "now": "at_risk"}
    engine = DurableEngine(rules, faults=True)
    try:
        first = engine.pid
        # durable-rules stores the action's exception in the session instead of raising it:
        # the worker reads it back, the signal is answered by a fresh worker or by Python
        assert engine.match([dict(signal_, fault="raise")]) == python.match([signal_])
        assert any("an action failed" in f and "fault injected" in f for f in engine.failures)
        assert engine.match([signal_]) == python.match([signal_])
        assert engine.pid != first
        for fault in ("segfault", "exit"):
            assert engine.match([dict(signal_, fault=fault)]) == python.match([signal_])
        assert any("code -11" in f for f in engine.failures)  # SIGSEGV
        assert any("code 3" in f for f in engine.failures)
        assert engine.match([signal_]) == python.match([signal_])  # still served by a worker
        assert not engine.gave_up
    finally:
        engine.close()


def test_a_worker_failing_every_time_is_given_up(rules: tuple[GeneratedRule, ...]) -> None:
    python = PythonMatcher(rules)
    signal_ = {"t": "month", "stage": "closed", "fact": "team_months", "criterion": "4.7"}
    signal_["status"] = "not_met"
    engine = DurableEngine(rules, faults=True, max_failures=2)
    try:
        for _ in range(2):
            assert engine.match([dict(signal_, fault="exit")]) == python.match([signal_])
        assert engine.gave_up
        assert engine.match([signal_]) == python.match([signal_])  # Python answers now
        assert engine.failures[-1] == "1 signal(s) matched by the Python matcher instead"
    finally:
        engine.close()


def test_two_monitors_have_two_workers_and_share_nothing() -> None:
    a = Monitor(campaign(), ruleset(), engine="durable")
    national = campaign("special-campaign-national")
    b = Monitor(national, ruleset("special-campaign-targets"), engine="durable")
    try:
        ea, eb = a._engine, b._engine
        assert isinstance(ea, DurableEngine) and isinstance(eb, DurableEngine)
        assert ea.pid != eb.pid and ea.ruleset_name != eb.ruleset_name
        assert len(ea.definition) == 37 and len(eb.definition) == 25  # their own rules
        a.ingest(ev("weapons_case", "2024-09-10"))
        b.ingest(ev("tip", "2024-09-10", through_force=True, unit="Xã Khác"))
        a.close()
        assert ea.pid is None
        b.ingest(ev("reoffence", "2024-09-11", crime=True, unit="Xã Khác"))
        assert {x.unit for x in b.alerts} == {"Xã Khác"} and ("missed", "4.5") in [
            (x.kind.value, x.criterion) for x in b.alerts
        ]
        assert {x.unit for x in a.alerts} == {UNIT}
    finally:
        a.close()
        b.close()


def test_more_units_than_durable_rules_has_sessions() -> None:
    # durable-rules crashes past 1,024 sessions of a rule set; the worker uses one session
    units = [f"Xã {i:04d}" for i in range(1100)]
    with Monitor(campaign(), ruleset(), engine="durable") as m:
        m.ingest_many(ev("weapons_case", "2024-09-10", unit=u) for u in units)
        missed = {a.unit for a in m.alerts if (a.kind.value, a.criterion) == ("missed", "4.4c")}
        assert missed == set(units)
        assert m.engine_failures == ()


def test_closing_stops_the_worker() -> None:
    m = Monitor(campaign(), ruleset(), engine="durable")
    engine = m._engine
    assert isinstance(engine, DurableEngine)
    proc = engine._worker.proc if engine._worker else None
    assert proc is not None and proc.poll() is None
    m.close()
    deadline = time.monotonic() + 5
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is not None


def test_the_host_process_never_imports_durable_rules() -> None:
    script = textwrap.dedent(
        """
        import sys
        from datetime import date
        sys.path.insert(0, "tests")
        from monitor_support import campaign, ev, ruleset
        from emulation_rules.monitor import Monitor
        with Monitor(campaign(), ruleset(), engine="durable") as m:
            m.ingest(ev("weapons_case", "2024-09-10"))
            assert m.engine == "durable" and m.alerts
        assert "durable" not in sys.modules and "durable_rules_engine" not in sys.modules
        print("ok")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
