"""Unit scorecards (单位考核), per quarter and year, checked figure by figure.

Units sort by name, code point by code point: 区住建局 (住 U+4F4F) = a, 区市场监管局
(市 U+5E02) = b, 区自然资源局 (自 U+81EA) = c. Complaint figures go to the accountable unit
(the first responder, 首问负责); exposures to the unit exposed. A figure belongs to the
period in which the act that changed it happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.assessment import AssessmentKind
from domain.channels import Channel
from domain.errors import ValidationError
from projections.views.scorecards import Scorecard, period_bounds, unit_scorecards
from tests.projections.view_builders import (
    Books,
    beijing,
    called_back,
    closed,
    closed_task,
    complaint,
    d,
    found,
    open_books,
    rectified,
    settled,
    task,
)

METRICS = (
    "tasks_led",
    "tasks_closed",
    "tasks_closed_on_time",
    "urges",
    "escalated",
    "received",
    "closed",
    "closed_on_time",
    "satisfied",
    "returned",
    "bad_reviews",
    "media_exposures",
    "interviews",
    "referrals",
)


@dataclass
class Story:
    a: UUID
    b: UUID
    c: UUID


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    a, b, c = books.unit("区住建局"), books.unit("区市场监管局"), books.unit("区自然资源局")

    # Tasks. TA1 (lead a, cooperating b): assigned in Q1, due 05-31, urged, escalated, closed
    # on time on 05-28.
    ta1 = task(books, 1, lead=[a], cooperating=[b], assigned=d(3, 25), deadline=d(5, 31))
    ledger.urge_task(on(d(4, 12)), ta1, reason="进度滞后")
    ledger.escalate_task(on(d(5, 10)), ta1, reason="需协调")
    closed_task(books, ta1, d(5, 28))
    # TA2 (lead a): assigned 04-06, due 06-15, closed late on 07-20.
    ta2 = task(books, 2, lead=[a], assigned=d(4, 6), deadline=d(6, 15))
    closed_task(books, ta2, d(7, 20))
    # TB1 (lead b): assigned 05-10, due 09-30, urged twice, never closed.
    tb1 = task(books, 3, lead=[b], assigned=d(5, 10), deadline=d(9, 30))
    ledger.urge_task(on(d(6, 1)), tb1, reason="请加快进度")
    ledger.urge_task(on(d(6, 2)), tb1, reason="再次催办")

    # Complaints. C1 (12345, a): received Tue 04-06 (after Qingming), close_by 04-13.
    c1 = complaint(books, Channel.HOTLINE_12345, d(4, 6), responder=a)
    settled(books, c1, founded=d(4, 7), rectified_on=d(4, 8), satisfied=d(4, 9), closed_on=d(4, 9))
    # C2 (12345, a): dispatched to b, returned (退单) by b, redispatched to c; close_by 04-19;
    # called back unsatisfied and closed all the same on 04-16.
    c2 = complaint(books, Channel.HOTLINE_12345, d(4, 12), responder=a, handler=b)
    ledger.return_complaint(on(d(4, 13)), c2, unit=b, reason="非本单位职责")
    ledger.dispatch_complaint(on(d(4, 13)), c2, unit=c)
    ledger.sign_for_complaint(on(d(4, 13)), c2, unit=c)
    found(books, c2, d(4, 14))
    rectified(books, c2, d(4, 15))
    called_back(books, c2, d(4, 16), satisfied=False)
    closed(books, c2, d(4, 16))
    # C3 (好差评 of b, received by c): founded -> a bad review of b.
    c3 = complaint(books, Channel.GOOD_BAD_REVIEW, d(5, 6), responder=c, subject=b)
    found(books, c3, d(5, 7))
    # C4 (好差评 of b, received by c): unfounded, appeal upheld, closed 05-12 (close_by 05-31).
    c4 = complaint(books, Channel.GOOD_BAD_REVIEW, d(5, 10), responder=c, subject=b)
    found(books, c4, d(5, 11), founded=False)
    ledger.review_appeal(on(d(5, 12)), c4, upheld=True, note="差评不实")
    closed(books, c4, d(5, 12))
    # C5 (media exposure of c, received by b): founded.
    c5 = complaint(books, Channel.MEDIA, d(6, 1), responder=b, subject=c)
    found(books, c5, d(6, 2))

    # Interviews: a's held 06-25 and followed up, rectified, on 07-30; b's cancelled.
    iv = ledger.schedule_interview(
        on(d(6, 20)),
        unit=a,
        interviewee="区住建局局长",
        reason="督办事项逾期",
        cited_items=[ta2],
        scheduled_for=beijing(d(6, 25)),
    ).item_id
    ledger.hold_interview(
        on(d(6, 25)), iv, facts="逾期", commitments=["7月底前完成"], demands=[], rectify_by=d(7, 31)
    )
    ledger.record_follow_up(on(d(7, 30)), iv, narrative="已整改", rectified=True)
    cancelled = ledger.schedule_interview(
        on(d(6, 21)),
        unit=b,
        interviewee="区市场监管局局长",
        reason="差评",
        cited_items=[c3],
        scheduled_for=beijing(d(6, 28)),
    ).item_id
    ledger.cancel_interview(on(d(6, 22)), cancelled, reason="已主动整改")
    # Referral of c on 06-28; found accountable on 08-01.
    referral = ledger.refer_to_discipline(
        on(d(6, 28)), unit=c, reason="媒体曝光问题属实", evidence=[1], cited_items=[c5]
    ).item_id
    ledger.acknowledge_referral(on(d(7, 5)), referral)
    ledger.record_referral_outcome(on(d(8, 1)), referral, outcome="诫勉谈话", accountable=True)

    # Assessments.
    unit_assessment, applied = AssessmentKind.UNIT_ASSESSMENT, AssessmentKind.RESULTS_APPLIED
    for unit, period, kind, score, day in (
        (a, "2021-Q1", unit_assessment, "80.0", d(4, 10)),
        (a, "2021-Q2", unit_assessment, "88.5", d(7, 10)),
        (b, "2021-Q2", unit_assessment, "76.0", d(7, 10)),
        (a, "2021", applied, "91.0", d(1, 10, 2022)),
    ):
        ledger.record_assessment(on(day), unit=unit, period=period, kind=kind, score=Decimal(score))
    return Story(a, b, c)


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Story, Connection]]:
    """The story told once a module: the tests given it only read the read models."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('scorecards') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn


