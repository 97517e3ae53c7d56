"""The set-up lock on PostgreSQL (``domain.storage.setting_up``), and the schema made under it.

Imported only once the database URL has named PostgreSQL: it loads psycopg, which a
ledger on SQLite never needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from domain.errors import StorageError
from domain.storage import SETUP_TIMEOUT_SECONDS, Database, held_too_long, setup_lock_key


@contextmanager
def postgres_setup_lock(database: Database) -> Iterator[None]:
    """Hold a session-level advisory lock keyed on the schema's name for the block, on a
    connection of its own (closing it lets the lock go, even if the process dies); the
    schema is created under it if missing."""
    with _postgres_connection(database) as conn:
        conn.execute(
            sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{SETUP_TIMEOUT_SECONDS}s"))
        )
        try:
            conn.execute("SELECT pg_advisory_lock(%s)", (setup_lock_key(database.schema),))
        except psycopg.errors.LockNotAvailable:
            raise StorageError(held_too_long(f"schema {database.schema}")) from None
        _create_schema(conn, database.schema)
        yield


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
