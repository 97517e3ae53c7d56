"""The 5+1+1 overview, built from known commands and checked figure by figure.

Working days on the official calendar, 2021 (W working, - off):
  March: Mon 1, 8, 15, 22, 29 start plain five-day weeks; no holiday.
  April-May: Sat 04-24 -, Sun 04-25 W (make-up day), 04-26..04-30 W, 05-01..05-05 - (Labour Day),
  05-06 W.
Limits (default policy): close within 5 working days (12345), 15 (好差评), 20 (the others).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.assessment import AssessmentKind, Verdict, assessment_id_for
from domain.channels import Channel
from projections.views.overview import AssessmentEntry, ChannelFigures, supervision_overview
from tests.projections.view_builders import (
    Books,
    called_back,
    closed,
    complaint,
    d,
    found,
    open_books,
    rectified,
    settled,
)

HOTLINE, REVIEW, FAULT, MEDIA, TEAMS = (
    Channel.HOTLINE_12345,
    Channel.GOOD_BAD_REVIEW,
    Channel.FAULT_FINDING,
    Channel.MEDIA,
    Channel.THREE_TEAMS,
)


@dataclass
class Story:
    a: UUID
    b: UUID
    c: UUID
    cases: dict[str, UUID]


def tell(books: Books) -> Story:
    """Complaints in March-May 2021 and assessments recorded in April and July."""
    ledger, on = books.ledger, books.on
    a, b, c = books.unit("区住建局"), books.unit("区市场监管局"), books.unit("区自然资源局")
    cases: dict[str, UUID] = {}

    # 12345 H1: received Mon 03-01, close_by = 5 working days on = 03-02..03-05, 03-08 -> 03-08.
    cases["H1"] = h1 = complaint(books, HOTLINE, d(3, 1), responder=a)
    settled(books, h1, founded=d(3, 2), rectified_on=d(3, 4), satisfied=d(3, 5), closed_on=d(3, 5))
    # 12345 H2: dispatched to b, who returns it (退单) on 03-02; redispatched to c.
    cases["H2"] = h2 = ledger.receive_complaint(
        on(d(3, 1)), channel=HOTLINE, summary="报装超时", first_responder=a
    ).item_id
    ledger.dispatch_complaint(on(d(3, 1)), h2, unit=b)
    ledger.return_complaint(on(d(3, 2)), h2, unit=b, reason="不属本单位职责")
    ledger.dispatch_complaint(on(d(3, 2)), h2, unit=c)
    ledger.sign_for_complaint(on(d(3, 3)), h2, unit=c)
    found(books, h2, d(3, 3))
    # Extension granted on 03-10, two days after the deadline 03-08 had passed:
    # 03-08 + 5 working days = 03-09, 10, 11, 12, 15 -> 03-15.
    ledger.extend_complaint_deadline(on(d(3, 10)), h2, working_days=5, reason="需协调多部门")
    rectified(books, h2, d(3, 11))
    called_back(books, h2, d(3, 12), satisfied=False)
    ledger.reopen_complaint(on(d(3, 15)), h2, reason="来电人不满意")
    rectified(books, h2, d(3, 16))
    called_back(books, h2, d(3, 17))
    closed(books, h2, d(3, 17))  # after its deadline 03-15: closed late

    # 好差评: close_by = 15 working days on. From 03-01: 03-22; from 03-02: 03-23.
    cases["G1"] = g1 = complaint(books, REVIEW, d(3, 1), responder=a, subject=b)
    found(books, g1, d(3, 2), founded=False)
    ledger.review_appeal(on(d(3, 3)), g1, upheld=True, note="差评不实，维持认定")
    closed(books, g1, d(3, 4))
    cases["G2"] = g2 = complaint(books, REVIEW, d(3, 1), responder=a, subject=b)
    settled(books, g2, founded=d(3, 2), rectified_on=d(3, 5), satisfied=d(3, 8), closed_on=d(3, 8))
    cases["G3"] = g3 = complaint(books, REVIEW, d(3, 2), responder=a, subject=b)
    found(books, g3, d(3, 3), founded=False)
    ledger.review_appeal(on(d(3, 4)), g3, upheld=False, note="复核认定差评属实")

    # 找茬儿: close_by 20 working days on (03-29 from 03-01, 03-30 from 03-02); both rewarded.
    cases["F1"] = f1 = complaint(books, FAULT, d(3, 1), responder=a)
    settled(books, f1, founded=d(3, 2), rectified_on=d(3, 3), satisfied=d(3, 4), closed_on=d(3, 5))
    ledger.grant_reward(on(d(3, 8)), f1, amount_yuan=500)
    cases["F2"] = f2 = complaint(books, FAULT, d(3, 2), responder=a)
    settled(books, f2, founded=d(3, 3), rectified_on=d(3, 4), satisfied=d(3, 5), closed_on=d(3, 9))
    ledger.grant_reward(on(d(3, 10)), f2, amount_yuan=200)

    # Media, first replies across the Labour Day holiday.
    cases["M1"] = m1 = complaint(books, MEDIA, d(4, 23), responder=a, subject=c)
    ledger.reply_to_complaint(on(d(4, 27)), m1, text="已受理，正在核查")
    cases["M2"] = m2 = complaint(books, MEDIA, d(4, 29), responder=a, subject=c)
    ledger.reply_to_complaint(on(d(5, 6)), m2, text="已受理，正在核查")

    # 三支队伍: received 03-01, never handled; close_by 03-29.
    cases["T1"] = ledger.receive_complaint(
        on(d(3, 1)), channel=TEAMS, team="supervisors", summary="窗口服务态度差", first_responder=a
    ).item_id

    def assess(
        unit: UUID,
        period: str,
        kind: AssessmentKind,
        score: str,
        day: date,
        verdict: Verdict = Verdict.NONE,
    ) -> None:
        ledger.record_assessment(
            on(day), unit=unit, period=period, kind=kind, score=Decimal(score), verdict=verdict
        )

    applied, league = AssessmentKind.RESULTS_APPLIED, AssessmentKind.UNIT_ASSESSMENT
    assess(a, "2021-Q1", applied, "88.5", d(4, 10))
    assess(b, "2021-Q1", applied, "92.0", d(4, 10))
    assess(a, "2021-Q1", league, "90.0", d(4, 12), Verdict.REWARD)
    assess(b, "2021-Q1", league, "75.5", d(4, 12), Verdict.PENALTY)
    assess(c, "2021-Q1", league, "82.0", d(4, 12))
    assess(c, "2021-Q2", applied, "60.0", d(7, 12))
    assess(a, "2021-Q2", league, "70.0", d(7, 12))
    assess(b, "2021-Q2", league, "95.0", d(7, 12), Verdict.REWARD)
    return Story(a, b, c, cases)


@pytest.fixture(scope="module")
def story_books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Story, Connection]]:
    """The story told once a module: the tests given it only read the read models."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('overview') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn


