"""督导考核奖惩 from the read models: what the formula reads of each unit's quarter, the
scores it gives, and a quarter's publication with the enterprises' ratings (企业评议机关).

2021-Q2. 区住建局 (a): task T1 closed on time, T2 open past its deadline at 06-30 (task
on time 1 of 2); its one case closed on time (efficiency 1 of 1); a founded bad review of it
rectified in time (rectification 1 of 1; its interview's demand is due 07-31, in Q3); rated
90.0 and 80.0 by two enterprises (85.0); interviewed once. 区市场监管局 (b): nothing to
区市场监管局 (b) and 区自然资源局 (c): one case each closed on time: 100. 区统计局: nothing to
measure, not scored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.channels import Channel
from domain.enterprise_evaluation import CriterionScore
from domain.errors import ValidationError
from domain.policy import default_policy
from projections.views.published_scores import (
    formula_published,
    latest_publication,
    publication_of,
)
from projections.views.unit_scores import (
    Rating,
    enterprise_ratings,
    scores_to_publish,
    unit_figures,
    unit_scores,
)
from tests.conftest import fresh_database
from tests.projections.view_builders import (
    Books,
    beijing,
    closed_task,
    complaint,
    d,
    found,
    open_books,
    rectified,
    settled,
    task,
)

FORMULA = default_policy().assessment_formula


@dataclass
class Story:
    a: UUID
    b: UUID
    c: UUID


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    a, b, c = books.unit("区住建局"), books.unit("区市场监管局"), books.unit("区自然资源局")
    books.unit("区统计局")  # nothing to measure in the quarter: not scored
    for unit, day in ((b, d(5, 10)), (c, d(5, 11))):  # one case each, closed on time
        case = complaint(books, Channel.HOTLINE_12345, day, responder=unit)
        settled(books, case, founded=day, rectified_on=day, satisfied=day, closed_on=day)
    t1 = task(books, 1, lead=[a], assigned=d(4, 1), deadline=d(5, 31))
    closed_task(books, t1, d(5, 28))
    t2 = task(books, 2, lead=[a], assigned=d(4, 6), deadline=d(6, 15))
    c1 = complaint(books, Channel.HOTLINE_12345, d(4, 6), responder=a)
    settled(books, c1, founded=d(4, 7), rectified_on=d(4, 8), satisfied=d(4, 9), closed_on=d(4, 9))
    review = complaint(books, Channel.GOOD_BAD_REVIEW, d(5, 6), responder=c, subject=a)
    found(books, review, d(5, 7))
    rectified(books, review, d(5, 10))
    iv = ledger.schedule_interview(
        on(d(6, 20)),
        unit=a,
        interviewee="区住建局局长",
        reason="督办事项逾期",
        cited_items=[t2],
        scheduled_for=beijing(d(6, 25)),
    ).item_id
    ledger.hold_interview(
        on(d(6, 25)),
        iv,
        facts="逾期",
        commitments=["7月底前完成"],
        demands=["整改"],
        rectify_by=d(7, 31),
    )
    for enterprise, score in (("恒力石化", "90"), ("大连造船", "80")):
        ledger.record_enterprise_evaluation(
            on(d(7, 2)),
            enterprise=enterprise,
            unit=a,
            quarter="2021-Q2",
            scores=[CriterionScore("服务态度", Decimal(score))],
        )
    # a Q3 evaluation counts in Q3 only
    ledger.record_enterprise_evaluation(
        on(d(7, 3)),
        enterprise="恒力石化",
        unit=a,
        quarter="2021-Q3",
        scores=[CriterionScore("服务态度", Decimal(50))],
    )
    return Story(a, b, c)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def told(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Story, Connection]]:
    """The story told once a module on each database, for the tests that only read it."""
    folder = tmp_path_factory.mktemp("unit-scores")
    with fresh_database(request.param, folder) as url, open_books(url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn


@pytest.fixture
def read(database_url: str) -> Iterator[tuple[Books, Story, Connection]]:
    """The story told on a database of the test's own, for the tests that write."""
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield books, story, conn


