"""The SQLAlchemy engine for the read models: the same database as the log."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from domain.storage import Database

WAL_PAGES = 10000
WRITER = {"ledger_writer": True}
"""Execution options of a connection that writes: on SQLite it takes the write lock
when its transaction begins (BEGIN IMMEDIATE), so what it reads first is what it writes
against."""


def read_model_engine(database: Database) -> Engine:
    """An engine on ``database``: on PostgreSQL with its ``schema`` as the search path."""
    if database.is_sqlite:
        engine = create_engine(
            f"sqlite:///{database.sqlite_path}",
            connect_args={"timeout": 30, "isolation_level": None},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    url = database.url.difference_update_query(["schema"])
    return create_engine(
        url, pool_pre_ping=True, connect_args={"options": f"-c search_path={database.schema}"}
    )


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("ledger_writer", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
