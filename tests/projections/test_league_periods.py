"""The league takes the latest period completed or under way, compared as periods."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.assessment import Assessment, AssessmentKind, Verdict, assessment_id_for
from domain.meta import EventMeta
from projections.views.overview import supervision_overview
from tests.projections.view_builders import OFFICE, Books, beijing, d, open_books

LEAGUE = AssessmentKind.UNIT_ASSESSMENT


def assess(
    books: Books, unit: UUID, period: str, score: str, day_recorded: tuple[int, int, int]
) -> None:
    month, day, year = day_recorded
    books.ledger.record_assessment(
        books.on(d(month, day, year)), unit=unit, period=period, kind=LEAGUE, score=Decimal(score)
    )


def league_periods_and_scores(
    books: Books, month: int, day: int, year: int
) -> list[tuple[str, Decimal]]:
    with books.read() as conn:
        return [(e.period, e.score) for e in supervision_overview(conn, d(month, day, year)).league]


def test_a_year_recorded_after_its_quarters_replaces_them_in_the_league(sqlite_url: str) -> None:
    with open_books(sqlite_url) as books:
        a = books.unit("区住建局")
        assess(books, a, "2021-Q3", "70.0", (10, 8, 2021))
        assess(books, a, "2021-Q4", "80.0", (1, 5, 2022))
        assert league_periods_and_scores(books, 1, 6, 2022) == [("2021-Q4", Decimal("80.0"))]
        assess(books, a, "2021", "90.0", (1, 10, 2022))
        # As texts "2021" < "2021-Q4"; as periods the year is the later.
        assert league_periods_and_scores(books, 1, 11, 2022) == [("2021", Decimal("90.0"))]
        assess(books, a, "2022-Q1", "60.0", (4, 6, 2022))
        assert league_periods_and_scores(books, 4, 7, 2022) == [("2022-Q1", Decimal("60.0"))]


def test_an_assessment_for_2030_already_in_the_log_does_not_replace_the_league(
    sqlite_url: str,
) -> None:
    with open_books(sqlite_url) as books:
        a, b = books.unit("区住建局"), books.unit("区市场监管局")
        assess(books, a, "2021-Q2", "88.0", (7, 6, 2021))
        # Written before future periods were refused: it stays in the log as it was.
        when = beijing(d(7, 7))
        stray = Assessment._start(
            Assessment.Recorded,
            EventMeta(OFFICE, when, books.clock(), "r", imported=True),
            assessment_id_for(b, "2030", LEAGUE),
            unit=b,
            period="2030",
            kind=LEAGUE,
            score=Decimal("99.0"),
            verdict=Verdict.REWARD,
            note="",
        )
        books.ledger.save(stray)
        assert league_periods_and_scores(books, 7, 31, 2021) == [("2021-Q2", Decimal("88.0"))]
