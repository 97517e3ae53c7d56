"""The projection engine: feeds read models from the log, exactly once.

Each projection writes its rows and its tracking position in one transaction
per batch, so a crash at any point leaves the tables as they were after the
last committed batch, and the restart continues from there. Advancing the
position is conditional on the position read, so two workers never apply the
same batch twice. A projection that fails on an event stops, with the
event's position and the error in its status; nothing is skipped. So does one whose
batch the database refuses to write (a data error: a batch that fails is tried again
in halves until the one event it fails on is found), and every projection at a stored
row a row check refuses (``projections.row_checks``): the status records why it stopped
(``stop_reason``), where and the problem.
"""

from __future__ import annotations

import gc
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, ClassVar, NamedTuple
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import (
    Connection,
    Engine,
    Index,
    Table,
    delete,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.schema import CreateIndex, DropIndex, ExecutableDDLElement

from domain.ledger import Ledger
from domain.meta import LedgerEvent
from projections.database import setting_up_read_models, write_transaction
from projections.row_checks import CHECKED_AGAIN_ON_START, RowCheck, RowRefused
from projections.storable import storable_text
from projections.stored_rows import StoredRow, stored_rows
from projections.tables import metadata, projection_status
from projections.topics import item_type_of, topics_of

RECEIPT_TOPIC = "domain.receipt:"
EVENT_FAILED = "event"
"""The stop reason of a projection that could not apply (or write) an event; a refused
row's is its check's (``RowRefused.reason``)."""
INDEX_MEMORY = "256MB"  # PostgreSQL's maintenance_work_mem while a deferred index is built


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


class Projection(ABC):
    """A read model: the events it handles, the tables it owns, and a version."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[Table, ...]] = ()

    item_types: ClassVar[frozenset[str] | None] = None
    """The item types whose events it reads; None: it reads the log by position only."""

    def sees_rows(self, rows: Sequence[StoredRow]) -> None:  # noqa: B027 - a hook
        """The batch's stored rows, as checked, before ``prepare`` is called: a projection
        that reads stored rows takes these, not a second read of the log."""

    def refuses_rebuild(self, engine: Engine, stored_version: int) -> RowRefused | None:
        """Why the read model of version ``stored_version`` must not be replaced by one of
        this version (None: it may be, as most may)."""
        return None

    def handles(self, change: Change) -> bool:
        """Whether this projection takes ``change``."""
        return self.item_types is not None and change.item_type in self.item_types

    @abstractmethod
    def prepare(self, changes: Sequence[Change], span: tuple[int, int]) -> Any:
        """Work out the rows for ``changes`` (the log positions ``span`` covers, inclusive),
        outside any transaction; raise ``ProjectionFailed`` naming a bad event."""

    @abstractmethod
    def write(self, conn: Connection, prepared: Any) -> None:
        """Write what ``prepare`` worked out, inside the batch's transaction."""

    def clear(self, conn: Connection) -> None:
        """Remove every row this projection wrote; its own tables are made anew, so a new
        version may also change their columns."""
        for table in self.tables:
            table.drop(conn, checkfirst=True)
            table.create(conn)

    def forget(self) -> None:  # noqa: B027 - a hook; most projections hold nothing
        """Drop anything held in memory (after a rolled-back batch)."""


@dataclass(frozen=True)
class Status:
    name: str
    version: int
    position: int
    failed_position: int | None
    error: str | None
    stop_reason: str | None = None
    """Why it stopped at ``failed_position``: ``EVENT_FAILED`` or a refused row's reason."""


class Runner:
    """Runs projections over the log: catch up, then follow."""

    def __init__(
        self,
        ledger: Ledger,
        engine: Engine,
        projections: Sequence[Projection],
        batch_size: int = 2000,
        row_checks: Sequence[RowCheck] = (),
    ) -> None:
        self.ledger, self.engine, self.batch_size = ledger, engine, batch_size
        self.row_checks = tuple(row_checks)
        self.projections = {p.name: p for p in projections}
        self._positions: dict[str, int] = {}
        self._stopped: set[str] = set()
        self._check_again: set[str] = set()  # stopped for a reason checked again on start
        self._deferred: set[str] = set()  # projections whose indexes wait for catch_up
        self._topics: dict[frozenset[str], list[str]] = {}
        self._item_type_of: dict[str, str] = {}  # by topic
        self.pause_collection = False
        """True: ``catch_up`` turns automatic garbage collection off for the whole process
        while it runs (see ``_collections_between_batches``): for a process that does
        nothing else, as ``ledger rebuild`` and ``ledger project`` do, not a server."""

    def prepare(self) -> None:
        """Create the tables; rebuild from scratch any projection whose version changed.

        One process at a time (the database's set-up lock), so any number may start at
        once on a new database: each finds the tables and statuses the one before made."""
        with setting_up_read_models(self.engine):
            self._prepare()

    def _prepare(self) -> None:
        with write_transaction(self.engine) as conn:  # on SQLite: BEGIN IMMEDIATE
            metadata.create_all(conn)
            _add_stop_reason(conn)
        for status in self.status():
            if status.name in self.projections:
                self._positions[status.name] = status.position
                if status.failed_position is not None:
                    self._stopped.add(status.name)
                    if status.stop_reason in CHECKED_AGAIN_ON_START:
                        self._check_again.add(status.name)
        for name, projection in self.projections.items():
            stored = next((s for s in self.status() if s.name == name), None)
            if stored is not None and stored.version > projection.version:
                self._stopped.add(name)  # written by a newer version: leave it to that one
            elif stored is None or stored.version != projection.version:
                refused = stored and projection.refuses_rebuild(self.engine, stored.version)
                if refused:
                    self._record_failure(name, refused)  # kept as it is, at its version
                else:
                    self.reset(name)
            elif self._missing_indexes(projection):
                self._deferred.add(name)  # a rebuild was cut short; catch_up builds them

    def status(self) -> list[Status]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(projection_status).order_by(projection_status.c.name))
            return [
                Status(
                    r.name,
                    r.version,
                    r.position,
                    r.failed_position,
                    r.error,
                    r.stop_reason or (EVENT_FAILED if r.failed_position is not None else None),
                )
                for r in rows
            ]

    def reset(self, name: str) -> None:
        """Empty the projection's tables and start it again from the first event."""
        projection = self.projections[name]
        with write_transaction(self.engine) as conn:
            conn.execute(  # the status row first, in the order _claim takes locks
                update(projection_status)
                .where(projection_status.c.name == name)
                .values(updated_at=self.ledger.clock())
            )
            projection.clear(conn)
            conn.execute(delete(projection_status).where(projection_status.c.name == name))
            conn.execute(
                insert(projection_status).values(
                    name=name,
                    version=projection.version,
                    position=0,
                    updated_at=self.ledger.clock(),
                )
            )
        projection.forget()
        self._positions[name] = 0
        self._stopped.discard(name)
        self._defer_indexes(name)

    def step(self) -> int:
        """Apply the next batch of the log; return how many log positions it covered.

        A batch is a range of positions up to the head as it stood before reading, so
        a worker reads only the events its projections take (none for the audit
        index, which the database extracts itself, nor for the seal, which reads the
        stored rows itself) and still advances over the rest.
        """
        if self._check_again:
            self._clear_failures_to_check_again()
        active = [n for n in self.projections if n not in self._stopped]
        if not active:
            return 0
        start = min(self._positions[n] for n in active) + 1
        end = min(start + self.batch_size - 1, self.head())
        if end < start:
            return 0
        checked, refused = self._check_rows(start, end)
        if refused is not None:
            if refused.position <= start:  # at the batch's first row, or before the log's first
                for name in active:
                    if self._positions[name] < start:
                        self._record_failure(name, refused)
                return 0
            end = refused.position - 1  # the rows before it are projected; then each stops
        if checked is None:
            notifications = self._read(start, end, active)
        else:  # the very rows checked, decoded: none can change between the check and the read
            checked = [row for row in checked if row.position <= end]
            notifications = self._notifications(checked, active)
            for projection in self.projections.values():
                projection.sees_rows(checked)
        changes = self._changes(notifications, self._item_types(active))
        for name in active:
            if end <= self._positions[name]:
                continue  # this projection is ahead of the batch (another was behind)
            self._apply(name, changes, end)
        return end - start + 1

    def _check_rows(
        self, start: int, end: int
    ) -> tuple[Sequence[StoredRow] | None, RowRefused | None]:
        """The stored rows between two positions (inclusive), read once, and the first a
        row check refuses; (None, None) when the runner makes no checks. The first batch
        also reads any row slipped in before the log's first position."""
        if not self.row_checks:
            return None, None
        after = None if start <= 1 else start - 1
        rows: Sequence[StoredRow] = stored_rows(self.ledger.recorder, after, end, 1 << 62)
        try:
            for check in self.row_checks:
                check(rows)
        except RowRefused as refused:
            return rows, refused
        return rows, None

    def _notifications(self, rows: Sequence[StoredRow], active: list[str]) -> list[Notification]:
        """The checked rows of the topics ``active`` read, as the library's notifications."""
        item_types = self._item_types(active)
        topics = self._topics.get(item_types)
        if topics is None:
            topics = self._topics[item_types] = topics_of(item_types)
        wanted = set(topics)
        return [
            Notification(
                id=row.position,
                originator_id=row.item if isinstance(row.item, UUID) else UUID(str(row.item)),
                originator_version=int(row.version),  # type: ignore[call-overload]
                topic=str(row.topic),
                state=bytes(row.state),  # type: ignore[call-overload]
            )
            for row in rows
            if row.topic in wanted
        ]

    def _apply(self, name: str, changes: Sequence[Change], end: int) -> None:
        """Advance ``name`` to ``end`` with the changes it takes. A batch the database
        refuses to write (a data error) is tried again in halves, down to the one event
        it fails on, where the projection stops, the batches before it written."""
        position, projection = self._positions[name], self.projections[name]
        mine = [c for c in changes if position < c.position <= end and projection.handles(c)]
        try:
            self._advance(name, partial(projection.prepare, mine, (position + 1, end)), end)
        except _WriteRefused as refused:
            if end == position + 1:
                self._record_failure(name, ProjectionFailed(end, refused.error))
                return
            self._apply(name, changes, position + (end - position) // 2)
            if name not in self._stopped:
                self._apply(name, changes, end)

    def catch_up(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Apply batches until the end of the log; return the positions covered."""
        total = 0
        with _collections_between_batches(self.pause_collection):
            while covered := self.step():
                if self.pause_collection:
                    gc.collect(0)
                total += covered
                if on_batch is not None:
                    on_batch(covered)
        self.build_deferred_indexes()
        return total

    def build_deferred_indexes(self) -> None:
        """Create the secondary indexes left out while a projection was rebuilt.

        Indexing a million rows at once costs a fraction of keeping the index up to
        date row by row, so a projection started from scratch runs without them.
        """
        for name in sorted(self._deferred):
            self._alter_indexes(name, lambda index: CreateIndex(index, if_not_exists=True))
        self._deferred.clear()

    def _defer_indexes(self, name: str) -> None:
        self._alter_indexes(name, lambda index: DropIndex(index, if_exists=True))
        self._deferred.add(name)

    def _alter_indexes(self, name: str, ddl: Callable[[Index], ExecutableDDLElement]) -> None:
        """Run ``ddl`` on each index of the projection's tables, holding its status row, so
        that two workers never alter them at once."""
        for table in self.projections[name].tables:
            for index in table.indexes:  # one transaction each: never a long write lock
                with write_transaction(self.engine) as conn:
                    conn.execute(
                        update(projection_status)
                        .where(projection_status.c.name == name)
                        .values(updated_at=self.ledger.clock())
                    )
                    if conn.dialect.name == "postgresql":  # sort a million keys in memory
                        conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
                    conn.execute(ddl(index))

    def _missing_indexes(self, projection: Projection) -> bool:
        inspector = inspect(self.engine)
        for table in projection.tables:
            present = {i["name"] for i in inspector.get_indexes(table.name)}
            if any(index.name not in present for index in table.indexes):
                return True
        return False

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def covered(self) -> int:
        """The position every running projection has reached (a stopped one is left out)."""
        running = [self._positions[n] for n in self.projections if n not in self._stopped]
        return min(running, default=self.head())

    def failures(self) -> list[Status]:
        """The projections stopped on an event, with its position and the error."""
        return [s for s in self.status() if s.failed_position is not None]

    def behind(self) -> bool:
        head = self.head()
        return any(self._positions[n] < head for n in self.projections if n not in self._stopped)

    def _item_types(self, active: list[str]) -> frozenset[str]:
        item_types: set[str] = set()
        for name in active:
            item_types |= self.projections[name].item_types or set()
        return frozenset(item_types)

    def _read(self, start: int, end: int, active: list[str]) -> Sequence[Notification]:
        """The stored events between two positions (inclusive) of the item types that
        ``active`` read."""
        limit = end - start + 1
        item_types = self._item_types(active)
        topics = self._topics.get(item_types)
        if topics is None:
            topics = self._topics[item_types] = topics_of(item_types)
        if not topics:
            return []
        return self.ledger.recorder.select_notifications(
            start=start, stop=end, limit=limit, topics=topics
        )

    def _changes(
        self, notifications: Sequence[Notification], item_types: frozenset[str]
    ) -> list[Change]:
        """The batch's events of ``item_types``, deserialised once for every projection
        that reads them."""
        to_event, types_of = self.ledger.mapper.to_domain_event, self._item_type_of
        changes = []
        for n in notifications:
            item_type = types_of.get(n.topic) or types_of.setdefault(n.topic, item_type_of(n.topic))
            if item_type in item_types:
                event = to_event(n)
                if isinstance(event, LedgerEvent):
                    changes.append(Change(n.id, event, item_type, _business_day(event)))
        return changes

    def _advance(self, name: str, prepare: Callable[[], Any], end: int) -> None:
        """Prepare the rows outside the transaction; then claim the batch and write them,
        holding the write lock only as long as writing takes."""
        projection = self.projections[name]
        try:
            prepared = prepare()
        except ProjectionFailed as failure:
            projection.forget()
            self._record_failure(name, failure)
            return
        try:
            with write_transaction(self.engine) as conn:
                self._claim(conn, name, end)
                projection.write(conn, prepared)
        except _Overtaken:
            projection.forget()
            stored = next(st for st in self.status() if st.name == name)
            if stored.version != projection.version:
                self._stopped.add(name)  # a worker of another version owns it now
            self._positions[name] = stored.position
            return
        except (DataError, IntegrityError) as error:  # the batch's data, not the database
            projection.forget()
            raise _WriteRefused(error) from error
        except BaseException:
            projection.forget()  # the states moved on for a batch that was not written
            raise
        self._positions[name] = end

    def _claim(self, conn: Connection, name: str, end: int) -> None:
        """Move the position first: a second worker at the same position waits, then finds
        it moved and backs off, so no batch is applied twice."""
        moved = conn.execute(
            update(projection_status)
            .where(
                projection_status.c.name == name,
                projection_status.c.position == self._positions[name],
                projection_status.c.version == self.projections[name].version,
            )
            .values(position=end, updated_at=self.ledger.clock())
        ).rowcount
        if moved != 1:
            raise _Overtaken(name)

    def _clear_failures_to_check_again(self) -> None:
        """Run again from where they stopped the projections a row check stopped for a
        reason that depends on this process's set-up (its row is checked again): once,
        as this runner first runs (``ledger projections`` only reads, and clears none)."""
        for name in sorted(self._check_again):
            with write_transaction(self.engine) as conn:
                conn.execute(
                    update(projection_status)
                    .where(projection_status.c.name == name)
                    .values(failed_position=None, stop_reason=None, error=None)
                )
            self._stopped.discard(name)
        self._check_again.clear()

    def _record_failure(self, name: str, failure: ProjectionFailed | RowRefused) -> None:
        """Stop ``name`` at the failure's position, recording why (its status)."""
        with write_transaction(self.engine) as conn:
            conn.execute(
                update(projection_status)
                .where(projection_status.c.name == name)
                .values(
                    failed_position=failure.position,
                    stop_reason=failure.reason,
                    error=storable_text(str(failure)),
                    updated_at=self.ledger.clock(),
                )
            )
        self._stopped.add(name)

    def stopped(self) -> bool:
        """Whether every projection of this runner has stopped (none is left to run)."""
        return all(name in self._stopped for name in self.projections)


def _business_day(event: LedgerEvent) -> date | None:
    """The event's business day; None if it has none to give, for the projection that
    takes the event to fail on it, naming its position."""
    try:
        return event.business_date
    except Exception:
        return None


class _Overtaken(Exception):
    """Another worker advanced this projection first; this batch is rolled back."""


class _WriteRefused(Exception):
    """The database refused a batch's rows (a data error); the batch is rolled back."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _add_stop_reason(conn: Connection) -> None:
    """Add the status's ``stop_reason`` column to a table made before it was there."""
    columns = {c["name"] for c in inspect(conn).get_columns(projection_status.name)}
    if "stop_reason" not in columns:
        conn.exec_driver_sql(
            f"ALTER TABLE {projection_status.name} ADD COLUMN stop_reason VARCHAR(32)"
        )


@contextmanager
def _collections_between_batches(pause: bool) -> Iterator[None]:
    """No automatic garbage collection while catching up: a batch holds a million live
    objects (its events, beside a lasting cache of item states), and each automatic
    pass rescans them all, costing a rebuild a fifth of its time. Nothing a batch
    leaves is cyclic, bar a little; ``catch_up`` collects the young objects between
    batches, and automatic collection resumes when it returns. A runner that shares
    its process (``ledger serve``) only raises the thresholds."""
    if not pause:  # shared with a server: only collect less often
        thresholds = gc.get_threshold()
        gc.set_threshold(100_000, 50, 1000)
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
