"""Item projections: one row per item, plus dated contributions to the totals.

For each kind of item a ``Kind`` says which table holds its rows, which
columns to fill from its state, which side rows to keep, and what the item
contributes to the dated totals. The projection folds each event into the
item's state with the domain's own ``apply`` and books the change in the
item's contributions as a delta on the event's business date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol

from sqlalchemy import Connection, Table, delete, select
from sqlalchemy.sql.elements import ColumnElement

from domain.meta import LedgerCreated
from projections.bags import Bag, BagCodec, fold
from projections.bulk import add_deltas, upsert
from projections.engine import Change, Projection, ProjectionFailed

# A contribution key: the delta table, then the values of its dimension columns.
Key = tuple[Table, tuple[Any, ...]]


class Kind(Protocol):
    """How one kind of item is shown in the read models."""

    item_type: str
    table: Table

    def columns(self, bag: Bag) -> dict[str, Any]:
        """Query columns of the item's row (besides id, version, state and bag)."""

    def contributions(self, bag: Bag) -> Counter[Key]:
        """What the item, as it stands, adds to the dated totals."""

    def activity(self, change: Change, bag: Bag) -> Counter[Key]:
        """What this one event counts, on its business date (for the scorecards)."""

    def side_rows(self, change: Change, bag: Bag) -> Iterable[tuple[Table, dict[str, Any]]]:
        """Rows of other tables this event writes (links, dated deadlines)."""


@dataclass
class _Batch:
    touched: dict[Any, Bag] = field(default_factory=dict)
    deltas: Counter[tuple[Table, tuple[Any, ...]]] = field(default_factory=Counter)
    side: dict[Table, dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)
    open_days: dict[Any, tuple[date, Counter[Key]]] = field(default_factory=dict)


class ItemProjection(Projection):
    """Rows and dated totals for some kinds of item."""

    source: ClassVar[str | None] = None  # the ``source`` value on shared delta tables

    def __init__(self, kinds: Sequence[Kind], delta_dims: Mapping[Table, tuple[str, ...]]) -> None:
        self.kinds, self.delta_dims = tuple(kinds), dict(delta_dims)
        self._by_type = {kind.item_type: kind for kind in self.kinds}
        self._bags: dict[Any, Bag] = {}
        self._contributions: dict[Any, Counter[Key]] = {}
        self._codec = BagCodec()

    def handles(self, change: Change) -> bool:
        return change.item_type in self._by_type

    def forget(self) -> None:
        self._bags.clear()
        self._contributions.clear()

    def clear(self, conn: Connection) -> None:
        super().clear(conn)
        for table in self.delta_dims:
            if "source" in table.c:
                conn.execute(delete(table).where(_source_is(table, self.source)))

    def apply(self, conn: Connection, changes: Sequence[Change]) -> None:
        self._load(conn, _needing_state(changes) - self._bags.keys())
        batch = _Batch()
        for change in changes:
            try:
                self._take(change, batch)
            except Exception as error:  # named with its position in the status
                raise ProjectionFailed(change.position, error) from error
        for item_id in list(batch.open_days):
            self._close_day(item_id, batch)
        self._write(conn, batch)

    def _take(self, change: Change, batch: _Batch) -> None:
        """Fold the event into its item; book the item's changed contributions per day.

        Contributions are compared once per item and business day, not per event:
        the net change over a day is what the dated totals need.
        """
        kind = self._by_type[change.item_type]
        item_id, day = change.event.originator_id, change.event.business_date
        opened = batch.open_days.get(item_id)
        if opened is not None and opened[0] != day:
            self._close_day(item_id, batch)
            opened = None
        if opened is None:
            batch.open_days[item_id] = (day, self._standing(item_id, kind))
        bag = fold(self._bags.get(item_id), change.event)
        for key, value in kind.activity(change, bag).items():
            if value:
                batch.deltas[(key[0], (day, *key[1]))] += value
        for table, row in kind.side_rows(change, bag):
            batch.side.setdefault(table, {})[tuple(row[c.name] for c in table.primary_key)] = row
        self._bags[item_id] = batch.touched[item_id] = bag

    def _standing(self, item_id: Any, kind: Kind) -> Counter[Key]:
        """What the item contributed before this batch's events of the day."""
        standing = self._contributions.get(item_id)
        if standing is None:
            bag = self._bags.get(item_id)
            standing = kind.contributions(bag) if bag is not None else Counter()
        return standing

    def _close_day(self, item_id: Any, batch: _Batch) -> None:
        day, was = batch.open_days.pop(item_id)
        bag = self._bags[item_id]
        now = self._contributions[item_id] = self._by_type[bag.item_type].contributions(bag)
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
        for item_id, bag in batch.touched.items():
            kind = self._by_type[bag.item_type]
            by_table.setdefault(kind.table, []).append(
                {
                    "id": str(item_id),
                    "version": bag.version,
                    "state": bag.state.value,
                    "bag": self._codec.encode(bag),
                    **kind.columns(bag),
                }
            )
        for table, rows in by_table.items():
            upsert(conn, table, rows)
        for table, rows_by_key in batch.side.items():
            upsert(conn, table, list(rows_by_key.values()))
        for table, dims in self.delta_dims.items():
            sourced = "source" in table.c
            add_deltas(
                conn,
                table,
                ("day", *dims),
                {
                    (key[0], self.source, *key[1:]) if sourced else key: value
                    for (t, key), value in batch.deltas.items()
                    if t is table and value
                },
            )

    def _load(self, conn: Connection, item_ids: set[Any]) -> None:
        wanted = [str(i) for i in item_ids]
        for kind in self.kinds:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = conn.execute(select(kind.table.c.bag).where(kind.table.c.id.in_(chunk)))
                for (data,) in rows:
                    bag = self._codec.decode(data)
                    self._bags[bag.id] = bag


def _needing_state(changes: Sequence[Change]) -> set[Any]:
    """Items whose first event in ``changes`` does not create them: their state is needed."""
    first: dict[Any, Change] = {}
    for change in changes:
        first.setdefault(change.event.originator_id, change)
    return {i for i, c in first.items() if not isinstance(c.event, LedgerCreated)}


def _source_is(table: Table, source: str | None) -> ColumnElement[bool]:
    return table.c.source == (source or "")
