"""Where the events live: the database URL, the recorder, and the append-only guard.

``LEDGER_DATABASE_URL`` is an SQLAlchemy URL. SQLite files use the
eventsourcing library's own SQLite recorder and PostgreSQL its psycopg
recorder: both were measured faster than eventsourcing-sqlalchemy for reading
the log (DESIGN.md), and the PostgreSQL one follows the log with LISTEN/NOTIFY.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import sql
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from domain.errors import OperationalFailure
from domain.memory_log import MemoryRecorder

SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")
"""The PostgreSQL schema names the ledger takes: ones that need no quoting anywhere (the
library names its types in the schema unquoted)."""


class StorageError(OperationalFailure):
    """The database URL is malformed, or the database is missing or unreachable."""


@dataclass(frozen=True)
class Database:
    """A parsed ``LEDGER_DATABASE_URL``."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> Database:
        try:
            url = make_url(text)
        except ArgumentError:
            raise StorageError(f"LEDGER_DATABASE_URL is not a database URL: {text!r}") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise StorageError(
                f"LEDGER_DATABASE_URL must be sqlite:/// or postgresql://, not {text!r}"
            )
        if url.get_backend_name() == "sqlite" and not url.database:
            raise StorageError("an SQLite LEDGER_DATABASE_URL needs a file path")
        database = cls(url)
        if not database.is_sqlite and not SCHEMA_NAME.fullmatch(database.schema):
            raise StorageError(
                f"LEDGER_DATABASE_URL: schema {database.schema!r} must be lower-case letters, "
                "digits, _ and $ (up to 63, starting with a letter or _)"
            )
        return database

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return Path(str(self.url.database))

    @property
    def schema(self) -> str:
        value = self.url.query.get("schema", "public")
        return value if isinstance(value, str) else value[0]

    def exists(self) -> bool:
        """For SQLite: whether the file is there. PostgreSQL is checked on connect."""
        return not self.is_sqlite or self.sqlite_path.exists()

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for this database."""
        if self.is_sqlite:
            if not self.sqlite_path.parent.is_dir():
                raise StorageError(f"no directory {self.sqlite_path.parent} for the SQLite file")
            return {
                "PERSISTENCE_MODULE": "domain.signed_log:SignedSQLiteFactory",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        url = self.url
        return {
            "PERSISTENCE_MODULE": "domain.signed_log:SignedPostgresFactory",
            "POSTGRES_DBNAME": str(url.database or "postgres"),
            "POSTGRES_HOST": str(url.host or "127.0.0.1"),
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": str(url.username or "postgres"),
            "POSTGRES_PASSWORD": str(url.password or ""),
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }


SIGNATURES = "ledger_signatures"
"""The table of the signatures over the log's rows (``domain.signed_log``)."""

SETUP_LOCK_SUFFIX = ".setup-lock"
SETUP_TIMEOUT_SECONDS = 60


@contextmanager
def setting_up(database: Database) -> Iterator[None]:
    """Hold the database's set-up lock for the block, where a process creates or alters
    the ledger's tables: the log's (the library's own CREATE TABLE), its append-only
    guard, the read models'. Any number of processes may then start at once on a new
    database: they set it up one at a time, each finding what the one before it made.

    PostgreSQL: a session-level advisory lock keyed on the schema's name, on a
    connection of its own (closing it lets the lock go, even if the process dies), and
    the schema is created under it if missing. SQLite: an exclusive lock on a file
    beside the database (``<database>.setup-lock``); where that file cannot be made (a
    directory this user cannot write to, so no set-up either), none.
    """
    if database.is_sqlite:
        with _setup_file_lock(database):
            yield
        return
    with _postgres_connection(database) as conn:
        conn.execute(
            sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{SETUP_TIMEOUT_SECONDS}s"))
        )
        try:
            conn.execute("SELECT pg_advisory_lock(%s)", (setup_lock_key(database.schema),))
        except psycopg.errors.LockNotAvailable:
            raise StorageError(_held_too_long(f"schema {database.schema}")) from None
        _create_schema(conn, database.schema)
        yield


def setup_lock_key(schema: str) -> int:
    """The advisory lock key of set-up in ``schema`` (a signed 64-bit integer)."""
    digest = hashlib.sha256(f"supervision-ledger set-up: {schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _create_schema(conn: psycopg.Connection[Any], schema: str) -> None:
    """Create ``schema`` if missing; asked first, so that a user without the right to
    create schemas can use one made for it."""
    if schema == "public":
        return
    if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone():
        return
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


def _postgres_connection(database: Database) -> psycopg.Connection[Any]:
    env = database.eventsourcing_env()
    return psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        autocommit=True,
        connect_timeout=5,
    )


