"""The shared live views (``api.runtime.live_views``) and the views' answers kept per position
(``api.runtime.view_cache``), driven in one event loop with projections that move when told."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.runtime.live_views import LiveViews, Mailbox, ViewKey
from api.runtime.view_cache import ViewCache

A_MINUTE = 60.0
OVERVIEW = ViewKey("supervisionOverview", ("{ supervisionOverview { asOf } }", None, "{}"), "x")


class Projections:
    """Projections that move on when told, as ``Projector`` tells its waiters."""

    def __init__(self) -> None:
        self.position = 0
        self._moved = asyncio.Condition()

    async def next_change(self, seen: int) -> int:
        async with self._moved:
            await self._moved.wait_for(lambda: self.position > seen)
        return self.position

    async def move(self) -> None:
        async with self._moved:
            self.position += 1
            self._moved.notify_all()


@dataclass(frozen=True)
class Answer:
    value: Any

    def same_as(self, other: Answer) -> bool:
        return bool(self.value == other.value)


class Watched:
    """Counts what the hub reports."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def subscription_opened(self, view: str) -> None:
        self.counts["opened"] += 1

    def subscription_closed(self, view: str) -> None:
        self.counts["closed"] += 1

    def view_computed(self, view: str, seconds: float) -> None:
        self.counts["computed"] += 1

    def fanned_out(self, view: str, seconds: float, subscribers: int) -> None:
        self.counts["fanned out"] += 1

    def snapshot_dropped(self, view: str) -> None:
        self.counts["dropped"] += 1


class World:
    """A hub over movable projections, a settable date and a view whose answer is set."""

    def __init__(self) -> None:
        self.projections = Projections()
        self.today = date(2026, 12, 5)
        self.answer: Any = "first"
        self.watched = Watched()
        self.hub = LiveViews(self.projections, lambda: self.today, 0.0, self.watched)

    async def compute(self) -> Answer:
        if isinstance(self.answer, Exception):
            raise self.answer
        return Answer(self.answer)


def run(scenario: Callable[[World], Awaitable[None]]) -> None:
    async def main() -> None:
        await asyncio.wait_for(scenario(World()), A_MINUTE)

    asyncio.run(main())


async def take(mailbox: Mailbox) -> Any:
    snapshot = await asyncio.wait_for(mailbox.take(), A_MINUTE)
    return snapshot.value


async def nothing_waiting(mailbox: Mailbox) -> bool:
    """True if the mailbox holds nothing (looked at once every task has run)."""
    for _ in range(20):
        await asyncio.sleep(0)
    try:
        await asyncio.wait_for(mailbox.take(), 0.01)
    except TimeoutError:
        return True
    return False


def test_a_thousand_subscribers_of_one_view_share_one_computation_per_change() -> None:
    async def scenario(world: World) -> None:
        joined = [world.hub.join(OVERVIEW, world.compute) for _ in range(1000)]
        assert {await take(mailbox) for _, mailbox in joined} == {"first"}
        world.answer = "second"
        await world.projections.move()
        assert {await take(mailbox) for _, mailbox in joined} == {"second"}
        assert world.watched.counts["computed"] == 2
        assert world.hub.views == 1

    run(scenario)


def test_another_document_or_role_is_a_view_of_its_own() -> None:
    async def scenario(world: World) -> None:
        other_role = ViewKey(OVERVIEW.view, OVERVIEW.asked, "viewer")
        other_asked = ViewKey(OVERVIEW.view, ("{ supervisionOverview { channels } }",), "x")
        for key in (OVERVIEW, other_role, other_asked):
            await take(world.hub.join(key, world.compute)[1])
        assert world.hub.views == 3
        assert world.watched.counts["computed"] == 3

    run(scenario)


def test_an_answer_that_did_not_change_is_not_sent_again() -> None:
    async def scenario(world: World) -> None:
        _, mailbox = world.hub.join(OVERVIEW, world.compute)
        assert await take(mailbox) == "first"
        await world.projections.move()
        assert await nothing_waiting(mailbox)
        world.answer = "second"
        await world.projections.move()
        assert await take(mailbox) == "second"

    run(scenario)


