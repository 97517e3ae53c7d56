"""Referral candidates (移交纪检监察对象建议): units whose case looks serious (情节严重).

Item 22 of the plan: units interviewed for pushing work weakly are, where the case is
serious, referred to discipline inspection. This lists, as of a business date, the units
that meet the configured criteria (``[referral_criteria]`` of the policy), with the items
behind each reason, for the office to decide on; it never refers anyone by itself.

- ``unmet_rectifications``: interviews of the unit held by then whose rectification
  deadline had passed without a follow-up confirming rectification on or before it (a
  rectification confirmed late still missed its deadline);
- ``red_tasks_after_interview``: tasks the unit leads that were red that day (open, past
  their deadline as it stood then) with a deadline on or after the day of its latest
  interview held by then: red again after being interviewed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, and_, func, or_, select

from domain.policy import ReferralCriteria
from projections import tables as t
from projections.views.candidates import grouped_by_unit
from projections.views.task_board import OPEN
from projections.views.timelines import latest_days


@dataclass
class ReferralCandidate:
    unit: str
    name: str
    reasons: dict[str, list[str]] = field(default_factory=dict)
    referrals_so_far: int = 0  # referrals of the unit made on or before the day


def referral_candidates(
    conn: Connection, criteria: ReferralCriteria, as_of: date
) -> list[ReferralCandidate]:
    """Units meeting at least one criterion on ``as_of``, most reasons first, each with the
    ids of the items behind each reason."""
    found: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for reason, items, threshold in (
        ("unmet_rectifications", _unmet_rectifications(conn, as_of), criteria.unmet_rectifications),
        (
            "red_tasks_after_interview",
            _red_tasks_after_interview(conn, as_of),
            criteria.red_tasks_after_interview,
        ),
    ):
        for unit, cited in items.items():
            if threshold and len(cited) >= threshold:
                found[unit][reason] = sorted(cited)
    names = dict(conn.execute(select(t.units.c.id, t.units.c.name)).all())
    referred = _referrals_made(conn, as_of)
    candidates = [
        ReferralCandidate(unit, names.get(unit, unit), reasons, referred.get(unit, 0))
        for unit, reasons in found.items()
    ]
    return sorted(candidates, key=lambda c: (-len(c.reasons), c.name))


def _unmet_rectifications(conn: Connection, as_of: date) -> dict[str, list[str]]:
    iv = t.interviews.c
    rows = conn.execute(
        select(iv.unit, iv.id).where(
            iv.held_on <= as_of,
            iv.rectify_by < as_of,
            or_(iv.rectified_on.is_(None), iv.rectified_on > iv.rectify_by),
        )
    )
    return grouped_by_unit(rows)


def _red_tasks_after_interview(conn: Connection, as_of: date) -> dict[str, list[str]]:
    iv, timeline, links = t.interviews.c, t.task_timeline, t.task_units
    latest_interview = (
        select(iv.unit, func.max(iv.held_on).label("held_on"))
        .where(iv.held_on <= as_of)
        .group_by(iv.unit)
        .subquery()
    )
    latest = latest_days(timeline.c.task_id, timeline.c.day, as_of)
    rows = conn.execute(
        select(links.c.unit_id, timeline.c.task_id)
        .join_from(
            latest,
            timeline,
            and_(timeline.c.task_id == latest.c.task_id, timeline.c.day == latest.c.day),
        )
        .join(links, links.c.task_id == timeline.c.task_id)
        .join(latest_interview, latest_interview.c.unit == links.c.unit_id)
        .where(
            links.c.role == "lead",
            timeline.c.state.in_(OPEN),
            timeline.c.deadline < as_of,
            timeline.c.deadline >= latest_interview.c.held_on,
        )
    )
    return grouped_by_unit(rows)


def _referrals_made(conn: Connection, as_of: date) -> dict[str, int]:
    r, days = t.referrals.c, t.oversight_timeline.c
    rows = conn.execute(
        select(r.unit, func.count(func.distinct(r.id)))
        .join_from(t.referrals, t.oversight_timeline, days.item_id == r.id)
        .where(days.day <= as_of)
        .group_by(r.unit)
    )
    return {unit: int(n) for unit, n in rows}