def test_the_formula_reads_each_units_rates_and_counts_of_the_quarter(
    told: tuple[Story, Connection],
) -> None:
    story, conn = told
    by_unit = {f.unit: f for f in unit_figures(conn, "2021-Q2")}
    a = by_unit[str(story.a)]
    assert {k: (r.met, r.due) for k, r in a.rates.items()} == {
        "task_on_time": (1, 2),
        "efficiency": (1, 1),
        "rectification": (1, 1),
        "enterprise_rating": (Decimal("85.0"), 100),
    }
    assert a.counts == {
        "overdue_tasks": 1,
        "interviews": 1,
        "referrals": 0,
        "once_notice_breaches": 0,
        "late_answers": 0,
    }
    b = by_unit[str(story.b)]
    assert {k: r.value for k, r in b.rates.items()}["efficiency"] == 1
    idle = [f for f in by_unit.values() if all(r.value is None for r in f.rates.values())]
    assert len(idle) == 1 and not any(idle[0].counts.values())


def test_the_quarters_scores_follow_the_formula_and_rank_the_units(
    told: tuple[Story, Connection],
) -> None:
    story, conn = told
    scores = unit_scores(conn, "2021-Q2", FORMULA)
    # a: 0.5×30 + 1×30 + 1×20 + 0.85×20 − 2 − 5 = 75.0; b and c: 100, by name; 区统计局
    # had nothing to measure and is not scored
    assert [(s.unit, s.score, s.rank) for s in scores] == [
        (str(story.b), Decimal(100), 1),
        (str(story.c), Decimal(100), 1),
        (str(story.a), Decimal(75), 3),
    ]


def test_the_enterprises_ratings_are_per_quarter_and_a_year_takes_its_quarters(
    told: tuple[Story, Connection],
) -> None:
    story, conn = told
    a = str(story.a)
    assert enterprise_ratings(conn, "2021-Q2") == {a: Rating(Decimal("85.0"), 2)}
    assert enterprise_ratings(conn, "2021-Q3") == {a: Rating(Decimal("50.0"), 1)}
    assert enterprise_ratings(conn, "2021") == {a: Rating(Decimal("73.3"), 3)}


def test_a_publication_keeps_the_scores_formula_and_ratings_it_used_in_rank_and_name_order(
    read: tuple[Books, Story, Connection],
) -> None:
    books, story, _ = read
    books.ledger.score_with(partial(scores_to_publish, books.engine))
    books.ledger.publish_quarter_scores(books.on(d(7, 5)), quarter="2021-Q2")
    books.ledger.record_enterprise_evaluation(  # after the publication: not in it
        books.on(d(7, 6)),
        enterprise="长兴岛港口",
        unit=story.a,
        quarter="2021-Q2",
        scores=[CriterionScore("服务态度", Decimal(30))],
    )
    with books.read() as conn:
        published = publication_of(conn, "2021-Q2")
        assert published is not None
        assert (published.formula, published.published_on, published.publications) == (
            FORMULA,
            d(7, 5),
            1,
        )
        # b and c share rank 1 and stand by name, as unitScores lists them
        assert [(e.unit, e.rank) for e in published.entries] == [
            (str(story.b), 1),
            (str(story.c), 1),
            (str(story.a), 3),
        ]
        a = published.entries[-1]
        assert (a.score, a.rating) == (Decimal(75), Rating(Decimal("85.0"), 2))
        assert enterprise_ratings(conn, "2021-Q2")[str(story.a)] == Rating(Decimal("66.7"), 3)
        assert a.parts["task_on_time"] == "15.0" and a.rates["task_on_time"] == "0.5"
        assert latest_publication(conn, d(7, 4)) is None
        assert latest_publication(conn, d(7, 5)) == published
        assert formula_published(conn, "2021.1") == FORMULA
        assert formula_published(conn, "2020.9") is None


def test_a_quarter_is_not_published_without_the_read_models(
    read: tuple[Books, Story, Connection],
) -> None:
    books, _, _ = read
    with pytest.raises(ValidationError, match="read models"):
        books.ledger.publish_quarter_scores(books.on(d(7, 5)), quarter="2021-Q2")
