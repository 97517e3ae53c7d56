"""The log's rows exactly as stored, read straight from its table.

The seal and ``ledger verify`` hash the stored bytes, not events: they need no
event deserialised, nor the library's notification objects, and they read every
row of the log, so they read it with one plain query per page.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.rows import tuple_row

from domain.storage import StorageError, events_table


class StoredRow(NamedTuple):
    """One row of the log: its position, item (a dashed, lower-case UUID), version,
    topic and stored bytes."""

    position: int
    item: str
    version: int
    topic: str
    state: bytes


def stored_rows(
    recorder: ApplicationRecorder, after: int | None, until: int | None, limit: int
) -> list[StoredRow]:
    """The rows after position ``after`` up to ``until`` (inclusive), at most ``limit``
    of them, in position order; a bound of None: as far as there are rows."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_rows(recorder, _between("rowid", after, until), limit)
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres_rows(recorder, _between("notification_id", after, until), limit)
    raise StorageError(f"unsupported recorder {type(recorder).__name__}")


def _sqlite_rows(recorder: SQLiteApplicationRecorder, where: str, limit: int) -> list[StoredRow]:
    item = (
        f"CASE WHEN length(originator_id) = 32 THEN {dashed_uuid('originator_id')} "
        "ELSE originator_id END"
    )  # a value that is not 32 hex digits stays as it is
    sql = (
        f"SELECT rowid, {item}, originator_version, topic, state "
        f"FROM {events_table(recorder)}{where} ORDER BY rowid LIMIT ?"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (limit,))
        return [StoredRow(p, str(i), v, t, _bytes(s)) for p, i, v, t, s in cursor.fetchall()]


def _postgres_rows(
    recorder: PostgresApplicationRecorder, where: str, limit: int
) -> list[StoredRow]:
    sql = (
        "SELECT notification_id, originator_id::text, originator_version, topic, state "
        f"FROM {events_table(recorder)}{where} ORDER BY notification_id LIMIT %s"
    )
    with recorder.datastore.transaction(commit=False) as dict_cursor:
        cursor: Any = dict_cursor
        cursor.row_factory = tuple_row
        cursor.execute(sql.encode(), (limit,), binary=True)  # the bytes as they are, unescaped
        return [StoredRow(p, i, v, t, _bytes(s)) for p, i, v, t, s in cursor.fetchall()]


def _between(position: str, after: int | None, until: int | None) -> str:
    """The WHERE clause of the bounds (integers, written into the SQL as numbers)."""
    bounds = [f"{position} > {int(after)}"] if after is not None else []
    bounds += [f"{position} <= {int(until)}"] if until is not None else []
    return f" WHERE {' AND '.join(bounds)}" if bounds else ""


def dashed_uuid(column: str) -> str:
    """SQLite: a UUID kept as 32 hex digits, as PostgreSQL and Python write it:
    dashed and lower case."""
    return (
        f"lower(substr({column}, 1, 8) || '-' || substr({column}, 9, 4) || '-' || "
        f"substr({column}, 13, 4) || '-' || substr({column}, 17, 4) || '-' || "
        f"substr({column}, 21))"
    )


def _bytes(state: Any) -> bytes:
    if isinstance(state, bytes):
        return state
    return bytes(state) if isinstance(state, memoryview | bytearray) else str(state).encode()
