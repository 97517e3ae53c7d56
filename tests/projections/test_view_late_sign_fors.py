"""12345 跟踪问效: sign-fors (签收) and returns (退单) against their limits, in the overview
and in the unit scorecards, as of a date.

Limits (default policy, every channel): sign for within 1 working day of the dispatch,
return within 2. March 2021 has plain five-day weeks (Mon 03-01, 03-08); Labour Day
2021 is 05-01..05-05 (Sun 04-25 a make-up working day).

A sign-for is late when recorded on a business day after its sign-for deadline; a dispatch
awaiting the unit's answer (neither signed for nor returned) past that deadline counts too,
as of each day it is still awaited. A return is late when recorded after its return deadline;
a case returned without a sign-for is judged by its return deadline only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import Connection

from api.cli.calendar_adoption import adopt_holiday_file
from domain.channels import Channel
from domain.complaint import Complaint
from domain.meta import Actor, Role
from projections.views.overview import supervision_overview
from projections.views.scorecards import Scorecard, unit_scorecards
from tests.projections.view_builders import Books, beijing, d, open_books

HOTLINE, MEDIA = Channel.HOTLINE_12345, Channel.MEDIA
SCHEDULE_2027 = Path(__file__).parents[1] / "fixtures" / "holidays-2027-test.toml"


@dataclass
class Story:
    a: UUID
    b: UUID
    c: UUID


def dispatched(books: Books, channel: Channel, day: date, *, responder: UUID, to: UUID) -> UUID:
    """Received and dispatched to ``to`` on ``day``."""
    ledger, on = books.ledger, books.on(day)
    case = ledger.receive_complaint(
        on, channel=channel, summary="企业反映办事难", first_responder=responder
    ).item_id
    ledger.dispatch_complaint(on, case, unit=to)
    return case


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    a, b, c = books.unit("区住建局"), books.unit("区市场监管局"), books.unit("区自然资源局")
    # L1: dispatched Mon 03-01 to b (sign for by 03-02); signed for Fri 03-05, 4 working days on.
    l1 = dispatched(books, HOTLINE, d(3, 1), responder=a, to=b)
    ledger.sign_for_complaint(on(d(3, 5)), l1, unit=b)
    # L2: dispatched 03-01 to b (return by 03-03); returned Thu 03-04, a day late.
    l2 = dispatched(books, HOTLINE, d(3, 1), responder=a, to=b)
    ledger.return_complaint(on(d(3, 4)), l2, unit=b, reason="不属本单位职责")
    # L3: dispatched 03-01 to c, returned on time 03-03 (after the sign-for deadline 03-02,
    # within the return limit); redispatched to b on 03-03 (sign for by 03-04), never answered.
    l3 = dispatched(books, HOTLINE, d(3, 1), responder=a, to=c)
    ledger.return_complaint(on(d(3, 3)), l3, unit=c, reason="不属本单位职责")
    ledger.dispatch_complaint(on(d(3, 3)), l3, unit=b)
    # L4: dispatched Fri 03-05 to c; sign for by Mon 03-08 (the weekend is not counted).
    l4 = dispatched(books, HOTLINE, d(3, 5), responder=a, to=c)
    ledger.sign_for_complaint(on(d(3, 8)), l4, unit=c)
    # L5: dispatched Fri 04-30 to c; sign for by Thu 05-06, after the Labour Day holiday.
    l5 = dispatched(books, HOTLINE, d(4, 30), responder=a, to=c)
    ledger.sign_for_complaint(on(d(5, 6)), l5, unit=c)
    # M1: a media exposure dispatched 03-01 to c, signed for 03-03: late, in its own channel.
    m1 = dispatched(books, MEDIA, d(3, 1), responder=a, to=c)
    ledger.sign_for_complaint(on(d(3, 3)), m1, unit=c)
    return Story(a, b, c)


@pytest.fixture(scope="module")
def story_books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Story, Connection]]:
    """The story told once a module: the tests given it only read the read models."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('late-sign-fors') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn


def late(conn: Connection, day: date, channel: Channel = HOTLINE) -> tuple[int, int]:
    """(signForOverdue, returnOverdue) of ``channel`` as of ``day``."""
    found = next(f for f in supervision_overview(conn, day).channels if f.channel is channel)
    return found.sign_for_overdue, found.return_overdue