def test_a_slow_subscriber_gets_the_latest_snapshot_and_holds_no_one_up() -> None:
    async def scenario(world: World) -> None:
        _, slow = world.hub.join(OVERVIEW, world.compute)
        _, quick = world.hub.join(OVERVIEW, world.compute)
        assert await take(quick) == "first"
        for answer in ("second", "third", "fourth"):
            world.answer = answer
            await world.projections.move()
            assert await take(quick) == answer
        assert await take(slow) == "fourth"
        assert await nothing_waiting(slow)
        assert world.watched.counts["dropped"] == 3  # first, second and third were replaced

    run(scenario)


def test_a_subscriber_joining_later_gets_the_current_snapshot_without_a_computation() -> None:
    async def scenario(world: World) -> None:
        _, first = world.hub.join(OVERVIEW, world.compute)
        await take(first)
        _, later = world.hub.join(OVERVIEW, world.compute)
        assert await take(later) == "first"
        assert world.watched.counts["computed"] == 1

    run(scenario)


def test_the_last_subscriber_leaving_stops_the_view() -> None:
    async def scenario(world: World) -> None:
        joined = [world.hub.join(OVERVIEW, world.compute) for _ in range(3)]
        await take(joined[0][1])
        for view, mailbox in joined:
            world.hub.leave(view, mailbox)
        assert world.hub.views == 0
        await world.projections.move()
        await asyncio.sleep(0.05)
        assert world.watched.counts["computed"] == 1
        assert world.watched.counts["opened"] == world.watched.counts["closed"] == 3

    run(scenario)


def test_a_new_day_works_every_view_out_again_with_nothing_written() -> None:
    async def scenario(world: World) -> None:
        _, mailbox = world.hub.join(OVERVIEW, world.compute)
        assert await take(mailbox) == "first"
        world.answer, world.today = "a red light", world.today + timedelta(days=1)
        world.hub.new_day()
        assert await take(mailbox) == "a red light"
        assert world.projections.position == 0

    run(scenario)


def test_a_computation_that_fails_leaves_the_last_snapshot_and_the_view_goes_on() -> None:
    async def scenario(world: World) -> None:
        _, mailbox = world.hub.join(OVERVIEW, world.compute)
        assert await take(mailbox) == "first"
        world.answer = RuntimeError("the database went away")
        await world.projections.move()
        assert await nothing_waiting(mailbox)
        world.answer = "back"
        await world.projections.move()
        assert await take(mailbox) == "back"

    run(scenario)


@given(st.lists(st.one_of(st.integers(0, 9), st.none()), max_size=40))
def test_a_mailbox_holds_the_latest_snapshot_put_since_the_last_take(
    steps: list[int | None],
) -> None:
    """Each step puts a number, or (None) takes when something is there."""

    async def scenario() -> None:
        dropped: list[int] = []
        mailbox = Mailbox(lambda: dropped.append(1))
        pending: int | None = None
        puts = takes = 0
        for step in steps:
            if step is not None:
                mailbox.put(Answer(step))
                pending, puts = step, puts + 1
            elif pending is not None:
                assert (await mailbox.take()).value == pending
                pending, takes = None, takes + 1
        assert len(dropped) == puts - takes - (pending is not None)

    asyncio.run(scenario())


# --- the views' answers, kept per position --------------------------------------------------


class Figures:
    """A view's computation, counted, and the position and clock the cache reads."""

    def __init__(self) -> None:
        self.position = 0
        self.now = datetime(2026, 12, 5, 6, tzinfo=UTC)
        self.computed = 0
        self.fail = False
        self.cache = ViewCache(lambda: self.position, lambda: self.now, size=4)

    async def compute(self) -> int:
        self.computed += 1
        await asyncio.sleep(0.01)  # others ask meanwhile
        if self.fail:
            raise RuntimeError("the database went away")
        return self.position


