"""The big screen's task board: open tasks by light, tier and state as of a day, and the
red and escalated ones named. The story is the task board's (``test_view_task_board``):
its lights are worked out there by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from domain.escalation import Tier
from domain.ledger import Ledger
from domain.task_events import TaskState
from domain.timeliness import Light
from projections.views.screen_board import ScreenBoard, screen_board
from projections.views.task_board import OPEN, task_board
from tests.projections.test_view_task_board import Story, tell
from tests.projections.view_builders import d, open_books

G, Y, R = Light.GREEN, Light.YELLOW, Light.RED
FORCE, OFFICE, GROUP = Tier.TASK_FORCE, Tier.OFFICE, Tier.LEADING_GROUP


@pytest.fixture(scope="module")
def read(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Story, Connection, Ledger]]:
    """The story told once a module: the tests given it only read (the read models, and
    the ledger's policy and rules)."""
    sqlite_url = f"sqlite:///{tmp_path_factory.mktemp('screen-board') / 'ledger.sqlite'}"
    with open_books(sqlite_url) as books:
        story = tell(books)
        with books.read() as conn:
            yield story, conn, books.ledger


def screen(read: tuple[Story, Connection, Ledger], day: date) -> ScreenBoard:
    _, conn, ledger = read
    return screen_board(conn, ledger.rules, day)


def test_open_tasks_are_counted_by_light_tier_and_state_as_the_task_list_lights_them(
    read: tuple[Story, Connection, Ledger],
) -> None:
    monday = screen(read, d(11, 15))
    # Open: 1 G, 2 Y, 3 Y, 4 R (office), 7 R (leading group), 8 G; 5 closed, 6 registered.
    assert monday.by_light == {G: 2, Y: 2, R: 2}
    assert monday.by_tier == {FORCE: 4, OFFICE: 1, GROUP: 1}
    assert monday.by_state == {
        TaskState.REGISTERED: 1,
        TaskState.ASSIGNED: 1,
        TaskState.IN_PROGRESS: 4,
        TaskState.COMPLETION_REQUESTED: 1,
        TaskState.CLOSED: 1,
    }
    assert monday.open == 6


def test_the_red_and_escalated_open_tasks_are_named_with_their_lead_units_and_deadlines(
    read: tuple[Story, Connection, Ledger],
) -> None:
    story = read[0]
    named = screen(read, d(11, 15)).attention
    assert [(c.id, c.title, c.lead_units, c.deadline, c.light, c.tier) for c in named] == [
        (str(story.tasks[3]), "督办事项4", ["区营商环境局"], d(11, 12), R, OFFICE),
        (str(story.tasks[6]), "督办事项7", ["区行政审批局"], d(11, 10), R, GROUP),
    ]  # 5 was escalated too, but is closed


def test_each_task_is_read_as_it_stood_on_the_day_asked_about(
    read: tuple[Story, Connection, Ledger],
) -> None:
    wednesday = screen(read, d(11, 10))
    # 2 had reported nothing yet (its 90 % came on 11-12): 0 + 10 < 53.8 % -> yellow, where
    # the task list, showing tasks as they stand now, says green. 4 was not yet escalated;
    # 5 was closed that day; 8 was not yet registered.
    assert wednesday.by_light == {G: 2, Y: 3, R: 0}
    assert wednesday.by_tier == {FORCE: 4, OFFICE: 0, GROUP: 1}
    assert wednesday.by_state[TaskState.CLOSED] == 1
    assert sum(wednesday.by_state.values()) == 7
    assert [c.id for c in wednesday.attention] == [str(read[0].tasks[6])]
    assert wednesday.attention[0].light is Y
    assert screen(read, d(10, 31)).by_state == dict.fromkeys(TaskState, 0)


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.integers(min_value=0, max_value=120))
def test_the_counts_by_light_and_by_tier_each_sum_to_the_open_tasks_and_agree_with_the_list(
    read: tuple[Story, Connection, Ledger], offset: int
) -> None:
    day = d(10, 25) + timedelta(days=offset)
    found = screen(read, day)
    assert sum(found.by_light.values()) == found.open == sum(found.by_tier.values())
    assert [c.light is R or c.tier is not FORCE for c in found.attention] == [True] * len(
        found.attention
    )
    if day >= d(11, 13):  # after the story's last act: the list's tasks stand as they did then
        _, conn, ledger = read
        cards = [c for c in task_board(conn, ledger.rules, day).tasks if c.state in OPEN]
        assert found.by_light == {light: [c.light for c in cards].count(light) for light in Light}
        assert [c.id for c in found.attention] == [c.id for c in cards if c.overdue or c.escalated]


def test_the_screen_board_reads_the_same_from_either_database(database_url: str) -> None:
    with open_books(database_url) as books:
        story = tell(books)
        with books.read() as conn:
            monday = screen_board(conn, books.ledger.rules, d(11, 15))
            wednesday = screen_board(conn, books.ledger.rules, d(11, 10))
    assert (monday.by_light, monday.by_tier) == (
        {G: 2, Y: 2, R: 2},
        {FORCE: 4, OFFICE: 1, GROUP: 1},
    )
    assert [(c.id, c.lead_units) for c in monday.attention] == [
        (str(story.tasks[3]), ["区营商环境局"]),
        (str(story.tasks[6]), ["区行政审批局"]),
    ]
    assert (wednesday.by_light, wednesday.open) == ({G: 2, Y: 3, R: 0}, 5)
