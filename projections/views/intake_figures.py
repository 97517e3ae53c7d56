"""Intake lines (受理专线: the 24-hour line): each line's cases and their receipts, as of
any business date.

A receipt is due a number of clock hours after the case was received and is met by the
case's first dispatch (``domain.intakes``). As of a day, the moment looked at is the end of
that day in Beijing time, or the present moment for a day not over yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Connection, case, func, or_, select

from domain.channels import Channel
from domain.intakes import Intake, intake_named
from domain.timed_acts import end_of_day
from projections import tables as t


@dataclass(frozen=True)
class IntakeFigures:
    """One intake line's cases as of the day."""

    key: str
    intake: Intake | None
    """As the policy lists it; None for a line the policy no longer lists."""
    received: int
    """Cases received through it by the day."""
    receipted: int
    """Of them, receipted (dispatched) by the moment looked at."""
    receipts_late: int
    """Of those, receipted after their receipt deadline."""
    awaiting_overdue: int
    """Received, not receipted by the moment looked at, and past their receipt deadline."""

    @property
    def name(self) -> str | None:
        return None if self.intake is None else self.intake.name

    @property
    def channel(self) -> Channel | None:
        return None if self.intake is None else self.intake.channel


def moment_of(as_of: date, now: datetime | None) -> datetime:
    """The moment a view as of ``as_of`` looks at: the end of the day in Beijing time, or
    ``now`` when that is earlier (the day is not over), in UTC as the read models keep it."""
    end = end_of_day(as_of)
    return (end if now is None else min(end, now)).astimezone(UTC)


def intake_figures(
    conn: Connection, as_of: date, intakes: Sequence[Intake], now: datetime | None = None
) -> list[IntakeFigures]:
    """Each of ``intakes`` (the policy's, in its order, even with no case), then any other
    line a case received by ``as_of`` names (a list changed since), by key."""
    c, moment = t.complaints, moment_of(as_of, now)
    receipted = c.c.receipted_at <= moment
    late = receipted & (c.c.receipted_at > c.c.receipt_by)
    awaiting = or_(c.c.receipted_at.is_(None), c.c.receipted_at > moment) & (
        c.c.receipt_by < moment
    )
    rows = conn.execute(
        select(c.c.intake, func.count(), _tally(receipted), _tally(late), _tally(awaiting))
        .where(c.c.intake.isnot(None), c.c.received_on <= as_of)
        .group_by(c.c.intake)
    )
    found = {key: tuple(int(n or 0) for n in numbers) for key, *numbers in rows}
    listed = [i.key for i in intakes]
    keys = listed + sorted(k for k in found if k not in listed)
    return [
        IntakeFigures(
            key,
            intake_named(key, intakes),
            *found.get(key, (0, 0, 0, 0)),
        )
        for key in keys
    ]


def _tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many of the group's cases meet ``condition``."""
    return func.sum(case((condition, 1), else_=0))


def next_receipt_due(conn: Connection, as_of: date, now: datetime | None) -> datetime | None:
    """The next moment the figures as of ``as_of`` change with nothing written: the earliest
    receipt deadline still to pass, by the day's end, of a case not receipted by then (None:
    none, or the day is over)."""
    c, moment = t.complaints, moment_of(as_of, now)
    end = end_of_day(as_of).astimezone(UTC)
    if moment >= end:
        return None
    found = conn.execute(
        select(func.min(c.c.receipt_by)).where(
            c.c.intake.isnot(None),
            c.c.received_on <= as_of,
            c.c.receipt_by >= moment,
            c.c.receipt_by < end,
            or_(c.c.receipted_at.is_(None), c.c.receipted_at > c.c.receipt_by),
        )
    ).scalar()
    if not isinstance(found, datetime):
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