def test_a_sign_for_four_working_days_after_its_dispatch_counts_late_after_its_deadline(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    assert late(conn, d(2, 28)) == (0, 0)
    assert late(conn, d(3, 2)) == (0, 0)  # 03-02 is the deadline's own day, not past it
    # 03-03: L1 and L2 awaited past 03-02; L3 was returned on time and redispatched that day
    assert late(conn, d(3, 3)) == (2, 0)
    # 03-04: L2 returned a day late: counted as a late return, no longer as awaited
    assert late(conn, d(3, 4)) == (1, 1)
    # 03-05: L1 signed for late; L3's redispatch (due 03-04) still awaited
    assert late(conn, d(3, 5)) == (2, 1)
    # L4 signed for on Monday after a Friday dispatch, L5 after Labour Day: both on time
    assert late(conn, d(3, 31)) == (2, 1)
    assert late(conn, d(5, 31)) == (2, 1)


def test_a_case_awaiting_its_sign_for_over_a_holiday_is_not_overdue_before_its_deadline(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    # L5, dispatched 04-30, is due 05-06: still awaited through the holiday, not overdue
    assert late(conn, d(5, 5)) == (2, 1)
    assert late(conn, d(5, 6)) == (2, 1)


def test_each_channel_counts_its_own_late_sign_fors(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    assert late(conn, d(3, 2), MEDIA) == (0, 0)
    assert late(conn, d(3, 3), MEDIA) == (1, 0)  # M1, due 03-02, signed for 03-03
    others = (Channel.GOOD_BAD_REVIEW, Channel.FAULT_FINDING, Channel.THREE_TEAMS)
    assert all(late(conn, d(12, 31), channel) == (0, 0) for channel in others)


def cards(conn: Connection, period: str) -> dict[str, Scorecard]:
    return {card.name: card for card in unit_scorecards(conn, period)}


def answers(card: Scorecard) -> tuple[int, int, int]:
    return card["late_sign_fors"], card["late_returns"], card.overdue_sign_fors


def test_the_unit_that_signed_or_returned_late_has_it_on_its_scorecard(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    q1 = cards(conn, "2021-Q1")
    # b: L1 signed for late, L2 returned late, L3's redispatch awaited at 03-31 past 03-04
    assert answers(q1["区市场监管局"]) == (1, 1, 1)
    # c: M1 signed for late; its return of L3 was on time; L4 signed for on time
    assert answers(q1["区自然资源局"]) == (1, 0, 0)
    # a received every case (首问) and was never sent one
    assert answers(q1["区住建局"]) == (0, 0, 0)
    # Q2: nothing signed or returned late (L5 on time); L3 still awaited at 06-30
    q2 = cards(conn, "2021-Q2")
    assert answers(q2["区市场监管局"]) == (0, 0, 1)
    assert answers(q2["区自然资源局"]) == (0, 0, 0)


def test_late_sign_fors_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        tell(books)
        with books.read() as conn:
            figures = [late(conn, day) for day in (d(3, 3), d(3, 4), d(3, 5))]
            b = cards(conn, "2021-Q1")["区市场监管局"]
    assert figures == [(2, 0), (1, 1), (2, 1)]
    assert answers(b) == (1, 1, 1)


def dispatched_on_new_years_eve_2026(books: Books) -> tuple[UUID, UUID]:
    """A 12345 case dispatched to b on Thu 2026-12-31: with 2027 not covered, its sign-for
    deadline is Fri 2027-01-01 (only weekends off), provisional."""
    a, b = books.unit("区住建局"), books.unit("区市场监管局")
    case = dispatched(books, HOTLINE, date(2026, 12, 31), responder=a, to=b)
    return case, b


def test_a_deadline_in_a_year_without_a_schedule_counts_as_recorded_into_2027(
    sqlite_url: str,
) -> None:
    with open_books(sqlite_url) as books:
        books.clock.now = beijing(date(2027, 1, 10))
        case, b = dispatched_on_new_years_eve_2026(books)
        books.ledger.sign_for_complaint(books.on(date(2027, 1, 4)), case, unit=b)
        with books.read() as conn:
            on_days = [late(conn, date(2027, 1, day)) for day in (1, 2, 4)]
            card = cards(conn, "2027-Q1")["区市场监管局"]
    # past the provisional 01-01 from 01-02; signed for on 01-04 against it: late
    assert on_days == [(0, 0), (1, 0), (1, 0)]
    assert answers(card) == (1, 0, 0)


def test_the_2027_schedule_adopted_moves_the_sign_for_deadline_from_the_day_of_adoption(
    sqlite_url: str,
) -> None:
    with open_books(sqlite_url) as books:
        books.clock.now = beijing(date(2026, 12, 31), hour=11)
        case, b = dispatched_on_new_years_eve_2026(books)
        # adopted on Sat 01-02: 01-01..01-03 off, so the deadline becomes Mon 01-04
        books.clock.now = beijing(date(2027, 1, 2))
        adopt_holiday_file(books.ledger, SCHEDULE_2027, Actor("cli:office-li", Role.OFFICE))
        books.clock.now = beijing(date(2027, 1, 5))
        books.ledger.sign_for_complaint(books.on(date(2027, 1, 4)), case, unit=b)
        last_but_one = books.ledger.item_events(case)[-2]
        with books.read() as conn:
            on_days = [late(conn, date(2027, 1, day)) for day in (1, 2, 4, 5)]
    assert isinstance(last_but_one, Complaint.DeadlinesRecomputed)
    assert last_but_one.sign_by == date(2027, 1, 4)
    assert on_days == [(0, 0), (0, 0), (0, 0), (0, 0)]
