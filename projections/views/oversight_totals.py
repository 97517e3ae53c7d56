"""Interviews (约谈) and referrals to discipline inspection (移交纪检监察) in figures, as of a
business date: how many stand in each state, and how many were made in each month of the
date's year up to its month (``rm_oversight_timeline``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from domain.interview import InterviewState
from domain.referral import ReferralState
from projections import tables as t
from projections.current_rows import standing


@dataclass(frozen=True)
class OversightMonth:
    month: str
    """2021-03."""
    interviews: int
    """Interviews scheduled in the month."""
    referrals: int
    """Referrals made in the month."""


@dataclass(frozen=True)
class OversightTotals:
    as_of: date
    interviews: dict[InterviewState, int]
    referrals: dict[ReferralState, int]
    monthly: list[OversightMonth]


def oversight_totals(conn: Connection, as_of: date) -> OversightTotals:
    o = standing(conn, t.oversight_timeline, as_of)
    states = conn.execute(
        select(o.c.item_type, o.c.state, func.count()).group_by(o.c.item_type, o.c.state)
    )
    interviews = dict.fromkeys(InterviewState, 0)
    referrals = dict.fromkeys(ReferralState, 0)
    for item_type, state, n in states:
        if item_type == "Interview":
            interviews[InterviewState(state)] += int(n)
        else:
            referrals[ReferralState(state)] += int(n)
    return OversightTotals(as_of, interviews, referrals, _monthly(conn, as_of))


def _monthly(conn: Connection, as_of: date) -> list[OversightMonth]:
    o = t.oversight_timeline
    made = (
        select(o.c.item_id, o.c.item_type, func.min(o.c.day).label("day"))
        .group_by(o.c.item_id, o.c.item_type)
        .subquery()
    )
    rows = conn.execute(
        select(made.c.item_type, made.c.day).where(
            made.c.day >= date(as_of.year, 1, 1), made.c.day <= as_of
        )
    )
    counts = {(m, kind): 0 for m in range(1, as_of.month + 1) for kind in ("i", "r")}
    for item_type, day in rows:
        counts[(day.month, "i" if item_type == "Interview" else "r")] += 1
    return [
        OversightMonth(f"{as_of.year}-{m:02d}", counts[(m, "i")], counts[(m, "r")])
        for m in range(1, as_of.month + 1)
    ]
