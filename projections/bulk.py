"""Bulk writes for the projections, compiled once and sent straight to the driver.

SQLAlchemy Core processes every bound value of every row in Python; for a
rebuild of a million events that costs more than reading the log. Here each
statement is written once per table, dialect and mode, and each column gets one
converter to a value the driver takes as it is. Timestamps are stored in UTC.

On SQLite, which runs in the process, the rows go to ``executemany``. On
PostgreSQL, a statement per row costs the server a parse, a plan and a round of
locking each; there one statement takes every row of a batch as one array per
column (``INSERT ... SELECT FROM unnest(...)``). Rows are written in the order of
their keys, so two workers adding to the same totals lock them in the same order
(SQLite writes one transaction at a time). Every text, in text and JSON columns alike,
is made storable on the way (``projections.storable``: NUL and lone surrogates shown
as U+2400 and U+FFFD), the one place text bound for the read models passes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Numeric, String, Table
from sqlalchemy.sql.type_api import TypeEngine

from projections.storable import storable, storable_text

Convert = Callable[[Any], Any]
_sqlite_compiled: dict[tuple[str, str], str] = {}
_postgres_compiled: dict[tuple[str, str], str] = {}
_UNBOUNDED = re.compile(r"\(.*?\)")  # VARCHAR(36) -> VARCHAR, NUMERIC(14, 1) -> NUMERIC


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write ``rows``, new ones: a row with a key already there is an error."""
    _send(conn, table, "insert", rows)


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write ``rows``, replacing any row with the same primary key."""
    _send(conn, table, "upsert", rows)


def upsert_latest(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], day: str
) -> None:
    """Write ``rows``, replacing a row with the same key only if its ``day`` is not later
    (an item's current row: a back-dated change does not replace a later one)."""
    _send(conn, table, f"latest:{day}", rows)


def add_deltas(
    conn: Connection,
    table: Table,
    key_columns: Sequence[str],
    deltas: Mapping[tuple[Any, ...], Any],
) -> None:
    """Add each delta to the ``delta`` column of its key's row, creating rows as needed."""
    rows = [
        {**dict(zip(key_columns, key, strict=True)), "delta": value}
        for key, value in deltas.items()
    ]
    _send(conn, table, "add", rows)


def _send(conn: Connection, table: Table, mode: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    names = tuple(c.name for c in table.columns)
    dialect = conn.dialect.name
    if dialect == "postgresql":
        in_key_order = sorted(rows, key=itemgetter(*(c.name for c in table.primary_key)))
        columns = _columns(table, names, in_key_order, dialect)
        conn.exec_driver_sql(_postgres_statement(conn, table, mode), tuple(columns))
        return
    columns = _columns(table, names, rows, dialect)
    conn.exec_driver_sql(_sqlite_statement(conn, table, mode), list(zip(*columns, strict=True)))


def _columns(
    table: Table, names: tuple[str, ...], rows: Sequence[Mapping[str, Any]], dialect: str
) -> list[list[Any]]:
    """The rows' values, one list per column, each converted for the driver."""
    columns = []
    for name in names:
        values = [row[name] for row in rows]
        convert = _converter(table.c[name].type, dialect)
        columns.append(values if convert is _same else [convert(v) for v in values])
    return columns


def _sqlite_statement(conn: Connection, table: Table, mode: str) -> str:
    """``INSERT ... VALUES (?, ...) ON CONFLICT ...``, parameters in column order."""
    cache_key = (table.name, mode)
    if cache_key not in _sqlite_compiled:
        quote = conn.dialect.identifier_preparer.quote
        names = [quote(c.name) for c in table.columns]
        _sqlite_compiled[cache_key] = (
            f"INSERT INTO {quote(table.name)} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)}){_on_conflict(conn, table, mode)}"
        )
    return _sqlite_compiled[cache_key]


def _postgres_statement(conn: Connection, table: Table, mode: str) -> str:
    """``INSERT ... SELECT FROM unnest(%b::type[], ...) ON CONFLICT ...``: one array
    parameter per column, in the table's column order, sent in binary (as text, each
    value would be quoted and escaped one by one)."""
    cache_key = (table.name, mode)
    if cache_key not in _postgres_compiled:
        dialect = conn.dialect
        quote = dialect.identifier_preparer.quote
        names = [quote(c.name) for c in table.columns]
        arrays = []
        for column in table.columns:
            sent = "text" if isinstance(column.type, JSON) else column.type.compile(dialect)
            # without its length: an explicit cast to VARCHAR(n) would cut a longer value
            # short in silence, where the INSERT's own assignment refuses it
            arrays.append(f"%b::{_UNBOUNDED.sub('', sent)}[]")
        picked = [
            f"u.{n}::{c.type.compile(dialect)}" if isinstance(c.type, JSON) else f"u.{n}"
            for n, c in zip(names, table.columns, strict=True)
        ]
        _postgres_compiled[cache_key] = (
            f"INSERT INTO {quote(table.name)} ({', '.join(names)}) "
            f"SELECT {', '.join(picked)} FROM unnest({', '.join(arrays)}) "
            f"AS u({', '.join(names)}){_on_conflict(conn, table, mode)}"
        )
    return _postgres_compiled[cache_key]


def _on_conflict(conn: Connection, table: Table, mode: str) -> str:
    """What a row whose key is already there does: replace the row (``upsert``; keep it,
    when the key is the whole row), add to its ``delta`` (``add``), or fail (``insert``)."""
    quote = conn.dialect.identifier_preparer.quote
    keys = [quote(c.name) for c in table.primary_key]
    if mode == "upsert" or mode.startswith("latest:"):
        others = [quote(c.name) for c in table.columns if not c.primary_key]
        if not others:  # the key is the whole row: one already there is the same row
            return f" ON CONFLICT ({', '.join(keys)}) DO NOTHING"
        updates = [f"{name} = excluded.{name}" for name in others]
        if mode.startswith("latest:"):
            day = quote(mode.removeprefix("latest:"))
            return (
                f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(updates)}"
                f" WHERE excluded.{day} >= {quote(table.name)}.{day}"
            )
    elif mode == "add":
        updates = [f"delta = {quote(table.name)}.delta + excluded.delta"]
    else:
        return ""
    return f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(updates)}"


def _converter(column_type: TypeEngine[Any], dialect: str) -> Convert:
    if isinstance(column_type, JSON):
        return _json_text
    if isinstance(column_type, Boolean):
        return _flag
    if isinstance(column_type, String):  # Text too
        return _text
    if dialect != "sqlite":
        return _same
    if isinstance(column_type, DateTime):
        return _utc_text
    if isinstance(column_type, Date):
        return _date_text
    if isinstance(column_type, Numeric):
        return _number
    return _same


def _same(value: Any) -> Any:
    return value


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _date_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _text(value: Any) -> Any:
    return storable_text(value) if value.__class__ is str else value


def _json_text(value: Any) -> str:
    return json.dumps(storable(value), ensure_ascii=False)


def _flag(value: Any) -> Any:
    return None if value is None else bool(value)


def _number(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)
