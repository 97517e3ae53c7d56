"""督导考核奖惩: what the score formula reads of each unit's period, and the units' scores by
a formula (``domain.score_formula``); the enterprises' ratings by unit and quarter."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Connection, Engine, case, func, select

from domain.channels import Channel
from domain.period import Period
from domain.quarter_scores import PublishedScore, published
from domain.score_formula import Rate, ScoreFormula, UnitFigures, UnitScore, ranked, score_of
from projections import score_tables as st
from projections import tables as t
from projections.views.scorecards import Scorecard, unit_scorecards

EXPOSURE_CHANNELS = (Channel.GOOD_BAD_REVIEW.value, Channel.MEDIA.value)
"""The channels whose founded cases are exposures of the unit, to be rectified (整改)."""
Counts = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Rating:
    """The enterprises' ratings of a unit in a period: their mean (of the evaluations'
    means, to one decimal) and how many evaluations."""

    mean: Decimal
    evaluations: int


def unit_scores(conn: Connection, period: str, formula: ScoreFormula) -> list[UnitScore]:
    """Every unit's score for ``period`` by ``formula``, ranked."""
    cards = unit_scorecards(conn, period)
    names = {card.unit: card.name for card in cards}
    return ranked((score_of(f, formula) for f in unit_figures(conn, period, cards)), names)


def unit_figures(
    conn: Connection, period: str, cards: list[Scorecard] | None = None
) -> list[UnitFigures]:
    """What the formula reads of every unit's ``period``."""
    cards = unit_scorecards(conn, period) if cards is None else cards
    parsed = Period.parse(period)
    rectified = _rectification(conn, parsed)
    ratings = enterprise_ratings(conn, period)
    return [
        _figures(card, rectified.get(card.unit, (0, 0)), ratings.get(card.unit)) for card in cards
    ]


def _figures(card: Scorecard, rectified: tuple[int, int], rating: Rating | None) -> UnitFigures:
    def rate(met: int | Decimal, due: int | Decimal) -> Rate:
        return Rate(Decimal(met), Decimal(due))

    return UnitFigures(
        card.unit,
        {
            "task_on_time": rate(
                card["tasks_closed_on_time"], card["tasks_closed"] + card.overdue_tasks
            ),
            "efficiency": rate(card["closed_on_time"], card["closed"]),
            "rectification": rate(*rectified),
            "enterprise_rating": rate(0, 0) if rating is None else rate(rating.mean, 100),
        },
        {
            "overdue_tasks": card.overdue_tasks,
            "interviews": card["interviews"],
            "referrals": card["referrals"],
            "once_notice_breaches": card["once_notice_breaches"],
            "late_answers": card["late_sign_fors"] + card["late_returns"],
        },
    )


def _rectification(conn: Connection, period: Period) -> Counts:
    """Per unit: (met, due) of the rectifications due in the period: founded exposures of it
    whose deadline fell in it (met: rectified by then), and the rectification demands of
    its interviews due in it (met: rectified by then)."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    c, i = t.complaints, t.interviews
    exposures = select(c.c.subject_unit, c.c.close_by, c.c.rectified_on).where(
        c.c.founded.is_(True),
        c.c.channel.in_(EXPOSURE_CHANNELS),
        c.c.subject_unit.is_not(None),
        c.c.close_by >= period.start,
        c.c.close_by <= period.end,
    )
    done_on = case((i.c.rectified.is_(True), i.c.rectified_on), else_=None)
    demands = select(i.c.unit, i.c.rectify_by, done_on).where(
        i.c.rectify_by >= period.start,
        i.c.rectify_by <= period.end,
    )
    for query in (exposures, demands):
        for unit, due_by, done_on in conn.execute(query):
            found[unit][1] += 1
            found[unit][0] += int(done_on is not None and done_on <= due_by)
    return {unit: (met, due) for unit, (met, due) in found.items()}


def enterprise_ratings(conn: Connection, period: str) -> dict[str, Rating]:
    """Per unit, the enterprises' ratings of it in the period's quarters."""
    e = st.enterprise_evaluations
    quarters = [str(q) for q in Period.parse(period).quarters]
    rows = conn.execute(
        select(e.c.unit, func.sum(e.c.mean), func.count())
        .where(e.c.quarter.in_(quarters))
        .group_by(e.c.unit)
    )
    return {
        unit: Rating((Decimal(str(total)) / n).quantize(Decimal("0.1")), int(n))
        for unit, total, n in rows
    }


def scores_to_publish(engine: Engine, quarter: str, formula: ScoreFormula) -> list[PublishedScore]:
    """Every unit's score for ``quarter`` by ``formula`` as a publication records it, with
    the enterprises' ratings it used."""
    with engine.connect() as conn:
        ratings = enterprise_ratings(conn, quarter)
        scores = unit_scores(conn, quarter, formula)
    return [_published(s, ratings.get(s.unit)) for s in scores]


def _published(score: UnitScore, rating: Rating | None) -> PublishedScore:
    if rating is None:
        return published(score, UUID(score.unit))
    return published(score, UUID(score.unit), rating.mean, rating.evaluations)
