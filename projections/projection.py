"""What a read model is to the runner: the events it takes, the tables it owns, and the
two steps of a batch (work its rows out, then write them).

A ``Projection[Prepared]`` works out a ``Prepared`` value for a batch of changes outside
any transaction (``work_out``), then writes that value inside the batch's transaction
(``write``): the write lock is held only as long as writing takes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.exc import StatementError

from domain.log_rows import StoredRow
from domain.meta import LedgerEvent
from projections.row_checks import RowRefused

EVENT_FAILED = "event"
"""The stop reason of a projection that could not apply (or write) an event; a refused
row's is its check's (``RowRefused.reason``)."""

Prepared = TypeVar("Prepared")


class Change(NamedTuple):
    """One event of the log as a projection sees it: its position, the event, its item
    type and its business day (worked out once, for every projection that takes it)."""

    position: int
    event: LedgerEvent
    item_type: str
    day: date | None  # None: the event has no valid business time (its projection fails)


class ProjectionFailed(Exception):
    """A projection could not apply the event at ``position``."""

    reason = EVENT_FAILED

    def __init__(self, position: int, error: BaseException) -> None:
        super().__init__(f"at position {position}: {type(error).__name__}: {_first_line(error)}")
        self.position = position


def _first_line(error: BaseException) -> str:
    """An error's message, without what a database error adds (its SQL, its parameters)."""
    if isinstance(error, StatementError) and error.orig is not None:
        error = error.orig
    return (str(error).strip().splitlines() or [""])[0]


class Projection(ABC, Generic[Prepared]):
    """A read model: the events it handles, the tables it owns, and a version."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[Table, ...]] = ()

    item_types: frozenset[str] | None = None
    """The item types whose events it reads; None: it reads the log by position only."""

    def sees_rows(self, rows: Sequence[StoredRow]) -> None:
        """The batch's stored rows, as checked, before ``work_out`` is called: a projection
        that reads stored rows takes these, not a second read of the log."""

    def refuses_rebuild(self, engine: Engine, stored_version: int) -> RowRefused | None:
        """Why the read model of version ``stored_version`` must not be replaced by one of
        this version (None: it may be, as most may)."""
        return None

    def handles(self, change: Change) -> bool:
        """Whether this projection takes ``change``."""
        return self.item_types is not None and change.item_type in self.item_types

    @abstractmethod
    def work_out(self, changes: Sequence[Change], span: tuple[int, int]) -> Prepared:
        """Work out the rows for ``changes`` (the log positions ``span`` covers, inclusive),
        outside any transaction; raise ``ProjectionFailed`` naming a bad event."""

    @abstractmethod
    def write(self, conn: Connection, prepared: Prepared) -> None:
        """Write what ``work_out`` worked out, inside the batch's transaction."""

    def clear(self, conn: Connection) -> None:
        """Remove every row this projection wrote; its own tables are made anew, so a new
        version may also change their columns."""
        for table in self.tables:
            table.drop(conn, checkfirst=True)
            table.create(conn)

    def forget(self) -> None:
        """Drop anything held in memory (after a rolled-back batch)."""


AnyProjection = Projection[Any]
"""A projection, whatever it works out (a runner holds projections of every kind)."""
