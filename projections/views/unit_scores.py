"""督导考核奖惩: what the score formula reads of each unit's period, and the units' scores by
a formula (``domain.score_formula``); the enterprises' ratings by unit and quarter."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from sqlalchemy import Connection, Engine, case, select

from domain.channels import Channel
from domain.errors import ValidationError
from domain.period import Period
from domain.quarter_scores import PublishedScore, published
from domain.score_formula import TENTH, Rate, ScoreFormula, UnitFigures, UnitScore, ranked, score_of
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


def unit_scores(
    conn: Connection,
    period: str,
    formula: ScoreFormula,
    as_of: date | None = None,
    ratings: dict[str, Rating] | None = None,
) -> list[UnitScore]:
    """The score by ``formula`` of every unit with something to measure in ``period`` (a
    rate due: a unit with none, merged away or registered later, is not scored), ranked;
    a period still under way as of ``as_of`` (its figures then, not at its end)."""
    cards = unit_scorecards(conn, period, as_of)
    names = {card.unit: card.name for card in cards}
    found = unit_figures(conn, period, cards, as_of, ratings)
    measured = [f for f in found if any(r.value is not None for r in f.rates.values())]
    return ranked((score_of(f, formula) for f in measured), names)


def unit_figures(
    conn: Connection,
    period: str,
    cards: list[Scorecard] | None = None,
    as_of: date | None = None,
    ratings: dict[str, Rating] | None = None,
) -> list[UnitFigures]:
    """What the formula reads of every unit's ``period`` (as of ``as_of`` if it is earlier
    than the period's end)."""
    cards = unit_scorecards(conn, period, as_of) if cards is None else cards
    parsed = Period.parse(period)
    end = parsed.end if as_of is None else min(parsed.end, as_of)
    rectified = _rectification(conn, parsed.start, end)
    ratings = enterprise_ratings(conn, period) if ratings is None else ratings
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


def _rectification(conn: Connection, start: date, end: date) -> Counts:
    """Per unit: (met, due) of the rectifications due from ``start`` to ``end``: founded
    exposures of it whose deadline fell then (met: rectified by then), and the
    rectification demands of its interviews due then (met: rectified by then)."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    c, i = t.complaints, t.interviews
    exposures = select(c.c.subject_unit, c.c.close_by, c.c.rectified_on).where(
        c.c.founded.is_(True),
        c.c.channel.in_(EXPOSURE_CHANNELS),
        c.c.subject_unit.is_not(None),
        c.c.close_by >= start,
        c.c.close_by <= end,
    )
    done_on = case((i.c.rectified.is_(True), i.c.rectified_on), else_=None)
    demands = select(i.c.unit, i.c.rectify_by, done_on).where(
        i.c.rectify_by >= start,
        i.c.rectify_by <= end,
    )
    for query in (exposures, demands):
        for unit, due_by, done_on in conn.execute(query):
            found[unit][1] += 1
            found[unit][0] += int(done_on is not None and done_on <= due_by)
    return {unit: (met, due) for unit, (met, due) in found.items()}


def enterprise_ratings(conn: Connection, period: str) -> dict[str, Rating]:
    """Per unit, the enterprises' ratings of it in the period's quarters: the mean of the
    evaluations' means, to one decimal place (half up), summed as decimals in Python (the
    same on SQLite, which keeps a numeric column as a float, as on PostgreSQL)."""
    e = st.enterprise_evaluations
    quarters = [str(q) for q in Period.parse(period).quarters]
    means: dict[str, list[Decimal]] = defaultdict(list)
    for unit, mean in conn.execute(select(e.c.unit, e.c.mean).where(e.c.quarter.in_(quarters))):
        means[unit].append(Decimal(str(mean)).quantize(TENTH, rounding=ROUND_HALF_UP))
    return {
        unit: Rating(
            (sum(found, Decimal(0)) / len(found)).quantize(TENTH, rounding=ROUND_HALF_UP),
            len(found),
        )
        for unit, found in means.items()
    }


def scores_to_publish(engine: Engine, quarter: str, formula: ScoreFormula) -> list[PublishedScore]:
    """Every unit's score for ``quarter`` by ``formula`` as a publication records it, with
    the enterprises' ratings it used (read once, in one transaction). A version published
    before with other weights is refused: a changed formula takes a new version."""
    with engine.connect() as conn, conn.begin():
        check_version(conn, formula)
        ratings = enterprise_ratings(conn, quarter)
        scores = unit_scores(conn, quarter, formula, ratings=ratings)
    return [_published(s, ratings.get(s.unit)) for s in scores]


def check_version(conn: Connection, formula: ScoreFormula) -> None:
    """A ``ValidationError`` when ``formula``'s version was published with other weights."""
    f = st.score_formulas
    row = conn.execute(select(f.c.formula).where(f.c.version == formula.version)).first()
    if row is not None and ScoreFormula.from_record(formula.version, row.formula) != formula:
        raise ValidationError(
            "formula",
            f"version {formula.version} was published with other weights: give the "
            "policy's changed [assessment_formula] a new version",
        )


def _published(score: UnitScore, rating: Rating | None) -> PublishedScore:
    if rating is None:
        return published(score, UUID(score.unit))
    return published(score, UUID(score.unit), rating.mean, rating.evaluations)
