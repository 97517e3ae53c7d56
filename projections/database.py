"""The SQLAlchemy engine for the read models: the same database as the log."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from domain.storage import Database


def read_model_engine(database: Database) -> Engine:
    """An engine on ``database``: on PostgreSQL with its ``schema`` as the search path."""
    if database.is_sqlite:
        engine = create_engine(f"sqlite:///{database.sqlite_path}", connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    url = database.url.difference_update_query(["schema"])
    return create_engine(
        url, pool_pre_ping=True, connect_args={"options": f"-c search_path={database.schema}"}
    )


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
