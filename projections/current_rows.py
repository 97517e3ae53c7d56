"""The dated timelines' current rows: each item as it stands now, kept beside its timeline.

A timeline (``rm_sign_for_timeline``: a row per item and day it changed) answers "as it
stood on a day" by finding each item's latest day up to it: a grouping over every row ever
written. Each timeline here has a companion ``…_now`` holding each item's latest row,
written with the batch's rows, in its transaction (a back-dated row leaves a later one).
A view as of a day on or after the latest day of the timeline (today, as a rule) reads the
companion (``standing``), one row per item, through indexes on what it asks; an earlier day
reads the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    FromClause,
    Index,
    Table,
    func,
    select,
)

from projections import tables as t
from projections.bulk import upsert_latest


@dataclass(frozen=True)
class Current:
    """A timeline, its items' key column and its current rows."""

    timeline: Table
    key: str
    now: Table
    day: str = "day"
    """The column of the day a row took effect."""


def _current(timeline: Table, key: str, day: str = "day") -> Current:
    columns = [
        Column(c.name, c.type, primary_key=c.name == key, nullable=c.nullable or c.name == day)
        for c in timeline.columns
    ]
    return Current(timeline, key, Table(f"{timeline.name}_now", t.metadata, *columns), day)


CURRENT: dict[Table, Current] = {
    timeline: _current(timeline, key, day)
    for timeline, key, day in (
        (t.sign_for_timeline, "complaint_id", "day"),
        (t.task_timeline, "task_id", "day"),
        (t.oversight_timeline, "item_id", "day"),
        (t.assessment_timeline, "assessment_id", "day"),
        (t.complaint_deadlines, "complaint_id", "effective_on"),
    )
}
for _current_rows in CURRENT.values():  # the latest day, found at once (keys lead with the item)
    _timeline = _current_rows.timeline
    Index(f"ix_{_timeline.name}_{_current_rows.day}", _timeline.c[_current_rows.day])
_sign_fors = CURRENT[t.sign_for_timeline].now
Index("ix_rm_sign_for_timeline_now_awaiting", _sign_fors.c.awaiting, _sign_fors.c.sign_by)
_tasks = CURRENT[t.task_timeline].now
Index("ix_rm_task_timeline_now_state", _tasks.c.state, _tasks.c.deadline)
# the cases open now (closed_on null), and those of an intake line, without a scan of all
Index("ix_rm_complaints_closed_on", t.complaints.c.closed_on)
Index("ix_rm_complaints_intake", t.complaints.c.intake)


def current_tables(*timelines: Table) -> tuple[Table, ...]:
    """The current rows' tables of those of ``timelines`` that have them."""
    return tuple(CURRENT[x].now for x in timelines if x in CURRENT)


def refresh_current(conn: Connection, timeline: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Bring the current rows of the items of ``rows`` (just written to ``timeline``) up to
    date: each item's latest row of the batch, unless its current row is of a later day."""
    current = CURRENT.get(timeline)
    if current is None:
        return
    latest: dict[Any, Mapping[str, Any]] = {}
    for row in rows:
        item, day = row[current.key], row[current.day]
        if item not in latest or latest[item][current.day] <= day:
            latest[item] = row
    upsert_latest(conn, current.now, list(latest.values()), current.day)


def current_rows_as_of(conn: Connection, timeline: Table, as_of: date) -> Table | None:
    """``timeline``'s current rows if they are the items as they stood at the end of
    ``as_of`` (it is on or after the latest day written), else None."""
    current = CURRENT[timeline]
    latest_day = conn.scalar(select(func.max(timeline.c[current.day])))
    return current.now if latest_day is None or as_of >= latest_day else None


def standing(conn: Connection, timeline: Table, as_of: date) -> FromClause:
    """Each item of ``timeline`` as it stood at the end of ``as_of`` (the item's latest row
    on or before it), with the timeline's columns: its current rows when ``as_of`` is on or
    after the latest day written."""
    now = current_rows_as_of(conn, timeline, as_of)
    if now is not None:
        return now
    current = CURRENT[timeline]
    day, key = timeline.c[current.day], timeline.c[current.key]
    later = timeline.alias("later")
    superseded = (
        select(later.c[current.key])
        .where(
            later.c[current.key] == key,
            later.c[current.day] > day,
            later.c[current.day] <= as_of,
        )
        .exists()
    )
    # each row of the day or before that no later row by then replaced: the outer query's
    # conditions narrow the rows first, then each is looked up by its item's key
    return select(*timeline.columns).where(day <= as_of, ~superseded).subquery()
