"""What the read models' database holds: the names of its tables and indexes, in one
query of the database's own catalogue (SQLAlchemy's reflection asks once per table, and
on a new PostgreSQL connection each of those is slow); and making what is missing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from projections import (  # noqa: F401  (their tables join the metadata)
    current_rows,
    measure_tables,
    running_totals,
)
from projections.status import add_stop_reason
from projections.tables import metadata, projection_status

POSTGRES = (
    "SELECT 'table', tablename FROM pg_tables WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema()"
)
SQLITE = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')"


@dataclass(frozen=True)
class Catalogue:
    tables: frozenset[str]
    indexes: frozenset[str]


@dataclass(frozen=True)
class Made:
    """What a start found (``existed``: the tables there before it) and whether the
    database is new (no projection status table yet: every projection starts afresh)."""

    existed: frozenset[str]
    indexes: frozenset[str]
    new: bool


def make_missing_tables(conn: Connection) -> Made:
    """Create the read models' tables that are not there (with their indexes) and add
    the columns added since a table was made."""
    found = catalogue(conn)
    missing = [t for t in metadata.sorted_tables if t.name not in found.tables]
    if missing:
        metadata.create_all(conn, tables=missing, checkfirst=False)
    new = projection_status.name not in found.tables
    if not new:  # made before the column was
        add_stop_reason(conn)
    made = {str(index.name) for table in missing for index in table.indexes}
    return Made(found.tables, found.indexes | made, new)


def catalogue(conn: Connection) -> Catalogue:
    """The tables and indexes in the connection's schema (PostgreSQL's search path)."""
    query = POSTGRES if conn.dialect.name == "postgresql" else SQLITE
    found: dict[str, set[str]] = {"table": set(), "index": set()}
    for kind, name in conn.exec_driver_sql(query):
        found[kind].add(name)
    return Catalogue(frozenset(found["table"]), frozenset(found["index"]))
