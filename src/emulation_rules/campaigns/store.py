"""Keeping campaign instances in a database.

:class:`CampaignStore` is the small protocol the library needs; a host may implement it
on its own database. :class:`SqliteCampaignStore` is the embedded default (standard
library ``sqlite3``; a file or ``:memory:``). Every save writes the state and its new
audit entries in one transaction, and only if nobody saved the instance since it was
loaded (its ``revision`` is the version checked); the loser gets a
:class:`ConcurrencyError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.state import (
    CampaignState,
    Transition,
    state_from_json,
    state_to_json,
)
from emulation_rules.errors import (
    CampaignError,
    ConcurrencyError,
    NotFoundError,
    StoreError,
    brief,
)
from emulation_rules.text import nfc

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaign (
    instance_id TEXT PRIMARY KEY,
    definition_id TEXT NOT NULL,
    definition_sha256 TEXT NOT NULL,
    state TEXT NOT NULL,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submission (
    instance_id TEXT NOT NULL REFERENCES campaign(instance_id),
    report TEXT NOT NULL,
    on_date TEXT NOT NULL,
    by TEXT NOT NULL,
    PRIMARY KEY (instance_id, report)
);
CREATE TABLE IF NOT EXISTS audit (
    instance_id TEXT NOT NULL REFERENCES campaign(instance_id),
    seq INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    by TEXT NOT NULL,
    trigger TEXT NOT NULL,
    source TEXT NOT NULL,
    dest TEXT NOT NULL,
    subject TEXT,
    note TEXT,
    PRIMARY KEY (instance_id, seq)
);
"""


class CampaignStore(Protocol):
    """What the library needs from a database of campaign instances."""

    def create(self, state: CampaignState) -> None:
        """Store a new instance (``StoreError`` if its id is taken)."""

    def load(self, instance_id: str) -> CampaignState:
        """The stored state (``NotFoundError`` if there is none)."""

    def save(self, state: CampaignState, *, expected_revision: int) -> None:
        """Replace the stored state and append its new audit entries, atomically, if the
        stored revision is still ``expected_revision`` (else ``ConcurrencyError``)."""

    def log(self, instance_id: str) -> list[Transition]:
        """The audit log of an instance, oldest first."""

    def ids(self) -> list[str]:
        """Every stored instance id, sorted."""


