"""The SQLite store: round trips, the version check, and a writer killed mid-transaction."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from emulation_rules.campaigns import Campaign, CampaignCatalogue, SqliteCampaignStore
from emulation_rules.errors import ConcurrencyError, NotFoundError, StoreError

DEFINITION = CampaignCatalogue().get("special-campaign-binh-luong")


def _new(store: SqliteCampaignStore, iid: str = "bl") -> None:
    c = Campaign.new(DEFINITION, iid, on=date(2024, 9, 20))
    c.issue(on=date(2024, 9, 20))
    c.launch(on=date(2024, 9, 25))
    store.create(c.to_state())


def test_round_trip_and_log() -> None:
    with SqliteCampaignStore() as store:
        _new(store)
        store.update(DEFINITION, "bl", lambda c: c.advance(to=date(2025, 2, 10)))
        store.update(
            DEFINITION, "bl", lambda c: c.submit_report("interim-report-1", on=date(2025, 2, 11))
        )
        c = store.open(DEFINITION, "bl")
        assert c.state == "interim-review-1"
        assert store.log("bl") == list(c.log)
        assert store.ids() == ["bl"]
        with pytest.raises(StoreError, match="exists"):
            _new(store)
        with pytest.raises(NotFoundError):
            store.load("nope")


def test_two_writers_cannot_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with SqliteCampaignStore(db) as a, SqliteCampaignStore(db) as b:
        _new(a)
        first = a.open(DEFINITION, "bl")
        second = b.open(DEFINITION, "bl")
        rev = first.revision
        first.advance(to=date(2025, 1, 1))
        second.cancel(on=date(2024, 12, 1))
        a.save(first.to_state(), expected_revision=rev)
        with pytest.raises(ConcurrencyError, match="another writer"):
            b.save(second.to_state(), expected_revision=rev)
        assert b.open(DEFINITION, "bl").state == "phase-1"
        assert [t.trigger for t in b.log("bl")][-1] == "begin_phase"


ACTIONS: dict[str, Callable[[Campaign], object]] = {
    "advance": lambda c: c.advance(to=date(2025, 1, 1)),  # -> phase-1
    "cancel": lambda c: c.cancel(on=date(2024, 12, 1), by="BCĐ"),  # -> cancelled
}


def _racing_writer(
    db: Path, iid: str, name: str, loaded: threading.Barrier, acted: threading.Barrier
) -> tuple[str, Campaign, ConcurrencyError | None]:
    """Load the instance, wait until the other writer has loaded it too, act, wait until
    the other has acted too, then save: what the writer did, and its ConcurrencyError."""
    seen: list[Campaign] = []

    def act(c: Campaign) -> None:
        loaded.wait()  # both writers have read the same revision
        ACTIONS[name](c)
        seen.append(c)
        acted.wait()  # both save at once

    with SqliteCampaignStore(db) as store:  # its own connection, in its own thread
        try:
            store.update(DEFINITION, iid, act)
        except ConcurrencyError as exc:
            return name, seen[0], exc
    return name, seen[0], None


def test_two_concurrent_writers_exactly_one_wins(tmp_path: Path) -> None:
    """Two threads, each with its own connection to the same file, load the same revision
    (a barrier makes sure both have read it before either writes), change the instance
    and save at the same time: one save wins, the other gets ConcurrencyError, and the
    stored state and audit log are exactly the winner's. Repeated on fresh instances."""
    db = tmp_path / "c.db"
    rounds = 5
    with SqliteCampaignStore(db) as setup:
        for n in range(rounds):
            _new(setup, f"bl-{n}")
    for n in range(rounds):
        iid = f"bl-{n}"
        loaded, acted = threading.Barrier(2, timeout=10), threading.Barrier(2, timeout=10)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(_racing_writer, db, iid, name, loaded, acted) for name in ACTIONS
            ]
            results = [f.result() for f in futures]
        winners = [(name, c) for name, c, exc in results if exc is None]
        losers = [exc for _, _, exc in results if exc is not None]
        assert len(winners) == 1 and len(losers) == 1, results
        assert "another writer" in str(losers[0])
        name, winner = winners[0]
        with SqliteCampaignStore(db) as check:
            stored = check.open(DEFINITION, iid)
            assert stored == winner  # the winner's state, nothing of the loser's
            assert check.log(iid) == list(winner.log)
            assert stored.state == ("phase-1" if name == "advance" else "cancelled")


CRASHER = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    from emulation_rules.campaigns import Campaign, CampaignCatalogue, SqliteCampaignStore

    class Crashing(SqliteCampaignStore):
        def _write_audit(self, rows):
            super()._write_audit(rows[:1])   # half the audit rows written...
            os._exit(9)                      # ...and the writer dies before COMMIT

    d = CampaignCatalogue().get("special-campaign-binh-luong")
    store = Crashing(sys.argv[1])
    store.update(d, "bl", lambda c: c.advance(to=date(2025, 9, 1)))
    """
)


def test_killed_writer_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with SqliteCampaignStore(db) as store:
        _new(store)
        before_state = store.load("bl")
        before_log = store.log("bl")
    proc = subprocess.run([sys.executable, "-c", CRASHER, str(db)], capture_output=True)
    assert proc.returncode == 9, proc.stderr.decode()
    with SqliteCampaignStore(db) as store:
        assert store.load("bl") == before_state  # nothing half-written
        assert store.log("bl") == before_log
        # and the instance still moves on
        store.update(DEFINITION, "bl", lambda c: c.advance(to=date(2025, 9, 1)))
        assert store.open(DEFINITION, "bl").state == "final-review"
        assert len(store.log("bl")) == len(before_log) + 4