@contextmanager
def _setup_file_lock(database: Database) -> Iterator[None]:
    path = str(database.sqlite_path)
    if path == ":memory:":
        yield
        return
    try:
        descriptor = os.open(path + SETUP_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        try:  # made by another user: a lock needs no write access
            descriptor = os.open(path + SETUP_LOCK_SUFFIX, os.O_RDONLY)
        except (FileNotFoundError, PermissionError):
            descriptor = -1
    except FileNotFoundError:  # no such directory: the set-up itself says so
        descriptor = -1
    if descriptor < 0:
        yield
        return
    try:
        deadline = time.monotonic() + SETUP_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StorageError(_held_too_long(path)) from None
                time.sleep(0.005)
        yield
    finally:
        os.close(descriptor)  # closing lets the lock go


def _held_too_long(what: str) -> str:
    return (
        f"another process has been setting up the ledger in {what} for more than "
        f"{SETUP_TIMEOUT_SECONDS} s"
    )


def events_table(recorder: ApplicationRecorder) -> str:
    """The qualified name of the table holding the log."""
    if isinstance(recorder, PostgresApplicationRecorder):
        return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
    if isinstance(recorder, SQLiteApplicationRecorder):
        return recorder.events_table_name
    raise StorageError(f"unsupported recorder {type(recorder).__name__}")


def event_position(recorder: ApplicationRecorder, item_id: UUID, version: int) -> int:
    """The log position (notification id) of version ``version`` of ``item_id``."""
    if isinstance(recorder, MemoryRecorder):
        found = recorder.positions(item_id).get(version)
        rows = [] if found is None else [(found,)]
    else:
        rows = run_sql(recorder, _position_sql(recorder), (_id_param(recorder, item_id), version))
    if not rows:
        raise StorageError(f"no event {version} of {item_id} in the log")
    return int(rows[0][0])


def item_positions(recorder: ApplicationRecorder, item_id: UUID) -> dict[int, int]:
    """The log position of each version of ``item_id`` (one query)."""
    if isinstance(recorder, MemoryRecorder):
        return recorder.positions(item_id)
    column = "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"
    sql = (
        f"SELECT originator_version, {column} FROM {events_table(recorder)} WHERE originator_id = ?"
    )
    return {int(v): int(p) for v, p in run_sql(recorder, sql, (_id_param(recorder, item_id),))}


def install_append_only_guard(recorder: ApplicationRecorder) -> None:
    """Make the database itself refuse UPDATE, DELETE (and TRUNCATE) on the log and on
    its signatures."""
    for table in _guarded_tables(recorder):
        if isinstance(recorder, SQLiteApplicationRecorder):
            for op in ("UPDATE", "DELETE"):
                run_sql(
                    recorder,
                    (
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} "
                        f"ON {table} BEGIN SELECT RAISE(ABORT, "
                        f"'ledger {_kind(table)} are append-only: {op} refused'); END"
                    ),
                    (),
                )
            continue
        assert isinstance(recorder, PostgresApplicationRecorder)
        schema = f'"{recorder.datastore.schema}"'
        for statement in _postgres_guard(schema, table):
            run_sql(recorder, statement, ())


def _guarded_tables(recorder: ApplicationRecorder) -> list[str]:
    """The log's table, and the signatures' where the recorder signs."""
    tables = [events_table(recorder)]
    if run_sql(recorder, _table_exists_sql(recorder), (SIGNATURES,)):
        tables.append(
            SIGNATURES
            if isinstance(recorder, SQLiteApplicationRecorder)
            else f'"{recorder.datastore.schema}"."{SIGNATURES}"'  # type: ignore[attr-defined]
        )
    return tables


def _kind(table: str) -> str:
    return "signatures" if SIGNATURES in table else "events"


def _table_exists_sql(recorder: ApplicationRecorder) -> str:
    if isinstance(recorder, SQLiteApplicationRecorder):
        return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    schema = recorder.datastore.schema  # type: ignore[attr-defined]
    return f"SELECT 1 FROM pg_tables WHERE schemaname = '{schema}' AND tablename = ?"


def run_sql(recorder: ApplicationRecorder, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Run one statement in its own committed transaction on the recorder's database."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    assert isinstance(recorder, PostgresApplicationRecorder)
    with recorder.datastore.transaction(commit=True) as pg_cursor:
        pg_cursor.execute(sql.replace("?", "%s").encode(), params or None)
        return (
            [tuple(row.values()) for row in pg_cursor.fetchall()] if pg_cursor.description else []
        )


def _position_sql(recorder: ApplicationRecorder) -> str:
    column = "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"
    return (
        f"SELECT {column} FROM {events_table(recorder)} "
        "WHERE originator_id = ? AND originator_version = ?"
    )


def _id_param(recorder: ApplicationRecorder, item_id: UUID) -> Any:
    return item_id.hex if isinstance(recorder, SQLiteApplicationRecorder) else item_id


def _postgres_guard(schema: str, table: str) -> list[str]:
    function = f"{schema}.ledger_refuse_change"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'ledger events are append-only: % refused', TG_OP; END $$",
        f"CREATE OR REPLACE TRIGGER ledger_events_no_change BEFORE UPDATE OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE OR REPLACE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]
