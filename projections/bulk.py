"""Bulk writes for the projections, compiled once and sent straight to the driver.

SQLAlchemy Core processes every bound value of every row in Python; for a
rebuild of a million events that costs more than reading the log. Here each
statement is compiled once per table and dialect, and each column gets one
converter to a value the driver takes as it is. Timestamps are stored in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Numeric, Table
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.type_api import TypeEngine

Convert = Callable[[Any], Any]
_compiled: dict[tuple[str, str, str], tuple[str, tuple[str, ...], bool]] = {}


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write ``rows``, replacing any row with the same primary key."""
    _send(conn, table, "upsert", rows)


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
    sql, names, positional = _statement(conn, table, mode)
    values = itemgetter(*names)
    converted = [
        (i, f)
        for i, n in enumerate(names)
        if (f := _converter(table.c[n].type, conn.dialect.name)) is not _same
    ]
    params: list[Any] = []
    for row in rows:
        cells = list(values(row)) if len(names) > 1 else [values(row)]
        for i, convert in converted:
            cells[i] = convert(cells[i])
        params.append(tuple(cells) if positional else dict(zip(names, cells, strict=True)))
    conn.exec_driver_sql(sql, params)


def _statement(conn: Connection, table: Table, mode: str) -> tuple[str, tuple[str, ...], bool]:
    """The statement's SQL, its parameter names in order, and whether they are positional."""
    cache_key = (conn.dialect.name, table.name, mode)
    if cache_key not in _compiled:
        base = postgres_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
        keys = [c.name for c in table.primary_key]
        statement: Any = base
        if mode == "upsert":
            statement = base.on_conflict_do_update(
                index_elements=keys,
                set_={c.name: base.excluded[c.name] for c in table.columns if c.name not in keys},
            )
        elif mode == "add":
            statement = base.on_conflict_do_update(
                index_elements=keys, set_={"delta": table.c.delta + base.excluded.delta}
            )
        compiled = statement.compile(
            dialect=conn.dialect, column_keys=[c.name for c in table.columns]
        )
        positional = bool(compiled.positional)
        names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.params)
        _compiled[cache_key] = (str(compiled), names, positional)
    return _compiled[cache_key]


def _converter(column_type: TypeEngine[Any], dialect: str) -> Convert:
    if isinstance(column_type, DateTime):
        return _utc_text if dialect == "sqlite" else _same
    if isinstance(column_type, Date):
        return _date_text if dialect == "sqlite" else _same
    if isinstance(column_type, JSON):
        return _json_text if dialect == "sqlite" else _json
    if isinstance(column_type, Boolean):
        return _flag
    if isinstance(column_type, Numeric) and dialect == "sqlite":
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


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json(value: Any) -> Json:
    return Json(value)


def _flag(value: Any) -> Any:
    return None if value is None else bool(value)


def _number(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)
