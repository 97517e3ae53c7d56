"""Where the events live: the database URL, the recorder, and the append-only guard.

``LEDGER_DATABASE_URL`` is an SQLAlchemy URL. SQLite files use the
eventsourcing library's own SQLite recorder and PostgreSQL its psycopg
recorder: both were measured faster than eventsourcing-sqlalchemy for reading
the log (DESIGN.md), and the PostgreSQL one follows the log with LISTEN/NOTIFY.
"""

from __future__ import annotations

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

from domain.errors import LedgerError


class StorageError(LedgerError):
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
        return cls(url)

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
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        url = self.url
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": str(url.database or "postgres"),
            "POSTGRES_HOST": str(url.host or "127.0.0.1"),
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": str(url.username or "postgres"),
            "POSTGRES_PASSWORD": str(url.password or ""),
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }


def ensure_schema(database: Database) -> None:
    """On PostgreSQL, create the URL's schema if it is not there yet."""
    if database.is_sqlite or database.schema == "public":
        return
    env = database.eventsourcing_env()
    with psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(database.schema))
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
    rows = run_sql(recorder, _position_sql(recorder), (_id_param(recorder, item_id), version))
    if not rows:
        raise StorageError(f"no event {version} of {item_id} in the log")
    return int(rows[0][0])


def item_positions(recorder: ApplicationRecorder, item_id: UUID) -> dict[int, int]:
    """The log position of each version of ``item_id`` (one query)."""
    column = "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"
    sql = (
        f"SELECT originator_version, {column} FROM {events_table(recorder)} WHERE originator_id = ?"
    )
    return {int(v): int(p) for v, p in run_sql(recorder, sql, (_id_param(recorder, item_id),))}


def install_append_only_guard(recorder: ApplicationRecorder) -> None:
    """Make the database itself refuse UPDATE, DELETE (and TRUNCATE) on the log."""
    table = events_table(recorder)
    if isinstance(recorder, SQLiteApplicationRecorder):
        for op in ("UPDATE", "DELETE"):
            run_sql(
                recorder,
                (
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: {op} refused'); END"
                ),
                (),
            )
        return
    assert isinstance(recorder, PostgresApplicationRecorder)
    schema = f'"{recorder.datastore.schema}"'
    for statement in _postgres_guard(schema, table):
        run_sql(recorder, statement, ())


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
