"""The task board (督办事项看板): lights, progress and deadlines, checked by hand.

November 2021 has no holiday: its working days are Mon-Fri (11-01 is a Monday). Yellow when
the deadline is 3 working days away or fewer, or when progress + 10 points trails the share of
working days elapsed since assignment; red once the deadline has passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import Connection

from domain.ledger import Ledger
from domain.timeliness import Light
from projections.views.task_board import TaskBoard, task_board
from tests.projections.view_builders import Books, closed_task, d, open_books, task


@dataclass
class Story:
    a: UUID
    b: UUID
    tasks: list[UUID]


def tell(books: Books) -> Story:
    ledger, on = books.ledger, books.on
    a, b = books.unit("区营商环境局"), books.unit("区行政审批局")

    def progress(task_id: UUID, percent: int, day: date) -> None:
        ledger.report_progress(on(day), task_id, percent=percent, narrative=f"完成{percent}%")

    # 1 on track: 40 % by 11-10, due Tue 11-30.
    t1 = task(books, 1, lead=[a], cooperating=[b], assigned=d(11, 1), deadline=d(11, 30))
    progress(t1, 40, d(11, 10))
    # 2 near its deadline: 90 % by 11-12, due Thu 11-18.
    t2 = task(books, 2, lead=[b], assigned=d(11, 1), deadline=d(11, 18))
    progress(t2, 90, d(11, 12))
    # 3 lagging: 30 % by 11-10, due 11-30.
    t3 = task(books, 3, lead=[a], assigned=d(11, 1), deadline=d(11, 30))
    progress(t3, 30, d(11, 10))
    # 4 overdue: due Fri 11-12, 80 %, urged twice, escalated to the office.
    t4 = task(books, 4, lead=[a], assigned=d(11, 1), deadline=d(11, 12))
    progress(t4, 80, d(11, 10))
    ledger.urge_task(on(d(11, 11)), t4, reason="进度滞后")
    ledger.urge_task(on(d(11, 13)), t4, reason="已逾期")
    ledger.escalate_task(on(d(11, 13)), t4, reason="逾期未完成")
    # 5 escalated, then closed (销号) on 11-10.
    t5 = task(books, 5, lead=[b], assigned=d(11, 1), deadline=d(11, 30))
    ledger.escalate_task(on(d(11, 3)), t5, reason="需协调")
    closed_task(books, t5, d(11, 10))
    # 6 registered, never assigned.
    t6 = ledger.register_task(on(d(11, 1)), plan_year=2021, number=6, title="督办事项6").item_id
    # 7 escalated twice (to the leading group), completion requested on 11-09 and not yet
    # verified; due 11-10.
    t7 = task(books, 7, lead=[b], assigned=d(11, 1), deadline=d(11, 10))
    ledger.escalate_task(on(d(11, 8)), t7, reason="久拖未决")
    ledger.escalate_task(on(d(11, 8)), t7, reason="提请领导小组")
    ledger.request_completion(on(d(11, 9)), t7, summary="已完成，申请销号")
    # 8 assigned on Fri 11-12, not yet accepted; due 12-31.
    t8 = task(books, 8, lead=[a], assigned=d(11, 12), deadline=d(12, 31), accepted=False)
    return Story(a, b, [t1, t2, t3, t4, t5, t6, t7, t8])


@pytest.fixture(scope="module")
def read(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Story, Connection, Ledger]]:
    """The story told once a module: the tests given it only read (the read models, and
    the ledger's policy and rules)."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('task-board') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn, books.ledger


def board(read: tuple[Story, Connection, Ledger], today: date) -> TaskBoard:
    _, conn, ledger = read
    return task_board(conn, ledger.rules, today)


def test_every_task_gets_the_light_its_deadline_and_progress_call_for(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story = read[0]
    monday = board(read, d(11, 15))
    assert [card.id for card in monday.tasks] == [str(t) for t in story.tasks]  # by number
    assert [card.light for card in monday.tasks] == [
        # 1: left = working days 11-16..11-30 = 11 > 3; elapsed 11-02..11-15 = 10 of 21
        #    (11-02..11-30) -> 47.6 % expected; 40 + 10 = 50 >= 47.6, not lagging.
        Light.GREEN,
        # 2: left = 11-16, 17, 18 = 3 <= 3.
        Light.YELLOW,
        # 3: as 1, but 30 + 10 = 40 < 47.6: lagging.
        Light.YELLOW,
        # 4: 11-15 > 11-12.
        Light.RED,
        # 5: closed (销号).
        None,
        # 6: not assigned.
        None,
        # 7: awaiting verification, still open, 11-15 > 11-10.
        Light.RED,
        # 8: left = 34 working days; elapsed 1 (11-15) of 35 -> 2.9 % expected; 0 + 10 >= 2.9.
        Light.GREEN,
    ]


def test_the_cards_carry_state_progress_deadline_tier_and_urges(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story = read[0]
    cards = board(read, d(11, 15)).tasks
    a, b = str(story.a), str(story.b)
    assert [
        (c.number, c.state, c.progress, c.deadline, c.closed_on, c.tier, c.urge_count)
        for c in cards
    ] == [
        (1, "in_progress", 40, d(11, 30), None, "task_force", 0),
        (2, "in_progress", 90, d(11, 18), None, "task_force", 0),
        (3, "in_progress", 30, d(11, 30), None, "task_force", 0),
        (4, "in_progress", 80, d(11, 12), None, "office", 2),
        (5, "closed", 0, d(11, 30), d(11, 10), "office", 0),
        (6, "registered", 0, None, None, "task_force", 0),
        (7, "completion_requested", 0, d(11, 10), None, "leading_group", 0),
        (8, "assigned", 0, d(12, 31), None, "task_force", 0),
    ]
    assert (cards[0].lead_units, cards[0].cooperating_units) == ([a], [b])
    assert (cards[5].lead_units, cards[5].cooperating_units) == ([], [])
    assert {c.plan_year for c in cards} == {2021}
    assert cards[0].title == "督办事项1"


def test_the_overdue_and_escalated_lists_hold_only_open_tasks(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story = read[0]
    t4, t5, t7 = str(story.tasks[3]), str(story.tasks[4]), str(story.tasks[6])
    assert next(c for c in board(read, d(11, 15)).tasks if c.id == t5).escalated
    monday = board(read, d(11, 15))
    assert [c.id for c in monday.overdue] == [t4, t7]
    # 5 was escalated too, but is closed.
    assert [c.id for c in monday.escalated] == [t4, t7]
    assert [c.escalated for c in monday.tasks].count(True) == 3  # 4, 5, 7
    assert monday.today == d(11, 15)


def test_the_light_depends_on_the_day_asked_about(read: tuple[Story, Connection, Ledger]) -> None:
    lights = {day: [c.light for c in board(read, day).tasks] for day in (d(11, 10), d(11, 11))}
    # On Wed 11-10:
    # 1: left 11-11..11-30 = 14; elapsed 11-02..11-10 = 7 of 21 -> 33.3 %; 40 + 10 >= 33.3.
    # 2: left 11-11, 12, 15, 16, 17, 18 = 6; elapsed 7 of 13 -> 53.8 %; 90 + 10 >= 53.8.
    # 3: 30 + 10 = 40 >= 33.3: not yet lagging.
    # 4: left 11-11, 12 = 2 <= 3.  7: left 0 (due that day) <= 3.
    # (The board shows the tasks as they stand now, lit for the day given: 2 keeps its 90 %.)
    # 8: assigned 11-12, after the day given: no working days elapsed; left 37 > 3.
    assert lights[d(11, 10)] == [
        Light.GREEN,
        Light.GREEN,
        Light.GREEN,
        Light.YELLOW,
        None,
        None,
        Light.YELLOW,
        Light.GREEN,
    ]
    # On Thu 11-11: 7 is past its deadline 11-10; 4 still has one day left.
    assert lights[d(11, 11)][3] is Light.YELLOW
    assert lights[d(11, 11)][6] is Light.RED
    assert [c.id for c in board(read, d(11, 11)).overdue] == [str(read[0].tasks[6])]


def test_the_board_reads_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            monday = task_board(conn, books.ledger.rules, d(11, 15))
    assert [c.light for c in monday.tasks] == [
        Light.GREEN,
        Light.YELLOW,
        Light.YELLOW,
        Light.RED,
        None,
        None,
        Light.RED,
        Light.GREEN,
    ]
    assert (monday.tasks[0].lead_units, monday.tasks[0].cooperating_units) == (
        [str(story.a)],
        [str(story.b)],
    )
    assert [c.id for c in monday.escalated] == [str(story.tasks[3]), str(story.tasks[6])]
    assert (monday.tasks[4].closed_on, monday.tasks[3].urge_count) == (d(11, 10), 2)
