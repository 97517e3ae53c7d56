"""The secondary indexes of a projection's tables: which are missing, and building or
dropping them one at a time, each holding the projection's status row so that two
workers never alter them at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from datetime import datetime

from sqlalchemy import Engine, Index, update
from sqlalchemy.schema import CreateIndex, DropIndex, ExecutableDDLElement

from projections.database import write_transaction
from projections.projection import AnyProjection
from projections.tables import projection_status

INDEX_MEMORY = "256MB"  # PostgreSQL's maintenance_work_mem while an index is built


def index_where_missing(
    engine: Engine,
    now: Callable[[], datetime],
    projections: Sequence[AnyProjection],
    present: Set[str],
) -> None:
    """Build the indexes a rebuild cut short left unbuilt (``present``: those there)."""
    for projection in projections:
        if missing_indexes(projection, present):
            create_indexes(engine, now, projection.name, projection)


def missing_indexes(projection: AnyProjection, present: Set[str]) -> bool:
    """Whether any index of the projection's tables is not among the ``present`` ones."""
    return any(index.name not in present for t in projection.tables for index in t.indexes)


def create_indexes(
    engine: Engine, now: Callable[[], datetime], name: str, p: AnyProjection
) -> None:
    """Build each index of the projection's tables that is not there yet."""
    _alter(engine, now, name, p, lambda index: CreateIndex(index, if_not_exists=True))


def drop_indexes(engine: Engine, now: Callable[[], datetime], name: str, p: AnyProjection) -> None:
    """Drop each index of the projection's tables (a table filled from scratch is
    indexed once at the end, at a fraction of the cost of keeping it indexed row by row)."""
    _alter(engine, now, name, p, lambda index: DropIndex(index, if_exists=True))


def _alter(
    engine: Engine,
    now: Callable[[], datetime],
    name: str,
    projection: AnyProjection,
    ddl: Callable[[Index], ExecutableDDLElement],
) -> None:
    for table in projection.tables:
        for index in table.indexes:  # one transaction each: never a long write lock
            with write_transaction(engine) as conn:
                conn.execute(
                    update(projection_status)
                    .where(projection_status.c.name == name)
                    .values(updated_at=now())
                )
                if conn.dialect.name == "postgresql":  # sort a million keys in memory
                    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
                conn.execute(ddl(index))
