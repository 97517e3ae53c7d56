"""12345 跟踪问效: cases dispatched and still awaiting the unit's sign-for (签收) past its
sign-for deadline, as they stood on a day.

A dispatch is awaited until the unit signs for it or returns it (退单). It is overdue on a
day after its sign-for deadline (the deadline as it stood that day); the deadline's own day
is not past it. The sign-fors and returns recorded late are the dated totals'
``late_sign_fors`` and ``late_returns`` (``projections.complaint_kind``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Connection, and_, func, select

from projections import tables as t
from projections.views.timelines import latest_days


def awaiting_past_deadline(conn: Connection, day: date, by: str) -> dict[str, int]:
    """Per ``by`` (``"channel"`` or ``"unit"``), dispatches awaiting their sign-for at the end
    of ``day`` whose sign-for deadline had passed."""
    s = t.sign_for_timeline
    group: Column[str] = s.c[by]
    latest = latest_days(s.c.complaint_id, s.c.day, day)
    rows = conn.execute(
        select(group, func.count())
        .join_from(
            latest, s, and_(s.c.complaint_id == latest.c.complaint_id, s.c.day == latest.c.day)
        )
        .where(s.c.awaiting.is_(True), s.c.sign_by < day)
        .group_by(group)
    )
    return {key: int(n) for key, n in rows}
