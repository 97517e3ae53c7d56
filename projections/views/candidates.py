"""Interview candidates (约谈对象建议): units that meet the plan's 约谈 criteria.

Item 22 of the plan: units whose work is pushed weakly, that lag behind, or
that were exposed as negative examples are interviewed. This lists the units
that meet the configured criteria, with the items behind each reason, for the
office to decide on; it never schedules an interview by itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from domain.channels import Channel
from domain.interview import InterviewState
from domain.policy import InterviewCriteria
from projections import tables as t
from projections.views.task_board import OPEN


@dataclass
class Candidate:
    unit: str
    name: str
    reasons: dict[str, list[str]] = field(default_factory=dict)
    interviews_so_far: int = 0  # interviews held with the unit so far


def interview_candidates(
    conn: Connection, criteria: InterviewCriteria, today: date
) -> list[Candidate]:
    """Units meeting at least one criterion, most reasons first, each with its cited items."""
    found: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for reason, items, threshold in (
        ("overdue_tasks", _overdue_tasks(conn, today), criteria.overdue_tasks),
        (
            "unrectified_exposures",
            _unrectified_exposures(conn, today),
            criteria.unrectified_exposures,
        ),
        (
            "bad_reviews",
            _bad_reviews(conn, today - timedelta(days=criteria.bad_review_window_days), today),
            criteria.bad_reviews,
        ),
    ):
        for unit, cited in items.items():
            if threshold and len(cited) >= threshold:
                found[unit][reason] = sorted(cited)
    names = dict(conn.execute(select(t.units.c.id, t.units.c.name)).all())
    interviews = _interview_counts(conn)
    candidates = [
        Candidate(unit, names.get(unit, unit), reasons, interviews.get(unit, 0))
        for unit, reasons in found.items()
    ]
    return sorted(candidates, key=lambda c: (-len(c.reasons), c.name))


def _overdue_tasks(conn: Connection, today: date) -> dict[str, list[str]]:
    tasks, links = t.tasks, t.task_units
    rows = conn.execute(
        select(links.c.unit_id, tasks.c.id)
        .join_from(links, tasks, tasks.c.id == links.c.task_id)
        .where(links.c.role == "lead", tasks.c.state.in_(OPEN), tasks.c.deadline < today)
    )
    return grouped_by_unit(rows)


def _unrectified_exposures(conn: Connection, today: date) -> dict[str, list[str]]:
    c = t.complaints
    rows = conn.execute(
        select(c.c.subject_unit, c.c.id).where(
            c.c.channel == Channel.MEDIA.value,
            c.c.founded.is_(True),
            c.c.rectified_on.is_(None),
            c.c.closed_on.is_(None),
            c.c.close_by < today,
            c.c.subject_unit.is_not(None),
        )
    )
    return grouped_by_unit(rows)


def _bad_reviews(conn: Connection, since: date, today: date) -> dict[str, list[str]]:
    c = t.complaints
    rows = conn.execute(
        select(c.c.subject_unit, c.c.id).where(
            c.c.channel == Channel.GOOD_BAD_REVIEW.value,
            c.c.founded.is_(True),
            c.c.received_on > since,
            c.c.received_on <= today,
            c.c.subject_unit.is_not(None),
        )
    )
    return grouped_by_unit(rows)


def _interview_counts(conn: Connection) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    held = (InterviewState.HELD.value, InterviewState.FOLLOWED_UP.value)
    for (unit,) in conn.execute(select(t.interviews.c.unit).where(t.interviews.c.state.in_(held))):
        counts[unit] += 1
    return counts


def grouped_by_unit(rows: Iterable[Any]) -> dict[str, list[str]]:
    """(unit, item) rows as each unit's items."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for unit, item in rows:
        grouped[unit].append(item)
    return grouped