def row(card: Scorecard) -> tuple[int, ...]:
    return tuple(card[metric] for metric in METRICS)


def test_a_quarters_scorecards_count_what_each_unit_did_in_it(
    read: tuple[Story, Connection],
) -> None:
    story, conn = read
    cards = unit_scorecards(conn, "2021-Q2")
    assert [(c.unit, c.name, c.period) for c in cards] == [
        (str(story.a), "区住建局", "2021-Q2"),
        (str(story.b), "区市场监管局", "2021-Q2"),
        (str(story.c), "区自然资源局", "2021-Q2"),
    ]
    a, b, c = cards
    # tasks_led, tasks_closed, tasks_closed_on_time, urges, escalated, received, closed,
    # closed_on_time, satisfied, returned, bad_reviews, media_exposures, interviews, referrals
    assert row(a) == (1, 1, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0, 1, 0)
    # a: led TA2 (TA1 was assigned in Q1); closed TA1 on time (05-28 <= 05-31); urged and
    #    escalated TA1 once; received C1, C2, both closed on time (04-09 <= 04-13,
    #    04-16 <= 04-19), C1 satisfied, C2 not; interviewed 06-25. C2's 退单 counts for b,
    #    the unit that sent it back, not for a.
    assert row(b) == (1, 0, 0, 2, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0)
    # b: led TB1, urged twice; received C5; returned C2 once; one founded bad review (C3;
    #    C4 unfounded);
    #    its interview was cancelled.
    assert row(c) == (0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 1, 0, 1)
    # c: received C3 and C4, closed C4 on time (05-12 <= 05-31); exposed by C5; referred.
    assert [card.overdue_tasks for card in cards] == [1, 0, 0]
    # At 06-30 only TA2 (due 06-15, closed 07-20) is past its deadline and open.


