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

The runner is what every process runs (the server's thread, ``ledger project``):
what only a rebuild from scratch needs to go fast is ``projections.rebuild``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert, update
from sqlalchemy.exc import DataError, IntegrityError

from domain.ledger import Ledger
from projections.batch_reading import BatchReader
from projections.catalogue import make_missing_tables
from projections.database import setting_up_read_models, write_transaction
from projections.indexes import index_where_missing
from projections.projection import AnyProjection, Change, ProjectionFailed
from projections.row_checks import CHECKED_AGAIN_ON_START, RowCheck, RowRefused
from projections.status import (
    Status,
    clear_failure,
    record_failure,
    start_afresh,
    statuses,
)
from projections.tables import projection_status

__all__ = ["Runner"]


class Runner:
    """Runs projections over the log: catch up, then follow."""

    def __init__(
        self,
        ledger: Ledger,
        engine: Engine,
        projections: Sequence[AnyProjection],
        batch_size: int = 2000,
        row_checks: Sequence[RowCheck] = (),
    ) -> None:
        self.ledger, self.engine, self.batch_size = ledger, engine, batch_size
        self.row_checks = tuple(row_checks)
        self.reader = BatchReader(ledger)
        self.projections = {p.name: p for p in projections}
        self._positions: dict[str, int] = {}
        self._stopped: set[str] = set()
        self._check_again: set[str] = set()  # stopped for a reason checked again on start

    def set_up(self) -> None:
        """Create the tables (and any index missing, as a rebuild cut short leaves them);
        rebuild from scratch any projection whose version changed.

        One process at a time (the database's set-up lock), so any number may start at
        once on a new database: each finds the tables and statuses the one before made."""
        with setting_up_read_models(self.engine):
            self._set_up()

    def _set_up(self) -> None:
        with write_transaction(self.engine) as conn:  # on SQLite: BEGIN IMMEDIATE
            made = make_missing_tables(conn)
            if made.new:  # every projection starts from the first event
                versions = {name: p.version for name, p in self.projections.items()}
                start_afresh(conn, versions, self.ledger.clock())
        existed = made.existed
        stored = {s.name: s for s in self.status()}
        for status in stored.values():
            if status.name in self.projections:
                self._positions[status.name] = status.position
                if status.failed_position is not None:
                    self._stopped.add(status.name)
                    if status.stop_reason in CHECKED_AGAIN_ON_START:
                        self._check_again.add(status.name)
        current = []
        for name, projection in self.projections.items():
            found = stored.get(name)
            if found is not None and found.version > projection.version:
                self._stopped.add(name)  # written by a newer version: leave it to that one
            elif found is None or found.version != projection.version:
                refused = found and projection.refuses_rebuild(self.engine, found.version)
                if refused:
                    self._record_failure(name, refused)  # kept as it is, at its version
                else:  # tables made just now are empty already: nothing to clear
                    self.reset(name, clear=found is not None or _any_of(projection, existed))
            else:
                current.append(projection)
        index_where_missing(self.engine, self.ledger.clock, current, made.indexes)

    def status(self) -> list[Status]:
        return statuses(self.engine)

    def reset(self, name: str, *, clear: bool = True) -> None:
        """Empty the projection's tables (``clear`` False: they were made empty just now)
        and start it again from the first event."""
        projection = self.projections[name]
        with write_transaction(self.engine) as conn:
            conn.execute(  # the status row first, in the order _claim takes locks
                update(projection_status)
                .where(projection_status.c.name == name)
                .values(updated_at=self.ledger.clock())
            )
            if clear:
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
        checked, refused = self.reader.check_rows(start, end, self.row_checks)
        if refused is not None:
            if refused.position <= start:  # at the batch's first row, or before the log's first
                for name in active:
                    if self._positions[name] < start:
                        self._record_failure(name, refused)
                return 0
            end = refused.position - 1  # the rows before it are projected; then each stops
        item_types = self._item_types(active)
        if checked is None:
            notifications = self.reader.read(start, end, item_types)
        else:  # the very rows checked, decoded: none can change between the check and the read
            checked = [row for row in checked if row.position <= end]
            notifications = self.reader.notifications_of(checked, item_types)
            for projection in self.projections.values():
                projection.sees_rows(checked)
        changes = self.reader.changes(notifications, item_types)
        for name in active:
            if end <= self._positions[name]:
                continue  # this projection is ahead of the batch (another was behind)
            self._apply(name, changes, end)
        return end - start + 1

    def _apply(self, name: str, changes: Sequence[Change], end: int) -> None:
        """Advance ``name`` to ``end`` with the changes it takes. A batch the database
        refuses to write (a data error) is tried again in halves, down to the one event
        it fails on, where the projection stops, the batches before it written."""
        position, projection = self._positions[name], self.projections[name]
        mine = [c for c in changes if position < c.position <= end and projection.handles(c)]
        try:
            self._advance(name, lambda: projection.work_out(mine, (position + 1, end)), end)
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
        while covered := self.step():
            total += covered
            if on_batch is not None:
                on_batch(covered)
        return total

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

    def stopped(self) -> bool:
        """Whether every projection of this runner has stopped (none is left to run)."""
        return all(name in self._stopped for name in self.projections)

    def _item_types(self, active: list[str]) -> frozenset[str]:
        item_types: set[str] = set()
        for name in active:
            item_types |= self.projections[name].item_types or set()
        return frozenset(item_types)

    def _advance(self, name: str, work_out: Callable[[], Any], end: int) -> None:
        """Work the rows out outside the transaction; then claim the batch and write them,
        holding the write lock only as long as writing takes."""
        projection = self.projections[name]
        try:
            prepared = work_out()
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
            clear_failure(self.engine, name)
            self._stopped.discard(name)
        self._check_again.clear()

    def _record_failure(self, name: str, failure: ProjectionFailed | RowRefused) -> None:
        """Stop ``name`` at the failure's position, recording why (its status)."""
        record_failure(self.engine, self.ledger.clock, name, failure)
        self._stopped.add(name)


class _Overtaken(Exception):
    """Another worker advanced this projection first; this batch is rolled back."""


class _WriteRefused(Exception):
    """The database refused a batch's rows (a data error); the batch is rolled back."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _any_of(projection: AnyProjection, tables: Set[str]) -> bool:
    """Whether any table ``projection`` writes to is among ``tables`` (it may hold rows to
    clear): its own, and those it shares with others (the dated totals)."""
    shared: Sequence[Table] = getattr(projection, "delta_dims", ())
    return any(table.name in tables for table in (*projection.tables, *shared))
