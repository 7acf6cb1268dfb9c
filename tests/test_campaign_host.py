"""A campaign inside a host application: hooks, and the store in the host's database."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from emulation_rules.campaigns import (
    AwardsDecided,
    Campaign,
    CampaignCatalogue,
    Hooks,
    PhaseChanged,
    ReportLate,
    ReportOverdue,
    ReportSubmitted,
    SqliteCampaignStore,
)
from emulation_rules.campaigns.store import MIGRATIONS, SCHEMA_VERSION
from emulation_rules.errors import StoreError

D = CampaignCatalogue().get("special-campaign-binh-luong")


def _new(store: SqliteCampaignStore) -> None:
    c = Campaign.new(D, "bl", on=date(2024, 9, 20))
    c.issue(on=date(2024, 9, 20))
    c.launch(on=date(2024, 9, 25))
    store.create(c.to_state())


# -- hooks ------------------------------------------------------------------------------
class Listener:
    def __init__(self) -> None:
        self.seen: list[object] = []

    def on_phase_changed(self, event: PhaseChanged) -> None:
        self.seen.append(event)

    def on_report_overdue(self, event: ReportOverdue) -> None:
        self.seen.append(event)


def test_hooks_are_told_after_the_change_is_stored() -> None:
    hooks = Hooks()
    listener = Listener()
    hooks.add_listener(listener)
    submitted: list[ReportSubmitted | ReportLate] = []
    hooks.on(ReportSubmitted, submitted.append)
    hooks.on(ReportLate, submitted.append)
    stored_states: list[str] = []
    with SqliteCampaignStore() as store:
        _new(store)
        hooks.on(PhaseChanged, lambda e: stored_states.append(store.load("bl").state))
        store.update(D, "bl", lambda c: c.advance(to=date(2025, 2, 20)), hooks=hooks)
        # the hooks run once the change is stored: even the first sees the last state
        assert stored_states == ["phase-2"] * 3
        phases = [e for e in listener.seen if isinstance(e, PhaseChanged)]
        assert [(e.dest, e.on, e.recorded_on) for e in phases] == [
            ("phase-1", date(2024, 9, 25), date(2025, 2, 20)),
            ("interim-review-1", date(2025, 2, 4), date(2025, 2, 20)),
            ("phase-2", date(2025, 2, 15), date(2025, 2, 20)),  # the review waited for 14/02
        ]
        overdue = [e for e in listener.seen if isinstance(e, ReportOverdue)]
        assert [(e.report, e.last_day) for e in overdue] == [
            ("interim-report-1", date(2025, 2, 14))
        ]
        store.update(
            D,
            "bl",
            lambda c: c.submit_report("interim-report-1", on=date(2025, 2, 21)),
            hooks=hooks,
        )
        assert [type(e).__name__ for e in submitted] == ["ReportSubmitted", "ReportLate"]
        assert submitted[0].late is True  # type: ignore[union-attr]
    assert hooks.failures == []


def test_a_hook_that_raises_is_reported_and_the_store_is_intact(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hooks = Hooks()
    told: list[object] = []

    def broken(event: PhaseChanged) -> None:
        raise RuntimeError("the host's mailer is down")

    hooks.on(PhaseChanged, broken)
    hooks.on(PhaseChanged, told.append)  # the next hook still runs
    with SqliteCampaignStore() as store, caplog.at_level(logging.ERROR):
        _new(store)
        done = store.update(D, "bl", lambda c: c.advance(to=date(2024, 10, 1)), hooks=hooks)
        assert [t.dest for t in done] == ["phase-1"]
        assert store.load("bl").state == "phase-1"  # stored, not undone by the hook
        assert [t.dest for t in store.log("bl")][-1] == "phase-1"
        # and the instance goes on
        store.update(D, "bl", lambda c: c.cancel(on=date(2024, 10, 2)), hooks=hooks)
        assert store.load("bl").state == "cancelled"
    assert len(told) == 2
    failures = hooks.take_failures()
    assert [f.hook.rsplit(".", 1)[-1] for f in failures] == ["broken", "broken"]
    assert isinstance(failures[0].error, RuntimeError)
    assert isinstance(failures[0].event, PhaseChanged) and failures[0].event.dest == "phase-1"
    assert hooks.failures == []
    logged = [r for r in caplog.records if r.name == "emulation_rules.campaigns.hooks"]
    assert len(logged) == 2 and logged[0].exc_info is not None


def test_awards_decided_is_told() -> None:
    hooks = Hooks()
    decided: list[AwardsDecided] = []
    hooks.on(AwardsDecided, decided.append)
    with SqliteCampaignStore() as store:
        _new(store)
        store.update(D, "bl", lambda c: c.advance(to=date(2025, 2, 4)))
        store.update(D, "bl", lambda c: c.submit_report("interim-report-1", on=date(2025, 2, 4)))
        store.update(
            D,
            "bl",
            lambda c: c.decide_awards(
                "province-merit-interim", collectives=2, individuals=3, on=date(2025, 2, 4)
            ),
            hooks=hooks,
        )
    assert [(e.award_round, e.collectives, e.individuals) for e in decided] == [
        ("province-merit-interim", 2, 3)
    ]


# -- the host's database ---------------------------------------------------------------------
def _host(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS unit (id TEXT PRIMARY KEY, name TEXT)")
    db.commit()
    return db


def test_the_store_lives_in_the_hosts_database_with_a_prefix(tmp_path: Path) -> None:
    host = _host(tmp_path / "host.db")
    store = SqliteCampaignStore(host, prefix="er_", own_transactions=False)
    _new(store)
    host.commit()
    tables = {r[0] for r in host.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"unit", "er_campaign", "er_submission", "er_audit", "er_schema_version"} <= tables
    assert "campaign" not in tables
    store.close()  # the host's connection stays open
    assert host.execute("SELECT COUNT(*) FROM er_campaign").fetchone() == (1,)
    assert store.schema_version() == SCHEMA_VERSION


def test_a_rolled_back_host_transaction_keeps_nothing_of_the_campaign(tmp_path: Path) -> None:
    host = _host(tmp_path / "host.db")
    SqliteCampaignStore(host, prefix="er_", own_transactions=False)
    host.commit()  # the schema, made once
    store = SqliteCampaignStore(host, prefix="er_", own_transactions=False)
    host.execute("INSERT INTO unit VALUES ('xa-binh-luong', 'Xã Bình Lương')")
    _new(store)
    store.update(D, "bl", lambda c: c.advance(to=date(2024, 10, 1)))
    assert host.in_transaction  # the store neither committed nor rolled back
    assert store.load("bl").state == "phase-1"  # visible inside the transaction
    host.rollback()
    assert host.execute("SELECT COUNT(*) FROM unit").fetchone() == (0,)
    for table in ("er_campaign", "er_submission", "er_audit"):
        assert host.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)
    other = sqlite3.connect(tmp_path / "host.db")
    assert other.execute("SELECT COUNT(*) FROM er_audit").fetchone() == (0,)


def test_committed_host_transaction_keeps_the_campaign(tmp_path: Path) -> None:
    host = _host(tmp_path / "host.db")
    store = SqliteCampaignStore(host, prefix="er_", own_transactions=False)
    _new(store)
    store.update(D, "bl", lambda c: c.advance(to=date(2024, 10, 1)))
    host.commit()
    with SqliteCampaignStore(tmp_path / "host.db", prefix="er_", create=False) as again:
        assert again.load("bl").state == "phase-1"
        assert again.log("bl")[-1].recorded_on == date(2024, 10, 1)


def test_a_failed_write_inside_the_hosts_transaction_undoes_only_itself(tmp_path: Path) -> None:
    host = _host(tmp_path / "host.db")
    store = SqliteCampaignStore(host, own_transactions=False)
    host.execute("INSERT INTO unit VALUES ('x', 'X')")
    _new(store)
    with pytest.raises(StoreError, match="exists"):
        _new(store)  # the second create fails in its savepoint
    host.commit()
    assert host.execute("SELECT COUNT(*) FROM unit").fetchone() == (1,)
    assert host.execute("SELECT COUNT(*) FROM campaign").fetchone() == (1,)


def test_a_bad_prefix_is_refused() -> None:
    with pytest.raises(StoreError, match="prefix") as exc:
        SqliteCampaignStore(":memory:", prefix="er-; DROP")
    assert exc.value.message_vi is not None and "tiền tố" in exc.value.message_vi


def test_a_store_made_before_versions_is_migrated(tmp_path: Path) -> None:
    # a version-1 store: the three tables as they were, no version table, no recorded_on
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    for sql in MIGRATIONS[0].statements:
        old.execute(sql.format(p=""))
    c = Campaign.new(D, "bl", on=date(2024, 9, 20))
    old.execute(
        "INSERT INTO campaign VALUES (?, ?, ?, ?, ?, ?)",
        ("bl", D.id, D.sha256, "draft", 1, c.to_json().replace(',"recorded_on":"2024-09-20"', "")),
    )
    old.execute(
        "INSERT INTO audit VALUES "
        "('bl', 0, '2024-09-20', 'system', 'start', '', 'draft', NULL, NULL)"
    )
    old.commit()
    old.close()
    with SqliteCampaignStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 2
        assert store.log("bl")[0].recorded_on is None  # not known for old entries
        store.update(D, "bl", lambda c: c.issue(on=date(2024, 9, 21)))
        assert store.log("bl")[-1].recorded_on == date(2024, 9, 21)
    versions = sqlite3.connect(path).execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(1,), (2,)]


def test_an_old_store_read_without_create_is_migrated_too(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    for sql in MIGRATIONS[0].statements:
        old.execute(sql.format(p=""))
    old.execute(
        "INSERT INTO audit VALUES "
        "('bl', 0, '2024-09-20', 'system', 'start', '', 'draft', NULL, NULL)"
    )
    old.execute("INSERT INTO campaign VALUES ('bl', 'x', 'y', 'draft', 1, '{}')")
    old.commit()
    old.close()
    with SqliteCampaignStore(path, create=False) as store:  # what `campaign log` opens
        assert store.schema_version() == SCHEMA_VERSION
        assert [t.trigger for t in store.log("bl")] == ["start"]


def test_a_store_newer_than_the_library_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with SqliteCampaignStore(path):
        pass
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_version VALUES (99, 'the future')")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="schema version 99"):
        SqliteCampaignStore(path)
