"""Interviews (约谈) and referrals (移交纪检监察) in figures: by state as of a day, and made
in each month of the day's year."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.interview import InterviewState
from domain.referral import ReferralState
from projections.views.oversight_totals import OversightMonth, oversight_totals
from tests.projections.view_builders import Books, beijing, d, open_books, task

IV, RF = InterviewState, ReferralState


def tell(books: Books) -> None:
    """a's interview scheduled 06-20, held 06-25, followed up 07-30; b's scheduled 06-21 and
    cancelled 06-22; c referred 06-28, acknowledged 07-05, concluded 08-01; b's second
    interview scheduled 2022-02-10."""
    ledger, on = books.ledger, books.on
    a, b, c = books.unit("区住建局"), books.unit("区市场监管局"), books.unit("区自然资源局")

    late = task(books, 1, lead=[a], assigned=d(3, 1), deadline=d(5, 31))

    def interview(unit: UUID, day: date, when: date) -> UUID:
        return ledger.schedule_interview(
            on(day),
            unit=unit,
            interviewee="局长",
            reason="督办事项逾期",
            cited_items=[late],
            scheduled_for=beijing(when),
        ).item_id

    iv = interview(a, d(6, 20), d(6, 25))
    ledger.hold_interview(
        on(d(6, 25)), iv, facts="逾期", commitments=["7月底前完成"], demands=[], rectify_by=d(7, 31)
    )
    ledger.record_follow_up(on(d(7, 30)), iv, narrative="已整改", rectified=True)
    cancelled = interview(b, d(6, 21), d(6, 28))
    ledger.cancel_interview(on(d(6, 22)), cancelled, reason="已主动整改")
    referral = ledger.refer_to_discipline(
        on(d(6, 28)), unit=c, reason="媒体曝光问题属实", evidence=[1]
    ).item_id
    ledger.acknowledge_referral(on(d(7, 5)), referral)
    ledger.record_referral_outcome(on(d(8, 1)), referral, outcome="诫勉谈话", accountable=True)
    interview(b, d(2, 10, 2022), d(2, 15, 2022))


def test_interviews_and_referrals_are_counted_by_their_state_on_the_day_asked_about(
    database_url: str,
) -> None:
    with open_books(database_url) as books:
        tell(books)
        with books.read() as conn:
            found = {day: oversight_totals(conn, day) for day in (d(6, 20), d(7, 1), d(8, 31))}
    zero_i, zero_r = dict.fromkeys(IV, 0), dict.fromkeys(RF, 0)
    assert (found[d(6, 20)].interviews, found[d(6, 20)].referrals) == (
        {**zero_i, IV.SCHEDULED: 1},
        zero_r,
    )
    assert (found[d(7, 1)].interviews, found[d(7, 1)].referrals) == (
        {**zero_i, IV.HELD: 1, IV.CANCELLED: 1},
        {**zero_r, RF.MADE: 1},
    )
    assert (found[d(8, 31)].interviews, found[d(8, 31)].referrals) == (
        {**zero_i, IV.FOLLOWED_UP: 1, IV.CANCELLED: 1},
        {**zero_r, RF.CONCLUDED: 1},
    )


def test_each_month_of_the_year_up_to_the_day_counts_what_was_made_in_it(
    database_url: str,
) -> None:
    with open_books(database_url) as books:
        tell(books)
        with books.read() as conn:
            july = oversight_totals(conn, d(7, 15)).monthly
            february = oversight_totals(conn, d(2, 28, 2022))
    assert july == [
        OversightMonth(f"2021-{m:02d}", *((2, 1) if m == 6 else (0, 0))) for m in range(1, 8)
    ]
    assert february.monthly == [OversightMonth("2022-01", 0, 0), OversightMonth("2022-02", 1, 0)]
    assert february.interviews[IV.SCHEDULED] == 1
    assert sum(february.interviews.values()) == 3
