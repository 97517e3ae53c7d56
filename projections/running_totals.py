"""The dated totals' running sums: what they add up to now, and month by month.

Each delta table (``rm_complaint_deltas``: a change by day and keys) has two companions,
written in the same transaction as its rows: ``…_now``, the sum of every delta by keys,
and ``…_months``, the sums by the month's first day and keys. A view as of a day then
reads few rows whatever the length of the log (``summed``):

- on or after the latest day any delta is dated (today, as a rule): the ``…_now`` rows;
- before it: the months before the day's month, then the days of its month up to the day.

So the figures as of today cost what the number of keys costs (channels × metrics, units
× metrics), and a past date that plus one month of days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Date, Index, Table, func, select

from projections import tables as t
from projections.bulk import add_deltas

Where = Callable[[Table], Iterable[ColumnElement[bool]]]


@dataclass(frozen=True)
class Running:
    """A delta table's running sums: now, and by month."""

    deltas: Table
    now: Table
    months: Table

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.deltas.primary_key if c.name != "day")


def _companions(deltas: Table) -> Running:
    keys = [c for c in deltas.primary_key if c.name != "day"]
    delta = deltas.c.delta

    def copies() -> list[Column[Any]]:
        return [Column(c.name, c.type, primary_key=True) for c in keys]

    now = Table(
        f"{deltas.name}_now", t.metadata, *copies(), Column("delta", delta.type, nullable=False)
    )
    months = Table(
        f"{deltas.name}_months",
        t.metadata,
        Column("month", Date, primary_key=True),
        *copies(),
        Column("delta", delta.type, nullable=False),
    )
    return Running(deltas, now, months)


RUNNING: dict[Table, Running] = {
    table: _companions(table)
    for table in (t.complaint_deltas, t.team_deltas, t.legacy_deltas, t.unit_deltas)
}
Index("ix_rm_unit_deltas_day", t.unit_deltas.c.day)  # its key leads with the source


def companions(*tables: Table) -> tuple[Table, ...]:
    """The running sums' tables of those of ``tables`` that are delta tables."""
    return tuple(x for table in tables if table in RUNNING for x in _pair(RUNNING[table]))


def _pair(running: Running) -> tuple[Table, Table]:
    return running.now, running.months


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_running(
    conn: Connection, deltas: Table, dims: Sequence[str], rows: Mapping[tuple[Any, ...], Any]
) -> None:
    """Add the deltas ``rows`` (keyed by day, then ``dims``) to ``deltas``' running sums."""
    running = RUNNING.get(deltas)
    if running is None or not rows:
        return
    now: dict[tuple[Any, ...], Any] = defaultdict(int)
    months: dict[tuple[Any, ...], Any] = defaultdict(int)
    for (day, *key), value in rows.items():
        if not value:
            continue
        now[tuple(key)] += value
        months[(month_of(day), *key)] += value
    # a key's row is written even when the batch's deltas cancel out: a key has running
    # sums exactly when it has dated rows, as a sum over the dated rows would group it
    add_deltas(conn, running.now, dims, now)
    add_deltas(conn, running.months, ("month", *dims), months)


def summed(
    conn: Connection,
    deltas: Table,
    group: Sequence[str],
    as_of: date,
    *,
    where: Where = lambda _table: (),
) -> dict[tuple[Any, ...], Any]:
    """The sum of ``deltas`` dated on or before ``as_of``, by ``group`` (key columns),
    over the rows ``where`` keeps: every group with a row by then, as ``SUM … GROUP BY``
    over the dated rows gives it."""
    running = RUNNING[deltas]
    latest = conn.scalar(select(func.max(deltas.c.day)))
    sums: dict[tuple[Any, ...], Any] = defaultdict(int)
    if latest is None:
        return {}
    if as_of >= latest:
        _add(conn, running.now, group, where=where, bounds=(), sums=sums)
        return dict(sums)
    start = month_of(as_of)
    _add(
        conn,
        running.months,
        group,
        where=where,
        bounds=(running.months.c.month < start,),
        sums=sums,
    )
    days = (deltas.c.day >= start, deltas.c.day <= as_of)
    _add(conn, deltas, group, where=where, bounds=days, sums=sums)
    return dict(sums)


def monthly_sums(
    conn: Connection,
    deltas: Table,
    group: Sequence[str],
    as_of: date,
    *,
    since: date | None = None,
    where: Where = lambda _table: (),
) -> dict[tuple[Any, ...], Any]:
    """The sums of ``deltas`` by month (its first day) and ``group``, of the rows dated
    from ``since`` (the first day of a month) to ``as_of``."""
    if since is not None and since.day != 1:
        raise ValueError(f"since must be the first day of a month, not {since}")
    running = RUNNING[deltas]
    months, latest = running.months, conn.scalar(select(func.max(deltas.c.day)))
    sums: dict[tuple[Any, ...], Any] = defaultdict(int)
    if latest is None:
        return {}
    start = month_of(as_of)
    whole = months.c.month <= start if as_of >= latest else months.c.month < start
    bounds = [whole] if since is None else [whole, months.c.month >= since]
    _add(conn, months, ("month", *group), where=where, bounds=bounds, sums=sums)
    if as_of < latest:  # the month of ``as_of`` up to that day, from the dated rows
        columns = [deltas.c[name] for name in group]
        rows = conn.execute(
            select(*columns, func.sum(deltas.c.delta))
            .where(deltas.c.day >= start, deltas.c.day <= as_of, *where(deltas))
            .group_by(*columns)
        )
        for *key, total in rows:
            sums[(start, *key)] += total
    return dict(sums)


def summed_between(
    conn: Connection,
    deltas: Table,
    group: Sequence[str],
    start: date,
    end: date,
    *,
    where: Where = lambda _table: (),
) -> dict[tuple[Any, ...], Any]:
    """The sum of ``deltas`` dated from ``start`` to ``end``, by ``group``; groups adding
    up to nothing in those days are left out."""
    upto = summed(conn, deltas, group, end, where=where)
    before = summed(conn, deltas, group, date.fromordinal(start.toordinal() - 1), where=where)
    sums = defaultdict(int, upto)
    for key, value in before.items():
        sums[key] -= value
    return _nonzero(sums)


def _add(
    conn: Connection,
    table: Table,
    group: Sequence[str],
    *,
    where: Where,
    bounds: Iterable[ColumnElement[bool]],
    sums: dict[tuple[Any, ...], Any],
) -> None:
    columns = [table.c[name] for name in group]
    rows = conn.execute(
        select(*columns, func.sum(table.c.delta)).where(*bounds, *where(table)).group_by(*columns)
    )
    for *key, total in rows:
        sums[tuple(key)] += total


def _nonzero(sums: Mapping[tuple[Any, ...], Any]) -> dict[tuple[Any, ...], Any]:
    """``sums`` without the groups adding up to nothing."""
    return {key: value for key, value in sums.items() if value}
