"""Pages of items from the read models, in a stable order, resumable after any row.

Each kind of item has a fixed order ending in its id, so a cursor (the sort values
of the last row seen) picks up exactly after that row even while items are added:
keyset pagination, no OFFSET.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Select,
    Table,
    and_,
    exists,
    false,
    func,
    or_,
    select,
    tuple_,
    union_all,
)

from domain.errors import ValidationError
from projections import measure_tables as mt
from projections import tables as t
from projections.enterprise_tables import enterprises

NO_NUMBER = 1_000_000_000
UNIT_COLUMNS = (
    "unit",
    "responsible_unit",
    "first_responder",
    "accountable_unit",
    "handling_unit",
    "subject_unit",
    "agency",
)  # tasks without a number sort after the numbered ones


@dataclass(frozen=True)
class Listing:
    """How one kind of item is listed: its table and its order (ending in the id)."""

    table: Table
    order: tuple[ColumnElement[Any], ...]
    decoders: tuple[Callable[[str], Any], ...]

    def key_of(self, row: dict[str, Any]) -> list[str]:
        """The cursor values of a row, as text."""
        values = [row[f"_k{i}"] for i in range(len(self.order))]
        return [v.isoformat() if isinstance(v, date | datetime) else str(v) for v in values]


def _text(value: str) -> str:
    return value


def _bounded_int(value: str) -> int:
    """A whole number a database column holds (a cursor from elsewhere may not)."""
    number = int(value)
    if abs(number) >= 2**63:
        raise ValueError(value)
    return number


def _listing(table: Table, *order: ColumnElement[Any]) -> Listing:
    decoders: list[Callable[[str], Any]] = []
    for column in (*order, table.c.id):
        python_type = column.type.python_type
        if python_type is date:
            decoders.append(date.fromisoformat)
        elif python_type is datetime:
            decoders.append(datetime.fromisoformat)
        elif python_type is int:
            decoders.append(_bounded_int)
        else:
            decoders.append(_text)
    return Listing(table, (*order, table.c.id), tuple(decoders))


LISTINGS: dict[str, Listing] = {
    "units": _listing(t.units, t.units.c.name),
    "tasks": _listing(t.tasks, t.tasks.c.plan_year, func.coalesce(t.tasks.c.number, NO_NUMBER)),
    "complaints": _listing(t.complaints, t.complaints.c.received_on),
    "legacy_issues": _listing(t.legacy_issues, t.legacy_issues.c.registered_on),
    "interviews": _listing(t.interviews, t.interviews.c.scheduled_for),
    "referrals": _listing(t.referrals),
    "legacy_targets": _listing(t.legacy_targets, t.legacy_targets.c.year),
    "assessments": _listing(t.assessments, t.assessments.c.period),
    "measures": _listing(mt.measures, mt.measures.c.proposed_on),
    "enterprises": _listing(enterprises, enterprises.c.name),
}


@dataclass(frozen=True)
class Page:
    """Rows of one page, each with its cursor values; whether more follow; how many match."""

    rows: list[dict[str, Any]]
    keys: list[list[str]]
    has_next: bool
    total: int


@dataclass(frozen=True)
class Criteria:
    """Conditions on a listing: equal values, sets of values, inclusive ranges."""

    equal: dict[str, Any] = field(default_factory=dict)
    one_of: dict[str, Sequence[Any]] = field(default_factory=dict)
    between: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    unit: str | None = None


def page(
    conn: Connection,
    kind: str,
    criteria: Criteria,
    *,
    after: Sequence[str] | None,
    limit: int,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> Page:
    """At most ``limit`` rows matching ``criteria``, in the listing's order, after the row
    whose cursor values are ``after``. Two round trips: the rows, and the count.

    ``keep`` is a condition SQL cannot state (a task's light, which depends on the
    working-day calendar): the matching rows are then read whole and filtered here.
    """
    if keep is not None:
        return _kept_page(conn, kind, criteria, after=after, limit=limit, keep=keep)
    listing = LISTINGS[kind]
    conditions = _conditions(listing.table, criteria)
    query = _ordered(listing, conditions, after)
    rows = [dict(r._mapping) for r in conn.execute(query.limit(limit + 1))]
    total = conn.execute(select(func.count()).select_from(listing.table).where(*conditions))
    shown = rows[:limit]
    return Page(
        rows=shown,
        keys=[listing.key_of(r) for r in shown],
        has_next=len(rows) > limit,
        total=int(total.scalar_one()),
    )


def all_rows(conn: Connection, kind: str, criteria: Criteria) -> list[dict[str, Any]]:
    """Every row matching ``criteria``, in the listing's order."""
    listing = LISTINGS[kind]
    query = _ordered(listing, _conditions(listing.table, criteria), None)
    return [dict(r._mapping) for r in conn.execute(query)]


