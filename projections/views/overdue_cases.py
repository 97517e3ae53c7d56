"""Cases open past their deadline to close on a day, the deadline as it stood that day (as
of today, each case's current deadline: ``projections.current_rows``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Connection, func, or_, select

from projections import tables as t
from projections.current_rows import standing


def overdue_complaints(conn: Connection, as_of: date, by: str = "channel") -> dict[str, int]:
    """Per ``by`` (``"channel"`` or ``"team"``), cases open on ``as_of`` whose deadline as it
    stood then had passed."""
    c, deadlines = t.complaints, standing(conn, t.complaint_deadlines, as_of)
    group: Column[str] = c.c[by]
    rows = conn.execute(
        select(group, func.count())
        .join_from(c, deadlines, deadlines.c.complaint_id == c.c.id)
        .where(
            or_(c.c.closed_on.is_(None), c.c.closed_on > as_of),
            c.c.received_on <= as_of,
            deadlines.c.close_by < as_of,
        )
        .group_by(group)
    )
    return {key: int(n) for key, n in rows}