def figures(conn: Connection, as_of: date) -> dict[Channel, ChannelFigures]:
    return {f.channel: f for f in supervision_overview(conn, as_of).channels}


def test_each_channel_counts_received_open_returned_and_rectified_cases(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    end = figures(conn, d(3, 31))
    # 12345: H1 and H2 received and closed; H2 returned once; both rectified.
    assert (end[HOTLINE].received, end[HOTLINE].open, end[HOTLINE].returned) == (2, 0, 1)
    assert end[HOTLINE].rectified == 2
    # 好差评: G1, G2, G3 received; G1 and G2 closed -> 3 - 2 = 1 open; only G2 rectified.
    assert (end[REVIEW].received, end[REVIEW].open, end[REVIEW].returned) == (3, 1, 0)
    assert end[REVIEW].rectified == 1
    # 找茬儿: F1, F2 received, closed and rectified.
    assert (end[FAULT].received, end[FAULT].open, end[FAULT].rectified) == (2, 0, 2)
    # Media: nothing before April.
    assert (end[MEDIA].received, end[MEDIA].open, end[MEDIA].rectified) == (0, 0, 0)
    # 三支队伍: T1 received, never closed.
    assert (end[TEAMS].received, end[TEAMS].open, end[TEAMS].rectified) == (1, 1, 0)
    assert [f.channel for f in supervision_overview(conn, d(3, 31)).channels] == list(Channel)


def test_overdue_counts_the_deadline_as_it_stood_on_the_day_asked_about(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    overdue = {
        day: {ch: f.overdue for ch, f in figures(conn, day).items()}
        for day in (
            d(3, 8),
            d(3, 9),
            d(3, 10),
            d(3, 15),
            d(3, 16),
            d(3, 17),
            d(3, 23),
            d(3, 24),
            d(3, 29),
            d(3, 30),
        )
    }
    # H2's deadline was 03-08 until the extension of 03-10 moved it to 03-15.
    assert overdue[d(3, 8)][HOTLINE] == 0  # 03-08 is the last day, not past it
    assert overdue[d(3, 9)][HOTLINE] == 1  # past 03-08; the extension is not granted yet
    assert overdue[d(3, 10)][HOTLINE] == 0  # extended on 03-10 to 03-15
    assert overdue[d(3, 15)][HOTLINE] == 0
    assert overdue[d(3, 16)][HOTLINE] == 1  # past 03-15, closed only on 03-17
    assert overdue[d(3, 17)][HOTLINE] == 0  # closed that day
    # G3 (close_by 03-23) is never rectified or closed; G1 and G2 closed on time.
    assert overdue[d(3, 23)][REVIEW] == 0
    assert overdue[d(3, 24)][REVIEW] == 1
    # T1: close_by 03-29.
    assert overdue[d(3, 29)][TEAMS] == 0
    assert overdue[d(3, 30)][TEAMS] == 1
    # 找茬儿 cases closed 03-05 and 03-09, well before their deadlines.
    assert all(day[FAULT] == 0 and day[MEDIA] == 0 for day in overdue.values())


@pytest.mark.slow
def test_a_bad_review_found_unfounded_with_the_appeal_upheld_leaves_the_rectification_rate(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books

    def to_rectify(day: date) -> tuple[int, int, float | None]:
        f = figures(conn, day)[REVIEW]
        return f.counts.get("to_rectify", 0), f.counts.get("unfounded", 0), f.rectification_rate

    # 03-02: G1 found unfounded, appeal pending: in neither count; G2 founded -> 0 / 1 = 0.0.
    assert to_rectify(d(3, 2)) == (1, 0, 0.0)
    # 03-03: the appeal on G1 upheld -> unfounded 1; G3 found unfounded, appeal pending.
    assert to_rectify(d(3, 3)) == (1, 1, 0.0)
    # 03-04: G3's finding overturned on appeal -> founded after all: G2 + G3 = 2 to rectify.
    assert to_rectify(d(3, 4)) == (2, 1, 0.0)
    # 03-05: G2 rectified -> 1 / 2 = 50.0; G1 (upheld unfounded) is in neither count.
    review = figures(conn, d(3, 31))[REVIEW]
    assert figures(conn, d(3, 5))[REVIEW].rectification_rate == 50.0
    assert (review.counts["to_rectify"], review.rectified) == (2, 1)
    assert review.counts["unfounded"] == 1
    assert review.rectification_rate == 50.0
    # On time: G1 closed 03-04, G2 03-08, both before 03-22 -> 2 / 2 = 100.0.
    assert review.on_time_rate == 100.0
    # Call-back: only G2, satisfied -> 1 / 1 = 100.0.
    assert review.satisfaction_rate == 100.0


def test_an_unsatisfied_call_back_counts_until_the_case_is_reopened_and_called_back_again(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    on = {
        day: figures(conn, day)[HOTLINE]
        for day in (d(3, 11), d(3, 12), d(3, 15), d(3, 16), d(3, 17))
    }
    # 03-11: H1 rectified and called back satisfied; H2 rectified, not yet called back.
    assert (on[d(3, 11)].rectified, on[d(3, 11)].rectification_rate) == (2, 100.0)
    assert on[d(3, 11)].satisfaction_rate == 100.0  # 1 satisfied / 1 called back
    # 03-12: H2 called back unsatisfied -> 1 satisfied / 2 called back = 50.0.
    assert on[d(3, 12)].satisfaction_rate == 50.0
    assert on[d(3, 12)].rectification_rate == 100.0
    # 03-15: reopened -> H2 leaves rectified and called back: 1 / 2 = 50.0 rectified,
    # 1 / 1 = 100.0 satisfied.
    assert (on[d(3, 15)].rectified, on[d(3, 15)].rectification_rate) == (1, 50.0)
    assert on[d(3, 15)].satisfaction_rate == 100.0
    assert on[d(3, 15)].counts["called_back"] == 1
    # 03-16: rectified again -> 2 / 2 = 100.0.
    assert on[d(3, 16)].rectification_rate == 100.0
    # 03-17: called back satisfied -> 2 / 2; closed: H1 on time (03-05 <= 03-08), H2 late
    # (03-17 > 03-15) -> on-time rate 1 / 2 = 50.0.
    assert on[d(3, 17)].satisfaction_rate == 100.0
    assert on[d(3, 17)].counts["called_back"] == 2
    assert on[d(3, 17)].on_time_rate == 50.0
    assert on[d(3, 17)].counts["reopened"] == 1
    # Before H2 closed only H1 had: 1 / 1 = 100.0.
    assert on[d(3, 16)].on_time_rate == 100.0


@pytest.mark.slow
def test_fault_finding_rewards_are_counted_and_their_yuan_added_up(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    assert (figures(conn, d(3, 5))[FAULT].rewards, figures(conn, d(3, 5))[FAULT].reward_yuan) == (
        0,
        0,
    )
    # 03-08: F1 rewarded 500 yuan.
    assert (figures(conn, d(3, 9))[FAULT].rewards, figures(conn, d(3, 9))[FAULT].reward_yuan) == (
        1,
        500,
    )
    # 03-10: F2 rewarded 200 -> 2 rewards, 500 + 200 = 700 yuan.
    fault = figures(conn, d(3, 31))[FAULT]
    assert (fault.rewards, fault.reward_yuan) == (2, 700)
    # F1 closed 03-05 <= 03-29, F2 03-09 <= 03-30 -> 2 / 2 on time; both satisfied.
    assert (fault.on_time_rate, fault.satisfaction_rate, fault.rectification_rate) == (
        100.0,
        100.0,
        100.0,
    )
    # No other channel earns rewards.
    assert all(f.rewards == 0 for ch, f in figures(conn, d(3, 31)).items() if ch is not FAULT)


def test_media_reply_time_is_the_mean_of_working_days_on_the_official_calendar(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    # M1: received Fri 04-23, replied Tue 04-27: Sat 04-24 off, Sun 04-25 make-up working day (1),
    # 04-26 (2), 04-27 (3) -> 3 working days.
    assert figures(conn, d(4, 30))[MEDIA].mean_reply_working_days == 3.0
    # M2: received Thu 04-29, replied Thu 05-06: 04-30 (1), 05-01..05-05 holiday, 05-06 (2) -> 2.
    media = figures(conn, d(5, 31))[MEDIA]
    assert media.counts["replied"] == 2
    assert media.counts["reply_working_days"] == 5  # 3 + 2
    assert media.mean_reply_working_days == 2.5  # 5 / 2
    assert (media.received, media.open) == (2, 2)
    assert figures(conn, d(3, 31))[MEDIA].mean_reply_working_days is None
    # Nothing else was replied to with a reply of its own.
    assert figures(conn, d(5, 31))[HOTLINE].mean_reply_working_days is None


def test_results_applied_and_the_league_table_show_the_latest_period_recorded_by_the_day(
    story_books: tuple[Story, Connection],
) -> None:
    story, conn = story_books
    a, b, c = str(story.a), str(story.b), str(story.c)
    # 04-11: the Q1 results (recorded 04-10) are there; the Q1 assessments (04-12) not yet.
    early = supervision_overview(conn, d(4, 11))
    assert early.results_applied == [
        AssessmentEntry(b, "2021-Q1", Decimal("92.0"), "none", 1),
        AssessmentEntry(a, "2021-Q1", Decimal("88.5"), "none", 2),
    ]
    assert early.league == []
    # 06-30: the Q1 league, ranked by score: a 90.0, c 82.0, b 75.5.
    mid = supervision_overview(conn, d(6, 30))
    assert mid.league == [
        AssessmentEntry(a, "2021-Q1", Decimal("90.0"), "reward", 1),
        AssessmentEntry(c, "2021-Q1", Decimal("82.0"), "none", 2),
        AssessmentEntry(b, "2021-Q1", Decimal("75.5"), "penalty", 3),
    ]
    assert mid.results_applied == early.results_applied
    # 07-31: Q2, recorded 07-12, replaces Q1: b 95.0 before a 70.0; c alone in results applied.
    late = supervision_overview(conn, d(7, 31))
    assert late.league == [
        AssessmentEntry(b, "2021-Q2", Decimal("95.0"), "reward", 1),
        AssessmentEntry(a, "2021-Q2", Decimal("70.0"), "none", 2),
    ]
    assert late.results_applied == [AssessmentEntry(c, "2021-Q2", Decimal("60.0"), "none", 1)]


def test_as_of_an_earlier_date_the_overview_shows_the_earlier_figures(
    story_books: tuple[Story, Connection],
) -> None:
    _, conn = story_books
    before = supervision_overview(conn, d(2, 28))
    assert before.as_of == d(2, 28)
    assert all(f.counts == {} and f.overdue == 0 for f in before.channels)
    assert all(f.on_time_rate is None and f.rectification_rate is None for f in before.channels)
    assert (before.results_applied, before.league) == ([], [])
    # 03-01: H1, H2 (12345), G1, G2 (好差评), F1 (找茬儿), T1 (三支队伍) received; none closed.
    first = figures(conn, d(3, 1))
    assert {ch: (f.received, f.open) for ch, f in first.items()} == {
        HOTLINE: (2, 2),
        REVIEW: (2, 2),
        FAULT: (1, 1),
        MEDIA: (0, 0),
        TEAMS: (1, 1),
    }
    assert first[HOTLINE].returned == 0  # H2 is returned on 03-02
    assert figures(conn, d(3, 2))[HOTLINE].returned == 1
    # 03-09: H1 closed, H2 open and overdue; F1 rewarded, F2 closed that day.
    ninth = figures(conn, d(3, 9))
    assert (ninth[HOTLINE].open, ninth[HOTLINE].overdue, ninth[HOTLINE].on_time_rate) == (
        1,
        1,
        100.0,
    )
    assert (ninth[FAULT].open, ninth[FAULT].rewards, ninth[FAULT].reward_yuan) == (0, 1, 500)


def test_the_overview_reads_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            ninth, end = figures(conn, d(3, 9)), figures(conn, d(5, 31))
            league = supervision_overview(conn, d(6, 30)).league
    assert (ninth[HOTLINE].received, ninth[HOTLINE].open, ninth[HOTLINE].overdue) == (2, 1, 1)
    assert (end[REVIEW].rectification_rate, end[HOTLINE].on_time_rate) == (50.0, 50.0)
    assert (end[FAULT].rewards, end[FAULT].reward_yuan) == (2, 700)
    assert end[MEDIA].mean_reply_working_days == 2.5
    assert [(e.unit, e.score, e.rank) for e in league] == [
        (str(story.a), Decimal("90.0"), 1),
        (str(story.c), Decimal("82.0"), 2),
        (str(story.b), Decimal("75.5"), 3),
    ]


def test_a_revised_assessment_changes_the_league_table_only_from_the_day_of_the_revision(
    sqlite_url: str,
) -> None:
    with open_books(sqlite_url) as books:
        story = tell(books)
        assessment = assessment_id_for(story.a, "2021-Q1", AssessmentKind.UNIT_ASSESSMENT)
        # 05-10: a's Q1 score revised from 90.0 to 60.0 (below c 82.0 and b 75.5).
        books.ledger.revise_assessment(
            books.on(d(5, 10)),
            assessment,
            score=Decimal("60.0"),
            verdict=Verdict.PENALTY,
            reason="复核扣分",
        )
        with books.read() as conn:
            before = supervision_overview(conn, d(5, 9)).league
            after = supervision_overview(conn, d(5, 10)).league
    a, b, c = str(story.a), str(story.b), str(story.c)
    assert [(e.unit, e.score, e.verdict, e.rank) for e in after] == [
        (c, Decimal("82.0"), "none", 1),
        (b, Decimal("75.5"), "penalty", 2),
        (a, Decimal("60.0"), "penalty", 3),
    ]
    # As of 05-09 the revision had not happened: a still leads with 90.0.
    assert [(e.unit, e.score, e.verdict, e.rank) for e in before] == [
        (a, Decimal("90.0"), "reward", 1),
        (c, Decimal("82.0"), "none", 2),
        (b, Decimal("75.5"), "penalty", 3),
    ]