def _kept_page(
    conn: Connection,
    kind: str,
    criteria: Criteria,
    *,
    after: Sequence[str] | None,
    limit: int,
    keep: Callable[[dict[str, Any]], bool],
) -> Page:
    listing = LISTINGS[kind]
    kept = [row for row in all_rows(conn, kind, criteria) if keep(row)]
    keys = [listing.key_of(r) for r in kept]
    start = 0
    if after is not None:
        wanted = _decode(listing, after)
        start = next((i for i, key in enumerate(keys) if _decode(listing, key) > wanted), len(kept))
    shown = kept[start : start + limit]
    return Page(shown, keys[start : start + limit], start + limit < len(kept), len(kept))


def _ordered(
    listing: Listing, conditions: list[ColumnElement[bool]], after: Sequence[str] | None
) -> Select[Any]:
    keyed = [column.label(f"_k{i}") for i, column in enumerate(listing.order)]
    query = select(listing.table, *keyed).where(*conditions)
    if after is not None:
        query = query.where(tuple_(*listing.order) > tuple_(*_decode(listing, after)))
    return query.order_by(*listing.order)


def rows_by_id(conn: Connection, kind: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The rows of the given ids (one round trip), by id; ids not there are left out."""
    table = LISTINGS[kind].table
    if not ids:
        return {}
    return {r.id: dict(r._mapping) for r in conn.execute(select(table).where(table.c.id.in_(ids)))}


def concerns(conn: Connection, kind: str, item_id: str, unit: str) -> bool:
    """Whether the item (of listing ``kind``) concerns the unit (see ``_concerns_unit``)."""
    table = LISTINGS[kind].table
    if not any(c in table.c for c in UNIT_COLUMNS) and table not in (t.units, t.tasks):
        return True  # zone-wide items (the legacy targets) concern every unit
    query = select(table.c.id).where(table.c.id == item_id, _concerns_unit(table, unit))
    return conn.execute(query).first() is not None


def unit_item_ids(unit: str) -> CompoundSelect[str]:
    """The ids of every item that concerns the unit, as a subquery."""
    selects = [
        select(listing.table.c.id).where(_concerns_unit(listing.table, unit))
        for kind, listing in LISTINGS.items()
        if kind != "legacy_targets"
    ]
    return union_all(*selects)


def _decode(listing: Listing, values: Sequence[str]) -> list[Any]:
    if len(values) != len(listing.decoders):
        raise ValidationError("after", "is not a cursor of this list")
    try:
        return [decode(v) for decode, v in zip(listing.decoders, values, strict=True)]
    except (TypeError, ValueError):
        raise ValidationError("after", "is not a cursor of this list") from None


def _conditions(table: Table, c: Criteria) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name, value in c.equal.items():
        conditions.append(table.c[name] == value)
    for name, values in c.one_of.items():
        conditions.append(table.c[name].in_(list(values)) if values else false())
    for name, (low, high) in c.between.items():
        if low is not None:
            conditions.append(table.c[name] >= low)
        if high is not None:
            conditions.append(table.c[name] <= high)
    if c.unit is not None:
        conditions.append(_concerns_unit(table, c.unit))
    return conditions


def _task_concerns_unit(table: Table, unit: str) -> ColumnElement[bool]:
    """Tasks the unit leads or cooperates on: named, or of a kind one of the task's
    cooperating groups names, as the unit's row says now (a rule, not a list taken when
    the task was assigned: a 街道 registered later cooperates on every 各街道 task)."""
    tu, groups, units = t.task_units, t.task_groups, t.units
    named = exists().where(and_(tu.c.task_id == table.c.id, tu.c.unit_id == unit))
    grouped = exists().where(
        and_(groups.c.task_id == table.c.id, units.c.id == unit, units.c.kind == groups.c.kind)
    )
    return or_(named, grouped)


def _concerns_unit(table: Table, unit: str) -> ColumnElement[bool]:
    """Items the unit leads, cooperates on, handles, answers for or is the subject of."""
    if table is t.units:
        return table.c.id == unit
    if table is t.tasks:
        return _task_concerns_unit(table, unit)
    columns = [table.c[name] for name in UNIT_COLUMNS if name in table.c]
    return or_(*(column == unit for column in columns)) if columns else false()
