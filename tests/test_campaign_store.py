"""The SQLite store: round trips, the version check, and a writer killed mid-transaction."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from emulation_rules.campaigns import CampaignCatalogue, SqliteCampaignStore
from emulation_rules.errors import ConcurrencyError, NotFoundError, StoreError

DEFINITION = CampaignCatalogue().get("special-campaign-binh-luong")


def _new(store: SqliteCampaignStore, iid: str = "bl") -> None:
    c = DEFINITION.start(iid, on=date(2024, 9, 20))
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


CRASHER = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    from emulation_rules.campaigns import CampaignCatalogue, SqliteCampaignStore

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
