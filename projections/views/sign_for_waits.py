"""12345 跟踪问效: cases dispatched and still awaiting the unit's sign-for (签收) past its
sign-for deadline, as they stood on a day.

A dispatch is awaited until the unit signs for it or returns it (退单). It is overdue on a
day after its sign-for deadline (the deadline as it stood that day); the deadline's own day
is not past it. The sign-fors and returns recorded late are the dated totals'
``late_sign_fors`` and ``late_returns`` (``projections.complaint_kind``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Connection, func, select

from projections import tables as t
from projections.current_rows import standing


def awaiting_past_deadline(conn: Connection, day: date, by: str) -> dict[str, int]:
    """Per ``by`` (``"channel"`` or ``"unit"``), dispatches awaiting their sign-for at the end
    of ``day`` whose sign-for deadline had passed."""
    s = standing(conn, t.sign_for_timeline, day)
    group: ColumnElement[str] = s.c[by]
    rows = conn.execute(
        select(group, func.count()).where(s.c.awaiting.is_(True), s.c.sign_by < day).group_by(group)
    )
    return {key: int(n) for key, n in rows}
