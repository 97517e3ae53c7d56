"""Reading a dated timeline (a row per item and day it changed) as of a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, select


def latest_days(
    key: ColumnElement[Any], day: ColumnElement[date], as_of: date, *where: ColumnElement[bool]
) -> Subquery:
    """Each item's (``key``'s) latest ``day`` on or before ``as_of``: a subquery of the
    key, under its own name, and ``day``; join the timeline on both to read the items as
    they stood then."""
    return (
        select(key, func.max(day).label("day")).where(day <= as_of, *where).group_by(key).subquery()
    )