def test_a_years_scorecards_add_up_its_quarters_and_count_overdue_work_at_its_end(
    read: tuple[Story, Connection],
) -> None:
    _, conn = read
    a, b, c = unit_scorecards(conn, "2021")
    # a: led TA1 (Q1) and TA2 (Q2); closed both, only TA1 on time (TA2 07-20 > 06-15).
    assert row(a) == (2, 2, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0, 1, 0)
    assert (a["interviews_rectified"], a["tasks_cooperating"]) == (1, 0)
    # b: cooperated on TA1.
    assert row(b) == (1, 0, 0, 2, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0)
    assert b["tasks_cooperating"] == 1
    assert row(c) == (0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 1, 0, 1)
    assert c["referrals_accountable"] == 1  # outcome recorded 08-01
    # At 12-31: TA2 closed on 07-20; TB1 (due 09-30) still open.
    assert [card.overdue_tasks for card in (a, b, c)] == [0, 1, 0]


def test_the_first_and_third_quarters_hold_what_happened_in_them(
    read: tuple[Story, Connection],
) -> None:
    _, conn = read
    q1 = unit_scorecards(conn, "2021-Q1")
    # TA1 assigned 03-25: led by a, with b cooperating; nothing else yet.
    assert [card.figures for card in q1] == [{"tasks_led": 1}, {"tasks_cooperating": 1}, {}]
    assert [card.overdue_tasks for card in q1] == [0, 0, 0]
    q3 = unit_scorecards(conn, "2021-Q3")
    # TA2 closed late 07-20; a's interview followed up 07-30; c's referral concluded 08-01.
    assert [card.figures for card in q3] == [
        {"tasks_closed": 1, "interviews_rectified": 1},
        {},
        {"referrals_accountable": 1},
    ]
    # At 09-30 TB1 is due that very day: not yet overdue.
    assert [card.overdue_tasks for card in q3] == [0, 0, 0]


def test_the_scorecards_carry_the_periods_assessments(read: tuple[Story, Connection]) -> None:
    _, conn = read
    assert [card.assessments for card in unit_scorecards(conn, "2021-Q2")] == [
        {"unit_assessment": Decimal("88.5")},
        {"unit_assessment": Decimal("76.0")},
        {},
    ]
    # A year's cards show the year's own assessments and its quarters', named by quarter.
    assert [card.assessments for card in unit_scorecards(conn, "2021")] == [
        {
            "results_applied": Decimal("91.0"),
            "unit_assessment:2021-Q1": Decimal("80.0"),
            "unit_assessment:2021-Q2": Decimal("88.5"),
        },
        {"unit_assessment:2021-Q2": Decimal("76.0")},
        {},
    ]
    assert [card.assessments for card in unit_scorecards(conn, "2021-Q3")] == [{}, {}, {}]


def test_the_scorecards_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            quarter, year = unit_scorecards(conn, "2021-Q2"), unit_scorecards(conn, "2021")
    assert [card.unit for card in quarter] == [str(story.a), str(story.b), str(story.c)]
    assert [row(card) for card in quarter] == [
        (1, 1, 1, 1, 1, 2, 2, 2, 1, 0, 0, 0, 1, 0),
        (1, 0, 0, 2, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0),
        (0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 1, 0, 1),
    ]
    assert [card.overdue_tasks for card in quarter] == [1, 0, 0]
    assert [card.overdue_tasks for card in year] == [0, 1, 0]
    assert year[0].assessments["unit_assessment:2021-Q2"] == Decimal("88.5")


