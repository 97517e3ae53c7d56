"""How one kind of item appears in the read models: a ``Kind`` over the domain's own
aggregate class (``Kind[Task]`` reads a ``Task``).

``columns``: the row's query columns. ``contributions``: what the item, as it
stands, adds to the dated totals (the overview and the legacy totals answer
"as of D" from the changes in these). ``activity``: what one event counts for
the units' scorecards (events in a period, so a later act never takes back an
earlier one). ``side_rows``: dated history and links kept beside the row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Table

from domain.meta import LedgerItem
from projections import tables as t
from projections.item_state import id_text
from projections.projection import Change

Item = TypeVar("Item", bound=LedgerItem)

# A contribution key: the delta table, then the values of its dimension columns.
Key = tuple[Table, tuple[Any, ...]]
# What an item adds to the dated totals, by key (a plain dict: compared in C).
Contributions = dict[Key, int]
# Rows of other tables, each with its table.
Rows = Iterable[tuple[Table, dict[str, Any]]]


class Kind(Generic[Item]):
    """How items of the aggregate class ``item_class`` are shown in the read models.
    Defaults: no totals, no activity, no side rows."""

    item_class: ClassVar[type[LedgerItem]]
    table: ClassVar[Table]

    @property
    def item_type(self) -> str:
        """The item type its events' topics name (``Task``)."""
        return self.item_class.item_type

    def columns(self, item: Item) -> dict[str, Any]:
        """Query columns of the item's row (besides id, version and state)."""
        raise NotImplementedError

    def contributions(self, item: Item) -> Contributions:
        """What the item, as it stands, adds to the dated totals."""
        return {}

    def activity(self, change: Change, item: Item) -> Iterable[Key]:
        """What this one event counts (one each), on its business date."""
        return ()

    def side_rows(self, change: Change, item: Item) -> Rows:
        """Rows of other tables this event writes (links, dated history)."""
        return ()


def ids(values: Iterable[UUID]) -> list[str]:
    return [id_text(v) for v in values]


def optional_id(value: UUID | None) -> str | None:
    return id_text(value) if value is not None else None


def unit_count(unit: UUID, metric: str) -> Key:
    """The scorecard key of ``metric`` for ``unit``."""
    return (t.unit_deltas, (id_text(unit), metric))
