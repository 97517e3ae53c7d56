"""Date-time inputs, checked once for every field that takes one.

``9999-12-31T23:59:59-14:00`` is a valid date-time, but in UTC (as the read models keep
times) it falls in year 10000, and ``0001-01-01T00:00:00+14:00`` in year 0: converting either
raised ``OverflowError`` deep in a query (masked as "Unexpected error."), and an interview
scheduled that far out (even ``9999-12-31T20:00:00Z``, past 9999 in China time) was written,
and then stopped the projections. So a date-time input must lie, in UTC, a day inside the
calendar's ends: then it can be shown at any offset (Python's offsets are under a day).
Anything outside is refused naming the field, before anything is read or written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.errors import ValidationError

EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
"""The first moment accepted: 0001-01-02T00:00:00Z."""
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
"""The last moment accepted: 9999-12-30T23:59:59.999999Z."""


def checked_moment(field: str, value: datetime) -> datetime:
    """``value`` itself, or a ``ValidationError`` naming ``field`` when it lies too near the
    calendar's ends to be converted to UTC or any other offset. A date-time without an offset
    is held to the same bounds on its own clock (it is read in some zone later)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not EARLIEST <= aware <= LATEST:
        raise ValidationError(
            field,
            f"{value.isoformat()} is out of range: a date-time must lie between "
            f"{EARLIEST.date().isoformat()} and {LATEST.date().isoformat()} in UTC",
        )
    return value


def checked_optional(field: str, value: datetime | None) -> datetime | None:
    """As ``checked_moment``, passing None (a field left out) through."""
    return None if value is None else checked_moment(field, value)


def utc_moment(field: str, value: datetime | None) -> datetime | None:
    """A checked date-time input as UTC, as the read models store times (SQLite keeps no
    offset); None when left out."""
    return None if value is None else checked_moment(field, value).astimezone(UTC)
