"""Cases open past their deadline to close on a day, the deadline as it stood that day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Connection, func, or_, select

from projections import tables as t


def overdue_complaints(conn: Connection, as_of: date, by: str = "channel") -> dict[str, int]:
    """Per ``by`` (``"channel"`` or ``"team"``), cases open on ``as_of`` whose deadline as it
    stood then had passed."""
    c, d = t.complaints, t.complaint_deadlines
    deadline = (
        select(d.c.close_by)
        .where(d.c.complaint_id == c.c.id, d.c.effective_on <= as_of)
        .order_by(d.c.effective_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    group: Column[str] = c.c[by]
    rows = conn.execute(
        select(group, func.count())
        .where(
            c.c.received_on <= as_of,
            or_(c.c.closed_on.is_(None), c.c.closed_on > as_of),
            deadline < as_of,
        )
        .group_by(group)
    )
    return {key: int(n) for key, n in rows}