def test_requests_asking_at_once_at_one_position_share_one_computation() -> None:
    async def scenario() -> None:
        figures = Figures()
        answers = await asyncio.gather(
            *(figures.cache.answer("overview", figures.compute) for _ in range(50))
        )
        assert answers == [0] * 50
        assert await figures.cache.answer("overview", figures.compute) == 0
        assert figures.computed == 1

    asyncio.run(scenario())


def test_an_answer_is_worked_out_again_once_the_projections_move() -> None:
    async def scenario() -> None:
        figures = Figures()
        await figures.cache.answer("overview", figures.compute)
        figures.position = 7
        assert await figures.cache.answer("overview", figures.compute) == 7
        assert figures.computed == 2

    asyncio.run(scenario())


def test_an_answer_is_worked_out_again_when_the_moment_it_named_has_passed() -> None:
    async def scenario() -> None:
        figures = Figures()
        late_at = figures.now + timedelta(hours=2)
        ask = lambda: figures.cache.answer("overview", figures.compute, until=lambda _: late_at)  # noqa: E731
        await ask()
        figures.now = late_at - timedelta(seconds=1)
        await ask()
        assert figures.computed == 1
        figures.now = late_at
        await ask()
        assert figures.computed == 2

    asyncio.run(scenario())


def test_a_failure_is_not_kept_and_the_next_request_tries_again() -> None:
    async def scenario() -> None:
        figures = Figures()
        figures.fail = True
        with pytest.raises(RuntimeError):
            await figures.cache.answer("overview", figures.compute)
        figures.fail = False
        assert await figures.cache.answer("overview", figures.compute) == 0
        assert figures.computed == 2

    asyncio.run(scenario())


def test_at_most_the_cache_size_of_answers_is_kept() -> None:
    async def scenario() -> None:
        figures = Figures()
        for day in range(10):
            await figures.cache.answer(("overview", day), figures.compute)
        assert len(figures.cache) == 4

    asyncio.run(scenario())


def test_a_moment_passing_works_every_view_out_again_with_nothing_written() -> None:
    async def scenario(world: World) -> None:
        _, mailbox = world.hub.join(OVERVIEW, world.compute)
        assert await take(mailbox) == "first"
        world.answer = "a receipt fallen late"
        world.hub.time_passed()
        assert await take(mailbox) == "a receipt fallen late"
        world.hub.time_passed()  # nothing changed: nothing sent
        assert await nothing_waiting(mailbox)
        assert world.projections.position == 0

    run(scenario)


def test_the_moments_kept_answers_change_at_are_told_earliest_first_and_forgotten_once_told() -> (
    None
):
    figures = Figures()
    start = figures.now
    later, sooner = start + timedelta(hours=2), start + timedelta(hours=1)

    async def ask(keys: dict[str, datetime | None]) -> None:
        for key, moment in keys.items():
            await figures.cache.answer(key, figures.compute, until=lambda _, m=moment: m)

    asyncio.run(ask({"a": later, "b": sooner, "c": None}))
    assert figures.cache.next_moment() == sooner
    assert not figures.cache.passed(start)
    assert figures.cache.passed(sooner) and figures.cache.next_moment() == later
    asyncio.run(ask({"d": sooner}))  # noted only once its moment had passed: still told
    assert figures.cache.passed(later + timedelta(seconds=1))
    assert figures.cache.next_moment() is None


def test_a_new_day_told_while_a_view_is_worked_out_is_not_lost() -> None:
    async def scenario(world: World) -> None:
        told = asyncio.Event()

        async def compute() -> Answer:
            answer = Answer(world.answer)
            if not told.is_set():  # the clock tells the views while this one computes
                told.set()
                world.answer, world.today = "the next day", world.today + timedelta(days=1)
                world.hub.new_day()
            return answer

        _, mailbox = world.hub.join(OVERVIEW, compute)
        assert await take(mailbox) == "first"
        assert await take(mailbox) == "the next day"

    run(scenario)
