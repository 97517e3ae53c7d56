"""The SQLAlchemy engine for the read models: the same database as the log."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from domain.storage import Database, setting_up

WAL_PAGES = 10000
WRITER = {"ledger_writer": True}
"""Execution options of a connection that writes: on SQLite it takes the write lock
when its transaction begins (BEGIN IMMEDIATE), so what it reads first is what it writes
against."""
TURN_SUFFIX = ".writers"
LINE_SUFFIX = ".writers-queue"
MAX_POLL_SECONDS = 0.016
TURN_TIMEOUT_SECONDS = 30
_DATABASES: WeakKeyDictionary[Engine, Database] = WeakKeyDictionary()
"""The ledger database of each engine ``read_model_engine`` made."""


@contextmanager
def setting_up_read_models(engine: Engine) -> Iterator[None]:
    """The database's set-up lock (``domain.storage.setting_up``), held while the read
    models' tables are created or made anew, one process at a time."""
    with setting_up(_DATABASES.get(engine) or Database(engine.url)):
        yield


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that writes read models, committed on leaving.

    On SQLite, writers of read models first wait their turn on file locks beside the
    database, asking every millisecond, where SQLite's own busy wait sleeps in steps of
    up to 100 ms and would leave the database idle between two workers' batches. The
    turns are fair (see ``_turn``).
    """
    with _turn(engine), engine.connect() as conn, conn.execution_options(**WRITER).begin():
        yield conn


@contextmanager
def _turn(engine: Engine) -> Iterator[None]:
    """A writer's turn, taken in line: first the line's lock (``<database>.writers-queue``),
    then the turn's (``<database>.writers``), then the line's is let go. A writer that
    has just had its turn and wants another finds the line held by one already waiting,
    so the turn passes to that one first: a writer whose batches take little preparing
    would otherwise take every turn in a row. Without a line file (one that cannot be
    made, in a directory this user cannot write to) writers only take turns."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    deadline = time.monotonic() + TURN_TIMEOUT_SECONDS
    turn = _open_turn_file(path + TURN_SUFFIX)
    try:
        line = _open_line_file(path + LINE_SUFFIX)
        try:
            if line is not None:
                _wait_for(line, deadline, path)
            _wait_for(turn, deadline, path)
        finally:
            if line is not None:
                os.close(line)  # closing releases the lock
        yield
    finally:
        os.close(turn)


def _open_turn_file(path: str) -> int:
    """A lock file, made if missing; read-only when another user made it (a lock needs
    no write access)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        return os.open(path, os.O_RDONLY)


def _open_line_file(path: str) -> int | None:
    """The line's lock file, or None where it is missing and cannot be made."""
    try:
        return _open_turn_file(path)
    except (FileNotFoundError, PermissionError):
        return None


def _wait_for(descriptor: int, deadline: float, database: str) -> None:
    """Take the lock, polling (a blocking wait could not time out) from every millisecond,
    for a turn handed over at once, to every ``MAX_POLL_SECONDS`` for a long wait, so a
    writer kept waiting costs next to nothing, until ``deadline``: at most
    ``TURN_TIMEOUT_SECONDS`` in all, as long as SQLite itself would wait."""
    pause = 0.001
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise WriterTurnTimeout(
                    f"another writer of {database}'s read models held its turn for "
                    f"{TURN_TIMEOUT_SECONDS} s"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, MAX_POLL_SECONDS)


class WriterTurnTimeout(TimeoutError):
    """Another read-model writer kept the turn for too long."""


def read_model_engine(database: Database) -> Engine:
    """An engine on ``database``: on PostgreSQL with its ``schema`` as the search path."""
    if database.is_sqlite:
        engine = create_engine(
            f"sqlite:///{database.sqlite_path}",
            connect_args={"timeout": TURN_TIMEOUT_SECONDS, "isolation_level": None},
            pool_use_lifo=True,  # the connection just let go: the audit rows it staged (audit.py)
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(
            database.url.difference_update_query(["schema"]),
            pool_pre_ping=True,
            connect_args={"options": f"-c search_path={database.schema}"},
        )
    _DATABASES[engine] = database
    return engine


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("ledger_writer", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
