"""Item projections: one row per item, plus dated contributions and activity counts.

For each kind of item a ``Kind`` (``projections.item_kind``) says which table holds
its rows, which columns to fill from its state, what the item contributes to
the dated totals, what each event counts for the units, and which side rows to
keep. The projection folds each event into the item's state, the domain's own
aggregate, with the event's own ``apply`` (``projections.item_state``). States are
kept in memory; an item not in memory (after a restart, or evicted) is folded again
from its own events in the log, which is the only record of it.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import PersistenceError
from sqlalchemy import Connection, Table, delete
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from domain.meta import LedgerCreated, LedgerEvent, LedgerItem
from projections.bulk import add_deltas, upsert
from projections.current_rows import refresh_current
from projections.item_kind import Contributions, Kind
from projections.item_state import fold, id_text
from projections.projection import Change, Projection, ProjectionFailed
from projections.running_totals import add_running, companions

# The events of one item below a version, from the log.
ItemHistory = Callable[[UUID, int], Sequence[LedgerEvent]]
STATES_IN_MEMORY = 500_000


@dataclass
class _Batch:
    """What a batch's events did, by item: items are keyed by their UUID's integer
    (hashed in C, where a UUID's own hash is Python code)."""

    touched: dict[int, LedgerItem] = field(default_factory=dict)
    deltas: Counter[tuple[Table, tuple[Any, ...]]] = field(default_factory=Counter)
    side: dict[Table, dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)
    open_days: dict[int, tuple[date, Contributions]] = field(default_factory=dict)


class ItemProjection(Projection["_Batch"]):
    """Rows, dated totals and activity counts for some kinds of item."""

    source: ClassVar[str | None] = None  # the ``source`` value on shared delta tables

    def __init__(
        self,
        kinds: Sequence[Kind[Any]],
        delta_dims: Mapping[Table, tuple[str, ...]],
        history: ItemHistory,
    ) -> None:
        self.kinds, self.delta_dims, self._history = tuple(kinds), dict(delta_dims), history
        self._by_type = {kind.item_type: kind for kind in self.kinds}
        self._by_class = {kind.item_class: kind for kind in self.kinds}
        self.item_types = frozenset(self._by_type)
        self._items: OrderedDict[int, LedgerItem] = OrderedDict()
        self._contributions: dict[int, Contributions] = {}

    def forget(self) -> None:
        self._items.clear()
        self._contributions.clear()

    def clear(self, conn: Connection) -> None:
        super().clear(conn)
        for table in self.delta_dims:
            running = companions(table)
            if "source" in table.c:
                for shared in (table, *running):
                    conn.execute(delete(shared).where(_source_is(shared, self.source)))
            else:
                for own in running:
                    conn.execute(delete(own))

    def work_out(self, changes: Sequence[Change], span: tuple[int, int]) -> _Batch:
        batch = _Batch()
        last_position: dict[int, int] = {}
        position = span[0]
        with _failing_at(lambda: position):
            for change in changes:
                position = change.position
                self._take(change, batch)
                last_position[change.event.originator_id.int] = position
            for item_id in list(batch.open_days):
                position = last_position[item_id]
                self._close_day(item_id, batch)
        return batch

    def write(self, conn: Connection, prepared: _Batch) -> None:
        self._write(conn, prepared)
        self._evict()

    def _take(self, change: Change, batch: _Batch) -> None:
        """Fold the event into its item; book contributions per item and business day.

        Contributions are compared once per item and business day, not per event:
        the net change over a day is what the dated totals need.
        """
        kind = self._by_type[change.item_type]
        event = change.event
        item_id = event.originator_id.int
        day = change.day if change.day is not None else event.business_date  # raises here
        opened = batch.open_days.get(item_id)
        if opened is not None and opened[0] != day:
            self._close_day(item_id, batch)
            opened = None
        before = self._state_before(event)
        if opened is None:
            batch.open_days[item_id] = (day, self._standing(item_id, before, kind))
        item = fold(before, event)
        for table, dims in kind.activity(change, item):
            batch.deltas[(table, (day, *dims))] += 1
        for table, row in kind.side_rows(change, item):
            batch.side.setdefault(table, {})[_key_of(table)(row)] = row
        self._items[item_id] = batch.touched[item_id] = item
        self._items.move_to_end(item_id)  # least recently used first out

    def _state_before(self, event: LedgerEvent) -> LedgerItem | None:
        """The item's state just before ``event``: in memory, or folded from the log."""
        item = self._items.get(event.originator_id.int)
        if item is not None or isinstance(event, LedgerCreated):
            return item
        for earlier in self._history(event.originator_id, event.originator_version):
            item = fold(item, earlier)
        return item

    def _standing(self, item_id: int, before: LedgerItem | None, kind: Kind[Any]) -> Contributions:
        """What the item contributed before this batch's events of the day."""
        standing = self._contributions.get(item_id)
        if standing is None:
            standing = kind.contributions(before) if before is not None else {}
        return standing

    def _close_day(self, item_id: int, batch: _Batch) -> None:
        day, was = batch.open_days.pop(item_id)
        item = self._items[item_id]
        now = self._contributions[item_id] = self._by_class[type(item)].contributions(item)
        if now == was:
            return
        for key, value in now.items():
            if difference := value - was.get(key, 0):
                batch.deltas[(key[0], (day, *key[1]))] += difference
        for key, value in was.items():
            if key not in now and value:
                batch.deltas[(key[0], (day, *key[1]))] -= value

    def _write(self, conn: Connection, batch: _Batch) -> None:
        by_table: dict[Table, list[dict[str, Any]]] = {}
        for item in batch.touched.values():
            kind = self._by_class[type(item)]
            by_table.setdefault(kind.table, []).append(
                {
                    "id": id_text(item.id),
                    "version": item.version,
                    "state": item.state.value,
                    **kind.columns(item),
                }
            )
        for table, rows in by_table.items():
            upsert(conn, table, rows)
        for table, rows_by_key in batch.side.items():
            upsert(conn, table, list(rows_by_key.values()))
            refresh_current(conn, table, rows_by_key.values())
        for table, dims in self.delta_dims.items():
            sourced = "source" in table.c
            dated = {
                (key[0], self.source, *key[1:]) if sourced else key: value
                for (t, key), value in batch.deltas.items()
                if t is table and value
            }
            add_deltas(conn, table, ("day", *dims), dated)
            add_running(conn, table, dims, dated)

    def _evict(self) -> None:
        """Keep at most ``STATES_IN_MEMORY`` states; the oldest are folded again if needed."""
        while len(self._items) > STATES_IN_MEMORY:
            item_id, _ = self._items.popitem(last=False)
            self._contributions.pop(item_id, None)


@cache
def _key_of(table: Table) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The primary key of a row of ``table``, as a tuple."""
    names = [c.name for c in table.primary_key]
    return lambda row: tuple([row[name] for name in names])


@contextmanager
def _failing_at(position: Callable[[], int]) -> Iterator[None]:
    """Name the event a projection could not apply. The database, the log and memory
    failing are not the event's fault: those propagate as they are."""
    try:
        yield
    except (SQLAlchemyError, PersistenceError, MemoryError):
        raise
    except Exception as error:
        raise ProjectionFailed(position(), error) from error


def _source_is(table: Table, source: str | None) -> ColumnElement[bool]:
    return table.c.source == (source or "")
