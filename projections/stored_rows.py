"""The log's rows exactly as stored, read straight from its table.

The seal, the signatures and ``ledger verify`` hash the stored values, not events
(``domain.log_rows``): they need no event deserialised, nor the library's
notification objects, and they read every row of the log, so they read it with one
plain query per page, each value as the database returns it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.drivers import is_postgres
from domain.errors import StorageError
from domain.log_rows import StoredRow
from domain.log_tables import events_table

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder

__all__ = ["stored_rows"]


def stored_rows(
    recorder: ApplicationRecorder, after: int | None, until: int | None, limit: int
) -> list[StoredRow]:
    """The rows after position ``after`` up to ``until`` (inclusive), at most ``limit``
    of them, in position order; a bound of None: as far as there are rows."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_rows(recorder, _between("rowid", after, until), limit)
    if is_postgres(recorder):
        return _postgres_rows(recorder, _between("notification_id", after, until), limit)
    raise StorageError(f"unsupported recorder {type(recorder).__name__}")


def _sqlite_rows(recorder: SQLiteApplicationRecorder, where: str, limit: int) -> list[StoredRow]:
    sql = (
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM {events_table(recorder)}{where} ORDER BY rowid LIMIT ?"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        connection = cursor.sqlite_cursor.connection
        text_factory = connection.text_factory
        connection.text_factory = _text  # bytes that are not UTF-8 are read, not refused
        try:
            cursor.execute(sql, (limit,))
            found = cursor.fetchall()
        finally:
            connection.text_factory = text_factory
        # each value as SQLite keeps it: no id re-cased, no text read as a number
        return [StoredRow(p, i, v, t, s) for p, i, v, t, s in found]


def _text(stored: bytes) -> str:
    """SQLite's text as a str; a byte that is not UTF-8 kept as a surrogate escape, so the
    text hashes as the bytes stored (``domain.log_rows``) and the row is named, not the
    read refused."""
    return stored.decode("utf-8", "surrogateescape")


def _postgres_rows(
    recorder: PostgresApplicationRecorder, where: str, limit: int
) -> list[StoredRow]:
    sql = (
        "SELECT notification_id, originator_id, originator_version, topic, state "
        f"FROM {events_table(recorder)}{where} ORDER BY notification_id LIMIT %s"
    )
    from psycopg.rows import tuple_row  # loaded already, with the recorder

    with recorder.datastore.transaction(commit=False) as dict_cursor:
        cursor: Any = dict_cursor
        cursor.row_factory = tuple_row
        cursor.execute(sql.encode(), (limit,), binary=True)  # the bytes as they are, unescaped
        return [StoredRow(p, i, v, t, s) for p, i, v, t, s in cursor.fetchall()]


def _between(position: str, after: int | None, until: int | None) -> str:
    """The WHERE clause of the bounds (integers, written into the SQL as numbers)."""
    bounds = [f"{position} > {int(after)}"] if after is not None else []
    bounds += [f"{position} <= {int(until)}"] if until is not None else []
    return f" WHERE {' AND '.join(bounds)}" if bounds else ""
