"""Tasks' dated milestones (节点) in the read models: each with the day it was reached, lit
and counted as missed on the board as of the day asked about.

November 2021 has no holiday (Mon-Fri; 11-01 is a Monday). Every task is assigned on 11-01.
- T1: m1 due Fri 11-05, reached 11-04 (on time); m2 due Fri 11-19, reached Wed 11-24 (late);
  m3 due Fri 12-10, never reached.
- T2: n1 due Fri 11-12, never reached; the task closed (销号) Mon 11-15.
- T3: p1 due Fri 11-12, never reached; escalated on 11-02, so the board names it.
- T4: no milestone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.escalation import Milestone
from domain.ledger import Ledger
from domain.timeliness import Light
from projections.views.milestones import is_missed, milestone_light_of, milestones_of
from projections.views.screen_board import screen_board
from tests.projections.view_builders import Books, closed_task, d, open_books, task


@dataclass
class Story:
    t1: UUID
    t2: UUID
    t3: UUID
    t4: UUID


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    a = books.unit("区营商环境局")

    def reach(task_id: UUID, day: date, *keys: str) -> None:
        ledger.report_progress(
            on(day), task_id, percent=50, narrative="按节点推进", milestones_reached=keys
        )

    t1 = task(
        books,
        1,
        lead=[a],
        assigned=d(11, 1),
        deadline=d(12, 31),
        milestones=[
            Milestone("m1", "完成方案制定", d(11, 5)),
            Milestone("m2", "完成试点建设", d(11, 19)),
            Milestone("m3", "全面完成建设", d(12, 10)),
        ],
    )
    reach(t1, d(11, 4), "m1")
    reach(t1, d(11, 24), "m2")
    t2 = task(
        books,
        2,
        lead=[a],
        assigned=d(11, 1),
        deadline=d(11, 30),
        milestones=[Milestone("n1", "完成统一服装制作", d(11, 12))],
    )
    closed_task(books, t2, d(11, 15))
    t3 = task(
        books,
        3,
        lead=[a],
        assigned=d(11, 1),
        deadline=d(12, 31),
        milestones=[Milestone("p1", "树立宣传标语", d(11, 12))],
    )
    ledger.escalate_task(on(d(11, 2)), t3, reason="需协调")
    t4 = task(books, 4, lead=[a], assigned=d(11, 1), deadline=d(12, 31))
    return Story(t1, t2, t3, t4)


@pytest.fixture(scope="module")
def read(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Story, Connection, Ledger]]:
    """The story told once a module: the tests given it only read (the read models, and
    the ledger's policy and rules)."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('milestones') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn, books.ledger


def test_each_milestone_is_kept_as_assigned_with_the_day_a_report_reached_it(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, _ = read
    found = milestones_of(conn, [str(story.t1), str(story.t4)])
    assert [(m.key, m.title, m.due, m.reached_on) for m in found[str(story.t1)]] == [
        ("m1", "完成方案制定", d(11, 5), d(11, 4)),
        ("m2", "完成试点建设", d(11, 19), d(11, 24)),
        ("m3", "全面完成建设", d(12, 10), None),
    ]
    assert found[str(story.t4)] == []


def test_a_milestones_light_depends_on_the_day_and_goes_out_once_it_is_reached(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    m1, m2, m3 = milestones_of(conn, [str(story.t1)])[str(story.t1)]

    def lights(day: date) -> list[Light | None]:
        return [
            milestone_light_of(
                ledger.rules, m, state="in_progress", assigned_on=d(11, 1), today=day
            )
            for m in (m1, m2, m3)
        ]

    # 11-03: m1 due in 2 working days; m2 12 away; m3 27 away.
    assert lights(d(11, 3)) == [Light.YELLOW, Light.GREEN, Light.GREEN]
    # 11-16: m1 reached; m2 3 working days away (11-17, 18, 19).
    assert lights(d(11, 16)) == [None, Light.YELLOW, Light.GREEN]
    # 11-22: m2 past its day, not yet reached; 11-24: reached (late).
    assert lights(d(11, 22)) == [None, Light.RED, Light.GREEN]
    assert lights(d(11, 24)) == [None, None, Light.GREEN]
    closed = milestone_light_of(
        ledger.rules, m3, state="closed", assigned_on=d(11, 1), today=d(12, 13)
    )
    assert closed is None  # a task after 销号 has no light, nor have its milestones


def test_a_milestone_reached_late_stays_missed_and_one_on_time_never_is(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    m1, m2, m3 = milestones_of(conn, [str(story.t1)])[str(story.t1)]
    missed = {
        day: [is_missed(ledger.rules, m, today=day) for m in (m1, m2, m3)]
        for day in (d(11, 19), d(11, 22), d(11, 24), d(12, 13))
    }
    assert missed == {
        d(11, 19): [False, False, False],
        d(11, 22): [False, True, False],
        d(11, 24): [False, True, False],  # reached that day, five days late
        d(12, 13): [False, True, True],
    }


def test_the_board_counts_the_missed_milestones_of_open_tasks_as_of_the_day(
    read: tuple[Story, Connection, Ledger],
) -> None:
    _, conn, ledger = read
    counts = {
        day: screen_board(conn, ledger.rules, day).missed_milestones
        for day in (d(11, 5), d(11, 12), d(11, 13), d(11, 15), d(11, 22), d(11, 24), d(12, 13))
    }
    assert counts == {
        d(11, 5): 0,  # m1's day, reached the day before
        d(11, 12): 0,  # n1's and p1's day: not passed yet
        d(11, 13): 2,  # n1 and p1
        d(11, 15): 1,  # T2 closed that day: the board counts open tasks only
        d(11, 22): 2,  # p1 and m2
        d(11, 24): 2,  # m2 reached, late: still missed
        d(12, 13): 3,  # p1, m2 and m3
    }


def test_the_board_names_each_task_with_its_missed_milestones(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story, conn, ledger = read
    named = screen_board(conn, ledger.rules, d(11, 15)).attention
    assert [(c.id, c.missed_milestones) for c in named] == [(str(story.t3), 1)]
    assert screen_board(conn, ledger.rules, d(11, 12)).attention[0].missed_milestones == 0


def test_missed_milestones_read_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            boards = [screen_board(conn, books.ledger.rules, day) for day in (d(11, 13), d(12, 13))]
            kept = milestones_of(conn, [str(story.t1)])[str(story.t1)]
    assert [b.missed_milestones for b in boards] == [2, 3]
    assert [b.attention[0].missed_milestones for b in boards] == [1, 1]
    assert [m.reached_on for m in kept] == [d(11, 4), d(11, 24), None]
