"""Interview candidates (约谈对象建议): units meeting the plan's criteria, with the cited items.

Default criteria: 1 overdue task led; 1 founded media exposure unrectified past its deadline;
3 founded bad reviews received within the last 90 days. Asked on 2021-09-15: the window is
received after 09-15 - 90 days = 06-17, up to 09-15.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.channels import Channel
from domain.ledger import Ledger
from domain.policy import InterviewCriteria
from projections.views.candidates import Candidate, interview_candidates
from tests.projections.view_builders import (
    Books,
    beijing,
    closed_task,
    complaint,
    d,
    found,
    open_books,
    rectified,
    task,
)

TODAY = d(9, 15)


@dataclass
class Story:
    units: dict[str, UUID]
    items: dict[str, UUID]


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    names = ("区住建局", "区市场监管局", "区自然资源局", "区财政局")
    a, b, c, e = (books.unit(name) for name in names)
    items: dict[str, UUID] = {}

    def review(
        key: str, subject: UUID, day_received: tuple[int, int], founded: bool = True
    ) -> UUID:
        received = d(*day_received)
        case = complaint(books, Channel.GOOD_BAD_REVIEW, received, responder=e, subject=subject)
        found(books, case, received, founded=founded)
        items[key] = case
        return case

    # a leads a task due 08-31, open on 09-15; c only cooperates on it.
    items["a_task"] = task(books, 1, lead=[a], cooperating=[c], assigned=d(7, 1), deadline=d(8, 31))
    # a: three founded bad reviews received 06-18, 07-20, 09-01, all inside the window.
    review("a_r1", a, (6, 18))
    review("a_r2", a, (7, 20))
    review("a_r3", a, (9, 1))
    # b: media exposures. m1 received 07-01, founded, never rectified; close_by = 20 working
    # days on = 07-02, 07-05..09, 12..16, 19..23, 26..29 -> 07-29, past on 09-15.
    items["b_m1"] = m1 = complaint(books, Channel.MEDIA, d(7, 1), responder=e, subject=b)
    found(books, m1, d(7, 2))
    # m2: founded and rectified. m3: founded on 09-02, due 09-29 (Mid-Autumn 09-19..21 off).
    items["b_m2"] = m2 = complaint(books, Channel.MEDIA, d(7, 1), responder=e, subject=b)
    found(books, m2, d(7, 2))
    rectified(books, m2, d(7, 10))
    items["b_m3"] = m3 = complaint(books, Channel.MEDIA, d(9, 1), responder=e, subject=b)
    found(books, m3, d(9, 2))
    # b was already interviewed once, over m1.
    interview = ledger.schedule_interview(
        on(d(8, 1)),
        unit=b,
        interviewee="区市场监管局局长",
        reason="媒体曝光问题未整改",
        cited_items=[m1],
        scheduled_for=beijing(d(8, 3)),
    ).item_id
    ledger.hold_interview(
        on(d(8, 3)),
        interview,
        facts="未整改",
        commitments=[],
        demands=["限期整改"],
        rectify_by=d(9, 30),
    )
    # c: bad reviews received 06-17 (the window's open end: outside), 07-01 and 08-01
    # (inside), 08-05 (found unfounded, the appeal upheld) and 09-20 (after the day asked about).
    review("c_r0", c, (6, 17))
    review("c_r1", c, (7, 1))
    review("c_r2", c, (8, 1))
    c_r3 = review("c_r3", c, (8, 5), founded=False)
    ledger.review_appeal(on(d(8, 6)), c_r3, upheld=True, note="差评不实")
    review("c_r4", c, (9, 20))
    # e (区财政局): one task due 09-14 (overdue), one due 09-15 (not yet), one closed late.
    items["e_late"] = task(books, 2, lead=[e], assigned=d(6, 1), deadline=d(9, 14))
    items["e_due"] = task(books, 3, lead=[e], assigned=d(6, 1), deadline=d(9, 15))
    items["e_closed"] = done = task(books, 4, lead=[e], assigned=d(6, 1), deadline=d(6, 30))
    closed_task(books, done, d(7, 15))
    return Story(dict(zip(("a", "b", "c", "e"), (a, b, c, e), strict=True)), items)


@pytest.fixture(scope="module")
def read(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Story, Connection, Ledger]]:
    """The story told once a module: the tests given it only read (the read models, and
    the ledger's policy and rules)."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('candidates') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn, books.ledger


def test_units_meeting_a_criterion_are_listed_with_the_items_behind_each_reason(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    units, items = story.units, {k: str(v) for k, v in story.items.items()}
    candidates = interview_candidates(conn, ledger.policy.interview_criteria, TODAY)
    assert candidates == [
        # Two reasons first.
        Candidate(
            str(units["a"]),
            "区住建局",
            {
                "overdue_tasks": [items["a_task"]],
                "bad_reviews": sorted([items["a_r1"], items["a_r2"], items["a_r3"]]),
            },
            0,
        ),
        # One reason each, by name: 市 (U+5E02) before 财 (U+8D22).
        Candidate(str(units["b"]), "区市场监管局", {"unrectified_exposures": [items["b_m1"]]}, 1),
        Candidate(str(units["e"]), "区财政局", {"overdue_tasks": [items["e_late"]]}, 0),
    ]
    # c: only 2 founded bad reviews in the window (07-01, 08-01): below the 3 needed; being a
    # cooperating unit on a's overdue task is no reason either.
    assert str(units["c"]) not in [candidate.unit for candidate in candidates]


def test_the_criteria_decide_the_thresholds_and_the_window(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, _ = read
    units, items = story.units, {k: str(v) for k, v in story.items.items()}
    # Two bad reviews are enough: c joins with 07-01 and 08-01; a keeps its three.
    # A window of 100 days (since 06-07) takes in c's 06-17 review too.
    # Overdue tasks and exposures switched off (0).
    criteria = InterviewCriteria(
        overdue_tasks=0, unrectified_exposures=0, bad_reviews=2, bad_review_window_days=100
    )
    candidates = interview_candidates(conn, criteria, TODAY)
    assert [(c.name, c.reasons) for c in candidates] == [
        ("区住建局", {"bad_reviews": sorted([items["a_r1"], items["a_r2"], items["a_r3"]])}),
        (
            "区自然资源局",
            {"bad_reviews": sorted([items["c_r0"], items["c_r1"], items["c_r2"]])},
        ),
    ]
    assert candidates[1].unit == str(units["c"])


def test_on_an_earlier_day_fewer_units_are_candidates(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    items = {k: str(v) for k, v in story.items.items()}
    # 2021-07-30: a's task is not due until 08-31 and a has two reviews (06-18, 07-20);
    # m1 is one day past its 07-29 deadline; e's tasks are due in September.
    candidates = interview_candidates(conn, ledger.policy.interview_criteria, d(7, 30))
    assert [(c.name, c.reasons) for c in candidates] == [
        ("区市场监管局", {"unrectified_exposures": [items["b_m1"]]})
    ]
    # 07-29: m1 is due that day, not yet past it.
    assert interview_candidates(conn, ledger.policy.interview_criteria, d(7, 29)) == []


def test_the_candidates_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            candidates = interview_candidates(conn, books.ledger.policy.interview_criteria, TODAY)
    items = {k: str(v) for k, v in story.items.items()}
    assert [(c.name, c.reasons, c.interviews_so_far) for c in candidates] == [
        (
            "区住建局",
            {
                "overdue_tasks": [items["a_task"]],
                "bad_reviews": sorted([items["a_r1"], items["a_r2"], items["a_r3"]]),
            },
            0,
        ),
        ("区市场监管局", {"unrectified_exposures": [items["b_m1"]]}, 1),
        ("区财政局", {"overdue_tasks": [items["e_late"]]}, 0),
    ]
