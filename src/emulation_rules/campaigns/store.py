"""Keeping campaign instances in a database.

:class:`CampaignStore` is the small protocol the library needs; a host may implement it
on its own database. :class:`SqliteCampaignStore` is the embedded default (standard
library ``sqlite3``; a file or ``:memory:``). Every save writes the state and its new
audit entries in one transaction, and only if nobody saved the instance since it was
loaded (its ``revision`` is the version checked); the loser gets a
:class:`ConcurrencyError`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs

from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.events import Hooks, events_between
from emulation_rules.campaigns.state import (
    CampaignState,
    Transition,
    state_from_json,
    state_to_json,
)
from emulation_rules.errors import (
    Bilingual,
    CampaignError,
    ConcurrencyError,
    NotFoundError,
    StoreError,
    brief,
)
from emulation_rules.text import nfc

T = TypeVar("T")

_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@attrs.frozen
class Migration:
    """One step of the store's schema: the version it brings the store to, what it does,
    and its SQL statements (``{p}`` stands for the table prefix)."""

    version: int
    what: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "the instances, their submissions and their audit log",
        (
            """CREATE TABLE IF NOT EXISTS {p}campaign (
                instance_id TEXT PRIMARY KEY,
                definition_id TEXT NOT NULL,
                definition_sha256 TEXT NOT NULL,
                state TEXT NOT NULL,
                revision INTEGER NOT NULL,
                data TEXT NOT NULL)""",
            """CREATE TABLE IF NOT EXISTS {p}submission (
                instance_id TEXT NOT NULL REFERENCES {p}campaign(instance_id),
                report TEXT NOT NULL,
                on_date TEXT NOT NULL,
                by TEXT NOT NULL,
                PRIMARY KEY (instance_id, report))""",
            """CREATE TABLE IF NOT EXISTS {p}audit (
                instance_id TEXT NOT NULL REFERENCES {p}campaign(instance_id),
                seq INTEGER NOT NULL,
                on_date TEXT NOT NULL,
                by TEXT NOT NULL,
                trigger TEXT NOT NULL,
                source TEXT NOT NULL,
                dest TEXT NOT NULL,
                subject TEXT,
                note TEXT,
                PRIMARY KEY (instance_id, seq))""",
        ),
    ),
    Migration(
        2,
        "the audit log keeps the date each step was recorded beside the date it takes effect",
        ("ALTER TABLE {p}audit ADD COLUMN recorded_on TEXT",),
    ),
)
"""The schema's steps in order; a store is brought to the last version when opened (a
store made before versions were kept is version 1). The next change is one more entry."""

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The version of the schema this library writes."""


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
    """A :class:`CampaignStore` in SQLite: ``SqliteCampaignStore("campaigns.db")``,
    ``SqliteCampaignStore(":memory:")``, or on the host's own connection,
    ``SqliteCampaignStore(connection, prefix="er_", own_transactions=False)``.

    ``prefix`` is put before each table's name (``er_campaign``, ``er_submission``,
    ``er_audit``, ``er_schema_version``), so the tables live beside the host's. With
    ``own_transactions=False`` the store never commits nor rolls back: each write runs in
    a savepoint inside the caller's transaction (one is begun if none is open), and the
    host's commit or rollback decides. The store is brought to :data:`SCHEMA_VERSION`
    when opened (:data:`MIGRATIONS`).

    Use it as a context manager, or call :meth:`close` (a connection the host gave is
    left open). With ``create=False`` a file must already hold a campaign store
    (``StoreError`` "no campaign store at PATH" otherwise): it is never created, so a
    mistyped path read by ``campaign log`` leaves no new file behind."""

    def __init__(
        self,
        path: str | Path | sqlite3.Connection = ":memory:",
        *,
        timeout: float = 5.0,
        create: bool = True,
        prefix: str = "",
        own_transactions: bool = True,
    ) -> None:
        if prefix and not _PREFIX_RE.match(prefix):
            raise StoreError(
                f"table prefix {prefix!r} must be letters, digits and _ (not first a digit)",
                message_vi=f"tiền tố bảng {prefix!r} chỉ gồm chữ, số và dấu _ "
                "(không bắt đầu bằng số)",
            )
        self.prefix = prefix
        self.own_transactions = own_transactions
        self._owned = not isinstance(path, sqlite3.Connection)
        if isinstance(path, sqlite3.Connection):
            self._db = path
            self.path = f"(host connection{', tables ' + prefix + '*' if prefix else ''})"
        else:
            name = str(path)
            self.path = name
            if not create and name != ":memory:":
                self._db = self._open_existing(Path(path), timeout)
            else:
                try:
                    self._db = sqlite3.connect(name, timeout=timeout, isolation_level=None)
                except sqlite3.Error as exc:
                    raise _cannot_open(path, exc) from None
        self._transaction(self._migrate)  # an existing store is brought up to date too

    def _table(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def schema_version(self) -> int:
        """The version of the store's schema (0: no store yet; 1: made before versions
        were kept)."""
        version = self._table("schema_version")
        if self._has_table(version):
            row = self._db.execute(f"SELECT MAX(version) FROM {version}").fetchone()
            if row is not None and row[0] is not None:
                return int(row[0])
        return 1 if self._has_table(self._table("campaign")) else 0

    def _has_table(self, name: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return found is not None

    def _migrate(self) -> None:
        """Bring the schema to :data:`SCHEMA_VERSION`, one migration at a time."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"campaign store {self.path} has schema version {current}, newer than this "
                f"library's ({SCHEMA_VERSION}): upgrade emulation-rules",
                message_vi=f"kho phong trào {self.path} có lược đồ phiên bản {current}, mới "
                f"hơn của thư viện ({SCHEMA_VERSION}): hãy nâng cấp emulation-rules",
            )
        table = self._table("schema_version")
        self._db.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, what TEXT NOT NULL)"
        )
        if current == 1 and self._db.execute(f"SELECT 1 FROM {table}").fetchone() is None:
            self._db.execute(f"INSERT INTO {table} VALUES (1, ?)", (MIGRATIONS[0].what,))
        for step in MIGRATIONS:
            if step.version <= current:
                continue
            for sql in step.statements:
                self._db.execute(sql.format(p=self.prefix))
            self._db.execute(f"INSERT INTO {table} VALUES (?, ?)", (step.version, step.what))

    def _open_existing(self, path: Path, timeout: float) -> sqlite3.Connection:
        """A connection to an existing store (SQLite's ``mode=rw``: never creates a file)."""
        if not path.is_file():
            raise StoreError(
                f"no campaign store at {path}", message_vi=f"không có kho phong trào tại {path}"
            )
        try:
            db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                timeout=timeout,
                isolation_level=None,
                uri=True,
            )
        except sqlite3.Error as exc:
            raise _cannot_open(path, exc) from None
        try:
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (self._table("campaign"),),
            ).fetchone()
        except sqlite3.Error as exc:
            db.close()
            raise StoreError(
                f"{path} is not a campaign store: {exc}",
                message_vi=f"{path} không phải kho phong trào: {exc}",
            ) from None
        if found is None:
            db.close()
            raise StoreError(
                f"no campaign store at {path} (the file has no campaign table)",
                message_vi=f"không có kho phong trào tại {path} (tệp không có bảng campaign)",
            )
        return db

    def __enter__(self) -> SqliteCampaignStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (not one the host gave)."""
        if self._owned:
            self._db.close()

    # -- protocol ----------------------------------------------------------------
    def create(self, state: CampaignState) -> None:
        """Store a new instance with its whole audit log."""

        def write() -> None:
            try:
                self._db.execute(
                    f"INSERT INTO {self._table('campaign')} VALUES (?, ?, ?, ?, ?, ?)",
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
                raise StoreError(
                    f"campaign instance {state.instance_id!r} exists",
                    message_vi=f"phong trào {state.instance_id!r} đã có trong kho",
                ) from None
            self._append(state, 0, 0)

        self._transaction(write)

    def load(self, instance_id: str) -> CampaignState:
        """The stored state of an instance (its id in either Unicode spelling)."""
        instance_id = nfc(instance_id)
        row = self._query_one(
            f"SELECT data FROM {self._table('campaign')} WHERE instance_id = ?", (instance_id,)
        )
        if row is None:
            raise self._not_found(instance_id)
        return self._state(instance_id, row[0])

    def _not_found(self, instance_id: str) -> NotFoundError:
        return NotFoundError(
            f"no campaign instance {instance_id!r} in {self.path}",
            message_vi=f"không có phong trào {instance_id!r} trong {self.path}",
        )

    def save(self, state: CampaignState, *, expected_revision: int) -> None:
        """Write a changed state if nobody else did since ``expected_revision``."""
        table = self._table("campaign")

        def write() -> None:
            row = self._db.execute(
                f"SELECT revision, data FROM {table} WHERE instance_id = ?",
                (state.instance_id,),
            ).fetchone()
            if row is None:
                raise self._not_found(state.instance_id)
            if row[0] != expected_revision:
                raise ConcurrencyError(
                    f"campaign instance {state.instance_id!r} was changed by another writer "
                    f"(revision {row[0]}, expected {expected_revision}); reload and retry",
                    message_vi=f"phong trào {state.instance_id!r} vừa được người khác thay "
                    f"đổi (lần sửa {row[0]}, cần {expected_revision}); hãy tải lại và làm lại",
                )
            old = self._state(state.instance_id, row[1])
            self._db.execute(
                f"UPDATE {table} SET state = ?, revision = ?, data = ? "
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
            "SELECT seq, on_date, by, trigger, source, dest, subject, note, recorded_on "
            f"FROM {self._table('audit')} WHERE instance_id = ? ORDER BY seq",
            (instance_id,),
        )
        if not rows and (
            self._query_one(
                f"SELECT 1 FROM {self._table('campaign')} WHERE instance_id = ?", (instance_id,)
            )
            is None
        ):
            raise self._not_found(instance_id)
        return [self._transition(instance_id, r) for r in rows]

    def ids(self) -> list[str]:
        """Every stored instance id."""
        sql = f"SELECT instance_id FROM {self._table('campaign')} ORDER BY 1"
        return [r[0] for r in self._query(sql, ())]

    # -- convenience -------------------------------------------------------------------
    def start(self, definition: CampaignDefinition, campaign: Campaign) -> None:
        """Store a new campaign instance."""
        self.create(campaign.to_state())

    def open(self, definition: CampaignDefinition, instance_id: str) -> Campaign:
        """Restore a stored instance of ``definition``."""
        return Campaign(definition, self.load(instance_id))

    def update(
        self,
        definition: CampaignDefinition,
        instance_id: str,
        action: Callable[[Campaign], T],
        *,
        hooks: Hooks | None = None,
    ) -> T:
        """Load an instance, run ``action`` on it (triggers, advance, ...) and save it with
        the version check; returns what ``action`` returned. Then, the change stored,
        ``hooks`` are told its events (:func:`events_between`); a hook that raises is
        logged and kept in ``hooks.failures`` (:class:`HookFailure`), the store
        untouched."""
        campaign = self.open(definition, instance_id)
        before = campaign.to_state()
        result = action(campaign)
        if campaign.revision != before.revision:
            after = campaign.to_state()
            self.save(after, expected_revision=before.revision)
            if hooks is not None:  # failures are logged and kept in hooks.failures
                hooks.dispatch(events_between(definition, before, after))
        return result

    # -- internals -------------------------------------------------------------------------
    def _damaged(self, table: str, instance_id: str, where: str, problem: str) -> StoreError:
        return StoreError(
            f"campaign store {self.path} is damaged: table {table}, instance "
            f"{brief(instance_id)}{where}: {problem}",
            message_vi=f"kho phong trào {self.path} bị hỏng: bảng {table}, phong trào "
            f"{brief(instance_id)}{where}: {problem}",
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
        on = _day(row[1])
        if on is None:
            problem = f"column on_date: not a date YYYY-MM-DD: {brief(row[1])}"
            raise self._damaged("audit", instance_id, f", seq {brief(row[0])}", problem)
        recorded = _day(row[8]) if row[8] is not None else None
        return Transition(row[0], on, row[2], row[3], row[4], row[5], row[6], row[7], recorded)

    def _append(self, state: CampaignState, log_from: int, subs_from: int) -> None:
        self._db.executemany(
            f"INSERT INTO {self._table('submission')} VALUES (?, ?, ?, ?)",
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
                    t.recorded_on.isoformat() if t.recorded_on is not None else None,
                )
                for t in state.log[log_from:]
            ]
        )

    def _write_audit(self, rows: list[tuple[object, ...]]) -> None:
        self._db.executemany(
            f"INSERT INTO {self._table('audit')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )

    def _transaction(self, write: Callable[[], None]) -> None:
        """Run ``write`` atomically: in its own transaction, or (``own_transactions=False``)
        in a savepoint of the caller's."""
        if not self.own_transactions:
            self._savepoint(write)
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(
                f"campaign store {self.path} is busy: {exc}",
                message_vi=f"kho phong trào {self.path} đang bận: {exc}",
            ) from None
        try:
            write()
            self._db.execute("COMMIT")
        except BaseException as exc:
            self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | UnicodeEncodeError):
                raise _failed(self.path, exc) from None
            raise

    def _savepoint(self, write: Callable[[], None]) -> None:
        db = self._db
        name = f"{self.prefix}campaign_store"
        try:
            if not db.in_transaction:
                db.execute("BEGIN")  # the host commits or rolls back, never the store
            db.execute(f"SAVEPOINT {name}")
        except sqlite3.Error as exc:
            raise _failed(self.path, exc) from None
        try:
            write()
            db.execute(f"RELEASE {name}")
        except BaseException as exc:
            db.execute(f"ROLLBACK TO {name}")
            db.execute(f"RELEASE {name}")
            if isinstance(exc, sqlite3.Error | UnicodeEncodeError):
                raise _failed(self.path, exc) from None
            raise

    def _query(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        try:
            return list(self._db.execute(sql, params).fetchall())
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            raise _failed(self.path, exc) from None

    def _query_one(self, sql: str, params: tuple[object, ...]) -> tuple[Any, ...] | None:
        rows = self._query(sql, params)
        return rows[0] if rows else None


def _day(value: object) -> date | None:
    """An ISO date from a column, or ``None``."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _cannot_open(path: object, exc: Exception) -> StoreError:
    return StoreError(
        f"cannot open campaign store {path}: {exc}",
        message_vi=f"không mở được kho phong trào {path}: {exc}",
    )


def _failed(path: str, exc: Exception) -> StoreError:
    reason = _reason(exc)
    return StoreError(
        Bilingual(f"campaign store {path}: {reason.en}", f"kho phong trào {path}: {reason.vi}")
    )


@attrs.frozen
class _Why:
    en: str
    vi: str


def _reason(exc: Exception) -> _Why:
    """Why SQLite refused: its message, or a text that is not Unicode (a lone surrogate,
    as a file name or an argument in bytes that are not UTF-8 gives)."""
    if isinstance(exc, UnicodeEncodeError):
        return _Why(
            "a text holds a lone surrogate (it is not Unicode), e.g. in the instance id",
            "một đoạn chữ chứa ký tự thay thế đơn lẻ (không phải Unicode), ví dụ trong mã "
            "phong trào",
        )
    return _Why(str(exc), str(exc))