def test_period_bounds_are_the_first_and_last_day_of_the_year_or_quarter() -> None:
    assert period_bounds("2021") == (d(1, 1), d(12, 31))
    assert period_bounds("2021-Q1") == (d(1, 1), d(3, 31))
    assert period_bounds("2024-Q1") == (d(1, 1, 2024), d(3, 31, 2024))
    assert period_bounds("2021-Q2") == (d(4, 1), d(6, 30))
    assert period_bounds("2021-Q4") == (d(10, 1), d(12, 31))


@pytest.mark.parametrize("period", ["2021-Q5", "2021Q2", "2021-q2", "21", "1999", "", "2021-Q2 "])
def test_a_bad_period_is_refused_naming_the_period(sqlite_url: str, period: str) -> None:
    with pytest.raises(ValidationError) as refused:
        period_bounds(period)
    assert refused.value.field == "period"
    with (
        open_books(sqlite_url) as books,
        books.read() as conn,
        pytest.raises(ValidationError) as refused_too,
    ):
        unit_scorecards(conn, period)
    assert refused_too.value.field == "period"


def test_what_was_overdue_at_a_quarters_end_stays_so_after_later_acts(sqlite_url: str) -> None:
    """Acts after the quarter must not rewrite what was overdue at its end.

    Extended: due 06-10, open at 06-30 -> overdue then; its extension to 08-31 comes on 07-02.
    Reopened: due 06-10, closed on time 06-05 -> not overdue at 06-30; reopened on 07-05.
    """
    with open_books(sqlite_url) as books:
        late, reopened = books.unit("区交通运输局"), books.unit("区水务局")
        extended = task(books, 1, lead=[late], assigned=d(4, 1), deadline=d(6, 10))
        done = task(books, 2, lead=[reopened], assigned=d(4, 1), deadline=d(6, 10))
        closed_task(books, done, d(6, 5))
        with books.read() as conn:
            before = [card.overdue_tasks for card in unit_scorecards(conn, "2021-Q2")]
        books.ledger.request_extension(
            books.on(d(7, 1)), extended, new_deadline=d(8, 31), reason="征地未完成"
        )
        books.ledger.decide_extension(books.on(d(7, 2)), extended, approved=True)
        books.ledger.reopen_task(books.on(d(7, 5)), done, reason="验收发现问题")
        with books.read() as conn:
            after = [card.overdue_tasks for card in unit_scorecards(conn, "2021-Q2")]
    # 区交通运输局 (交 U+4EA4) sorts before 区水务局 (水 U+6C34).
    assert before == [1, 0]
    assert after == [1, 0]


def test_a_handover_in_a_later_quarter_leaves_no_negative_figure(sqlite_url: str) -> None:
    """首问负责: a case received in Q2 by a and handed over to c in Q3.

    Q2 counts it for a, which received it. Q3 may or may not count it for c, which took it
    over; but a received nothing in Q3, and no scorecard counts fewer than no cases.
    """
    with open_books(sqlite_url) as books:
        a, c = books.unit("区住建局"), books.unit("区自然资源局")
        case = books.ledger.receive_complaint(
            books.on(d(6, 28)),
            channel=Channel.HOTLINE_12345,
            summary="报装超时",
            first_responder=a,
        ).item_id
        books.ledger.hand_over_complaint(books.on(d(7, 2)), case, to_unit=c, note="职责调整")
        with books.read() as conn:
            q2, q3 = unit_scorecards(conn, "2021-Q2"), unit_scorecards(conn, "2021-Q3")
    assert [(card.unit, card["received"]) for card in q2] == [(str(a), 1), (str(c), 0)]
    assert q3[0]["received"] == 0  # a
    assert all(value >= 0 for card in q3 for value in card.figures.values())
