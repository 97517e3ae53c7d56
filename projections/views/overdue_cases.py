"""Cases open past their deadline to close on a day, the deadline as it stood that day (as
of today, each case's current deadline: ``projections.current_rows``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ColumnElement, Connection, func, or_, select

from projections import tables as t
from projections.current_rows import current_rows_as_of


def overdue_complaints(conn: Connection, as_of: date, by: str = "channel") -> dict[str, int]:
    """Per ``by`` (``"channel"`` or ``"team"``), cases open on ``as_of`` whose deadline as it
    stood then had passed."""
    c = t.complaints
    group: Column[str] = c.c[by]
    current = current_rows_as_of(conn, t.complaint_deadlines, as_of)
    if current is not None:  # as of today: each case's current deadline
        deadline: ColumnElement[date] = current.c.close_by
        query = select(group, func.count()).join_from(c, current, current.c.complaint_id == c.c.id)
    else:  # an earlier day: the deadline each case had then, found by its own key
        d = t.complaint_deadlines
        deadline = (
            select(d.c.close_by)
            .where(d.c.complaint_id == c.c.id, d.c.effective_on <= as_of)
            .order_by(d.c.effective_on.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = select(group, func.count())
    rows = conn.execute(
        query.where(
            or_(c.c.closed_on.is_(None), c.c.closed_on > as_of),
            c.c.received_on <= as_of,
            deadline < as_of,
        ).group_by(group)
    )
    return {key: int(n) for key, n in rows}
