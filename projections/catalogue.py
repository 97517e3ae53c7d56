"""What the read models' database holds: the names of its tables and indexes, in one
query of the database's own catalogue (SQLAlchemy's reflection asks once per table, and
on a new PostgreSQL connection each of those is slow), for a start to find what is
missing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

POSTGRES = (
    "SELECT 'table', tablename FROM pg_tables WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema()"
)
SQLITE = "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')"


@dataclass(frozen=True)
class Catalogue:
    tables: frozenset[str]
    indexes: frozenset[str]


def catalogue(conn: Connection) -> Catalogue:
    """The tables and indexes in the connection's schema (PostgreSQL's search path)."""
    query = POSTGRES if conn.dialect.name == "postgresql" else SQLITE
    found: dict[str, set[str]] = {"table": set(), "index": set()}
    for kind, name in conn.exec_driver_sql(query):
        found[kind].add(name)
    return Catalogue(frozenset(found["table"]), frozenset(found["index"]))
