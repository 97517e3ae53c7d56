"""The live feed's Disclosures in batches (``api.graphql.disclosure_batches``), driven step by
step: a page of events at a time and at most one Disclosure a second, every event shown in
clear sent only after the Disclosure covering it, in order, nothing held when nothing needs
recording, and nothing of a batch sent when its Disclosure cannot be recorded.

The feed and the second between Disclosures are the test's to move: no test here waits on a
clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import pytest

from api.graphql.disclosure_batches import Ready, disclosed
from api.graphql.enums import Role
from api.graphql.events import Actor, Event

PAGE = 5
WHEN = datetime(2021, 6, 1, tzinfo=UTC)


def event(position: int, *, personal: bool = True) -> Event:
    data = {"summary": "road blocked"}
    if personal:
        data["complainant_name"] = "sealed:v1:..."
    return Event(
        position=position,
        item_id=f"item-{position}",
        item_type="Complaint",
        version=1,
        type="Received",
        occurred_at=WHEN,
        recorded_at=WHEN,
        actor=Actor(id="office-wang", role=Role.OFFICE, unit=None),
        request_id="",
        imported=False,
        backdated=False,
        data=data,
    )


def events(first: int, last: int, *, personal: bool = True) -> list[Event]:
    return [event(p, personal=personal) for p in range(first, last + 1)]


class Opening:
    """A read opening personal data (``clear``) or masking it, its Disclosures kept here."""

    def __init__(self, *, clear: bool = True, fails: bool = False) -> None:
        self.clear, self.fails = clear, fails
        self.shown: list[str] = []
        self.recorded: list[list[str]] = []

    def protect(self, item_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        if "complainant_name" not in fields:
            return fields
        if self.clear:
            self.shown.append(item_id)
        return {**fields, "complainant_name": "张三" if self.clear else "张*"}

    @property
    def unrecorded(self) -> bool:
        return bool(self.shown)

    async def record(self) -> None:
        if self.fails:
            raise RuntimeError("the log refused the Disclosure")
        self.recorded.append(self.shown)
        self.shown = []


class Feed:
    """The batches' source, fed by the test; what they sent, and which Disclosures each
    event found recorded when it was sent; and the second after each Disclosure, which
    passes when the test says so."""

    def __init__(self, opening: Opening) -> None:
        self.opening = opening
        self.ready: asyncio.Queue[Ready | None] = asyncio.Queue()
        self.sent: list[tuple[int, int]] = []  # (position, Disclosures recorded by then)
        self.seconds: list[asyncio.Event] = []
        self.error: BaseException | None = None

    async def source(self) -> AsyncGenerator[Ready, None]:
        while (ready := await self.ready.get()) is not None:
            yield ready

    def pause(self, _seconds: float) -> Awaitable[bool]:
        second = asyncio.Event()
        self.seconds.append(second)
        return second.wait()

    async def run(self) -> None:
        batches = disclosed(self.opening, self.source(), page=PAGE, pause=self.pause)
        try:
            async for sent in batches:
                self.sent.append((sent.position, len(self.opening.recorded)))
        except RuntimeError as error:
            self.error = error

    async def give(self, ready: Ready) -> None:
        self.ready.put_nowait(ready)
        await settle()

    async def second_passes(self) -> None:
        self.seconds[-1].set()
        await settle()

    def positions(self) -> list[int]:
        return [position for position, _ in self.sent]


async def settle() -> None:
    """Let every task run until each waits for the test again."""
    for _ in range(50):
        await asyncio.sleep(0)


def scenario(opening: Opening, steps: Callable[[Feed], Coroutine[Any, Any, None]]) -> Feed:
    async def main() -> Feed:
        feed = Feed(opening)
        running = asyncio.create_task(feed.run())
        await settle()
        try:
            await steps(feed)
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
        return feed

    return asyncio.run(main())


def covered_before_sent(feed: Feed) -> bool:
    """Whether every event was sent after the Disclosure naming it was recorded."""
    for position, recorded in feed.sent:
        disclosures = feed.opening.recorded[:recorded]
        if not any(f"item-{position}" in items for items in disclosures):
            return False
    return True


def test_a_replay_records_one_disclosure_a_page_each_before_its_events_are_sent() -> None:
    async def steps(feed: Feed) -> None:
        await feed.give(Ready(events(1, 4), more=True))
        await feed.give(Ready(events(5, 8), more=True))
        await feed.give(Ready(events(9, 12), more=True))
        await feed.give(Ready(events(13, 14), more=False))
        assert feed.positions() == list(range(1, 11)), "two full pages, at once"
        await feed.second_passes()  # the last page is not full: it waits for the second

    feed = scenario(Opening(), steps)

    assert feed.positions() == list(range(1, 15))
    assert feed.opening.recorded == [
        [f"item-{p}" for p in range(1, 6)],
        [f"item-{p}" for p in range(6, 11)],
        [f"item-{p}" for p in range(11, 15)],
    ]
    assert covered_before_sent(feed)


def test_a_live_burst_waits_for_the_second_after_the_last_disclosure_and_goes_as_one() -> None:
    async def steps(feed: Feed) -> None:
        await feed.give(Ready(events(1, 1), more=False))
        assert feed.positions() == [1], "a quiet feed sends the first at once"
        await feed.give(Ready(events(2, 2), more=False))
        await feed.give(Ready(events(3, 4), more=False))
        assert feed.positions() == [1], "held until a second has passed"
        await feed.second_passes()

    feed = scenario(Opening(), steps)

    assert feed.positions() == [1, 2, 3, 4]
    assert feed.opening.recorded == [["item-1"], ["item-2", "item-3", "item-4"]]
    assert covered_before_sent(feed)


def test_a_full_page_goes_without_waiting_for_the_second() -> None:
    async def steps(feed: Feed) -> None:
        await feed.give(Ready(events(1, 1), more=False))
        await feed.give(Ready(events(2, 3), more=False))
        await feed.give(Ready(events(4, 7), more=False))

    feed = scenario(Opening(), steps)

    assert feed.positions() == [1, 2, 3, 4, 5, 6]
    assert feed.opening.recorded == [["item-1"], [f"item-{p}" for p in range(2, 7)]]
    assert covered_before_sent(feed)


def test_events_behind_a_held_batch_wait_behind_it_and_keep_their_order() -> None:
    async def steps(feed: Feed) -> None:
        await feed.give(Ready(events(1, 1), more=False))
        await feed.give(Ready(events(2, 2), more=False))
        await feed.give(Ready(events(3, 4, personal=False), more=False))
        assert feed.positions() == [1]
        await feed.second_passes()
        await feed.give(Ready(events(5, 5, personal=False), more=False))

    feed = scenario(Opening(), steps)

    assert feed.positions() == [1, 2, 3, 4, 5]
    assert feed.opening.recorded == [["item-1"], ["item-2"]]


@pytest.mark.parametrize("opening", [Opening(clear=False), Opening()], ids=["masked", "none"])
def test_events_needing_no_disclosure_are_never_held(opening: Opening) -> None:
    async def steps(feed: Feed) -> None:
        await feed.give(Ready(events(1, 3, personal=not opening.clear), more=True))
        assert feed.positions() == [1, 2, 3], "sent while the replay goes on"
        await feed.give(Ready(events(4, 4, personal=not opening.clear), more=False))

    feed = scenario(opening, steps)

    assert feed.positions() == [1, 2, 3, 4]
    assert feed.opening.recorded == []


def test_when_a_disclosure_cannot_be_recorded_nothing_of_its_batch_is_sent() -> None:
    async def steps(feed: Feed) -> None:
        await feed.give(Ready(events(1, 2, personal=False), more=False))
        await feed.give(Ready([*events(3, 3, personal=False), *events(4, 5)], more=False))

    feed = scenario(Opening(fails=True), steps)

    assert feed.positions() == [1, 2]
    assert isinstance(feed.error, RuntimeError)
