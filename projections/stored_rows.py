"""The log's rows exactly as stored, read straight from its table.

The seal and ``ledger verify`` hash the stored bytes, not events: they need no
event deserialised, nor the library's notification objects, and they read every
row of the log, so they read it with one plain query per page.
"""

from __future__ import annotations

from functools import lru_cache
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
    sql = (
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM {events_table(recorder)}{where} ORDER BY rowid LIMIT ?"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (limit,))
        return [
            StoredRow(p, _dashed(str(i)), v, t, _bytes(s)) for p, i, v, t, s in cursor.fetchall()
        ]


@lru_cache(maxsize=1 << 16)
def _dashed(stored_id: str) -> str:
    """An item id as SQLite's recorder stores it (32 hex digits), dashed and lower case,
    as PostgreSQL and Python write it; a value that is not 32 characters stays as it is.
    An item's events are near each other in the log: most are found in the cache."""
    if len(stored_id) != 32:
        return stored_id
    h = stored_id.lower()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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


def _bytes(state: Any) -> bytes:
    if isinstance(state, bytes):
        return state
    return bytes(state) if isinstance(state, memoryview | bytearray) else str(state).encode()