class SqliteCampaignStore:
    """A :class:`CampaignStore` in SQLite: ``SqliteCampaignStore("campaigns.db")`` or
    ``SqliteCampaignStore(":memory:")``. Use it as a context manager, or call
    :meth:`close`. With ``create=False`` the file must already hold a campaign store
    (``StoreError`` "no campaign store at PATH" otherwise): it is never created, so a
    mistyped path read by ``campaign log`` leaves no new file behind."""

    def __init__(
        self, path: str | Path = ":memory:", *, timeout: float = 5.0, create: bool = True
    ) -> None:
        name = str(path)
        if not create and name != ":memory:":
            self._db = self._open_existing(Path(path), timeout)
        else:
            try:
                self._db = sqlite3.connect(name, timeout=timeout, isolation_level=None)
                self._db.executescript(SCHEMA)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open campaign store {path}: {exc}") from None
        self.path = name

    @staticmethod
    def _open_existing(path: Path, timeout: float) -> sqlite3.Connection:
        """A connection to an existing store (SQLite's ``mode=rw``: never creates a file)."""
        if not path.is_file():
            raise StoreError(f"no campaign store at {path}")
        try:
            db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                timeout=timeout,
                isolation_level=None,
                uri=True,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open campaign store {path}: {exc}") from None
        try:
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'campaign'"
            ).fetchone()
        except sqlite3.Error as exc:
            db.close()
            raise StoreError(f"{path} is not a campaign store: {exc}") from None
        if found is None:
            db.close()
            raise StoreError(f"no campaign store at {path} (the file has no campaign table)")
        return db

    def __enter__(self) -> SqliteCampaignStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- protocol ----------------------------------------------------------------
    def create(self, state: CampaignState) -> None:
        """Store a new instance with its whole audit log."""

        def write() -> None:
            try:
                self._db.execute(
                    "INSERT INTO campaign VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        state.instance_id,
                        state.definition_id,
                        state.definition_sha256,
                        state.state,
                        state.revision,
                        state_to_json(state),
                    ),
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"campaign instance {state.instance_id!r} exists") from None
            self._append(state, 0, 0)

        self._transaction(write)

    def load(self, instance_id: str) -> CampaignState:
        """The stored state of an instance (its id in either Unicode spelling)."""
        instance_id = nfc(instance_id)
        row = self._query_one("SELECT data FROM campaign WHERE instance_id = ?", (instance_id,))
        if row is None:
            raise NotFoundError(f"no campaign instance {instance_id!r} in {self.path}")
        return self._state(instance_id, row[0])

    def save(self, state: CampaignState, *, expected_revision: int) -> None:
        """Write a changed state if nobody else did since ``expected_revision``."""

        def write() -> None:
            row = self._db.execute(
                "SELECT revision, data FROM campaign WHERE instance_id = ?",
                (state.instance_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no campaign instance {state.instance_id!r} in {self.path}")
            if row[0] != expected_revision:
                raise ConcurrencyError(
                    f"campaign instance {state.instance_id!r} was changed by another writer "
                    f"(revision {row[0]}, expected {expected_revision}); reload and retry"
                )
            old = self._state(state.instance_id, row[1])
            self._db.execute(
                "UPDATE campaign SET state = ?, revision = ?, data = ? "
                "WHERE instance_id = ? AND revision = ?",
                (
                    state.state,
                    state.revision,
                    state_to_json(state),
                    state.instance_id,
                    expected_revision,
                ),
            )
            self._append(state, len(old.log), len(old.submissions))

        self._transaction(write)

    def log(self, instance_id: str) -> list[Transition]:
        """The audit log, read from its own table."""
        instance_id = nfc(instance_id)
        rows = self._query(
            "SELECT seq, on_date, by, trigger, source, dest, subject, note FROM audit "
            "WHERE instance_id = ? ORDER BY seq",
            (instance_id,),
        )
        if (
            not rows
            and self._query_one("SELECT 1 FROM campaign WHERE instance_id = ?", (instance_id,))
            is None
        ):
            raise NotFoundError(f"no campaign instance {instance_id!r} in {self.path}")
        return [self._transition(instance_id, r) for r in rows]

    def ids(self) -> list[str]:
        """Every stored instance id."""
        return [r[0] for r in self._query("SELECT instance_id FROM campaign ORDER BY 1", ())]

    # -- convenience -------------------------------------------------------------------
    def start(self, definition: CampaignDefinition, campaign: Campaign) -> None:
        """Store a new campaign instance."""
        self.create(campaign.to_state())

    def open(self, definition: CampaignDefinition, instance_id: str) -> Campaign:
        """Restore a stored instance of ``definition``."""
        return Campaign(definition, self.load(instance_id))

    def update(
        self, definition: CampaignDefinition, instance_id: str, action: Callable[[Campaign], T]
    ) -> T:
        """Load an instance, run ``action`` on it (triggers, advance, ...) and save it with
        the version check; returns what ``action`` returned."""
        campaign = self.open(definition, instance_id)
        before = campaign.revision
        result = action(campaign)
        if campaign.revision != before:
            self.save(campaign.to_state(), expected_revision=before)
        return result

    # -- internals -------------------------------------------------------------------------
    def _damaged(self, table: str, instance_id: str, where: str, problem: str) -> StoreError:
        return StoreError(
            f"campaign store {self.path} is damaged: table {table}, instance "
            f"{brief(instance_id)}{where}: {problem}"
        )

    def _state(self, instance_id: str, data: object) -> CampaignState:
        """The state stored in a row of ``campaign``; a damaged one is a StoreError."""
        if not isinstance(data, str | bytes):
            raise self._damaged("campaign", instance_id, ", column data", "not JSON text")
        try:
            return state_from_json(data)
        except CampaignError as exc:
            raise self._damaged("campaign", instance_id, ", column data", str(exc)) from None

    def _transition(self, instance_id: str, row: tuple[Any, ...]) -> Transition:
        """One row of ``audit``; a damaged one is a StoreError naming its column."""
        try:
            on = date.fromisoformat(row[1]) if isinstance(row[1], str) else None
        except ValueError:
            on = None
        if on is None:
            problem = f"column on_date: not a date YYYY-MM-DD: {brief(row[1])}"
            raise self._damaged("audit", instance_id, f", seq {brief(row[0])}", problem)
        return Transition(row[0], on, row[2], row[3], row[4], row[5], row[6], row[7])

    def _append(self, state: CampaignState, log_from: int, subs_from: int) -> None:
        self._db.executemany(
            "INSERT INTO submission VALUES (?, ?, ?, ?)",
            [
                (state.instance_id, s.report, s.on.isoformat(), s.by)
                for s in state.submissions[subs_from:]
            ],
        )
        self._write_audit(
            [
                (
                    state.instance_id,
                    t.seq,
                    t.on.isoformat(),
                    t.by,
                    t.trigger,
                    t.source,
                    t.dest,
                    t.subject,
                    t.note,
                )
                for t in state.log[log_from:]
            ]
        )

    def _write_audit(self, rows: list[tuple[object, ...]]) -> None:
        self._db.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _transaction(self, write: Callable[[], None]) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"campaign store {self.path} is busy: {exc}") from None
        try:
            write()
            self._db.execute("COMMIT")
        except BaseException as exc:
            self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | UnicodeEncodeError):
                raise StoreError(f"campaign store {self.path}: {_reason(exc)}") from None
            raise

    def _query(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        try:
            return list(self._db.execute(sql, params).fetchall())
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            raise StoreError(f"campaign store {self.path}: {_reason(exc)}") from None

    def _query_one(self, sql: str, params: tuple[object, ...]) -> tuple[Any, ...] | None:
        rows = self._query(sql, params)
        return rows[0] if rows else None


def _reason(exc: Exception) -> str:
    """Why SQLite refused: its message, or a text that is not Unicode (a lone surrogate,
    as a file name or an argument in bytes that are not UTF-8 gives)."""
    if isinstance(exc, UnicodeEncodeError):
        return "a text holds a lone surrogate (it is not Unicode), e.g. in the instance id"
    return str(exc)
