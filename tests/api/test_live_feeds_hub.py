"""The shared live feeds (``api.runtime.live_feeds``), driven in one event loop by a log that
grows when told: members joining at any moment get every event once and in order (their
replay up to the boundary, then their mailbox), a slow or revoked member ends alone, and
the feed stops with its last member or its source."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.runtime.identity import Unauthenticated
from api.runtime.live_feeds import (
    EXPIRED,
    REVOKED,
    Answered,
    FellBehind,
    LiveFeeds,
    Member,
    Token,
)

A_MINUTE = 60.0
NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
KEY = ("subscription { ledgerEvents { position } }", None, "{}", "office", None)


class Log:
    """A log that grows when told, and the answers of a feed's source over it."""

    def __init__(self) -> None:
        self.positions: list[int] = []
        self.sources: list[asyncio.Queue[int | Exception | None]] = []
        self.closed = 0

    def head(self) -> int:
        return self.positions[-1] if self.positions else 0

    def append(self) -> int:
        position = self.head() + 1
        self.positions.append(position)
        for source in self.sources:
            source.put_nowait(position)
        return position

    def end(self, reason: Exception | None = None) -> None:
        for source in self.sources:
            source.put_nowait(reason)

    def source(self, start: int) -> AsyncIterator[Answered]:
        return self._answers(start)

    async def _answers(self, start: int) -> AsyncIterator[Answered]:
        """As ``ledger_pages`` reads: joins the live feed, replays what came since
        ``start``, then takes the feed."""
        new: asyncio.Queue[int | Exception | None] = asyncio.Queue()
        self.sources.append(new)
        for position in self.positions:
            new.put_nowait(position)
        try:
            while (position := await new.get()) is not None:
                if isinstance(position, Exception):
                    raise position
                if position > start:
                    yield Answered(position, f"answer {position}", time.perf_counter())
        finally:
            self.closed += 1
            self.sources.remove(new)


class World:
    def __init__(self) -> None:
        self.log = Log()
        self.now = NOW
        self.hub = LiveFeeds(self.log.head, lambda: self.now)

    def token(self, expires_in: timedelta = timedelta(days=1)) -> Token:
        return Token(asyncio.Event(), self.now + expires_in)

    def join(self, token: Token | None = None) -> Member:
        return self.hub.join(KEY, self.log.source, token or self.token())[1]


def run(scenario: Callable[[World], Awaitable[None]]) -> None:
    async def main() -> None:
        await asyncio.wait_for(scenario(World()), A_MINUTE)

    asyncio.run(main())


async def settled() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def taken(member: Member) -> list[int]:
    """The positions waiting in the member's mailbox now."""
    await settled()
    waiting = asyncio.ensure_future(member.take())
    await settled()
    if not waiting.done():
        waiting.cancel()
        return []
    return [position for position, _ in waiting.result()]


@given(st.lists(st.tuples(st.sampled_from(["event", "join"]), st.integers(0, 4)), max_size=30))
def test_members_joining_at_any_moment_get_every_event_once_and_in_order(
    steps: list[tuple[str, int]],
) -> None:
    async def scenario(world: World) -> None:
        members = [world.join()]
        received: dict[Member, list[int]] = {members[0]: []}
        for step, pause in steps:
            if step == "event":
                world.log.append()
            else:
                joined = world.join()
                members.append(joined)
                received[joined] = []
            for _ in range(pause):  # the feed gets that far with its events meanwhile
                await asyncio.sleep(0)
            for member in members:
                received[member] += await taken(member) if pause else []
        for member in members:
            received[member] += await taken(member)
            replayed = [p for p in world.log.positions if p <= member.boundary]
            assert replayed + received[member] == world.log.positions

    run(scenario)


def test_a_member_that_falls_too_far_behind_ends_alone() -> None:
    async def scenario(world: World) -> None:
        slow, quick = world.join(), world.join()
        slow.limit = 3
        for _ in range(5):
            world.log.append()
            assert len(await taken(quick)) == 1
        with pytest.raises(FellBehind):
            await slow.take()
        world.log.append()
        assert await taken(quick) == [6]

    run(scenario)


def test_a_revoked_member_ends_at_once_and_sees_nothing_more_while_the_others_go_on() -> None:
    async def scenario(world: World) -> None:
        token = world.token()
        revoked, other = world.join(token), world.join()
        world.log.append()
        await settled()
        token.revoked.set()  # as the log's watcher sets it, before the feed reads what follows
        world.log.append()
        await settled()
        with pytest.raises(Unauthenticated, match=REVOKED):
            await revoked.take()
        assert await taken(other) == [1, 2]

    run(scenario)


def test_a_quiet_feed_ends_a_member_whose_token_expires_and_one_revoked() -> None:
    async def scenario(world: World) -> None:
        expiring, revoked = world.token(timedelta(minutes=1)), world.token()
        first, second, third = world.join(expiring), world.join(revoked), world.join()
        world.now += timedelta(minutes=2)
        revoked.revoked.set()
        with pytest.raises(Unauthenticated, match=EXPIRED):
            await first.take()
        with pytest.raises(Unauthenticated, match=REVOKED):
            await second.take()
        world.log.append()
        assert await taken(third) == [1]

    run(scenario)


def test_the_last_member_leaving_stops_the_feed_and_a_new_one_starts_at_the_head() -> None:
    async def scenario(world: World) -> None:
        feed, member = world.hub.join(KEY, world.log.source, world.token())
        world.log.append()
        await settled()
        world.hub.leave(feed, member)
        await settled()
        assert (world.hub.feeds, world.hub.members, world.log.closed) == (0, 0, 1)
        world.log.append()
        _, later = world.hub.join(KEY, world.log.source, world.token())
        assert later.boundary == 2
        world.log.append()
        assert await taken(later) == [3]

    run(scenario)


def test_a_source_that_fails_ends_every_member_with_its_error_after_what_came_before() -> None:
    async def scenario(world: World) -> None:
        members = [world.join() for _ in range(3)]
        await settled()  # the feed reads the log
        world.log.append()
        world.log.end(RuntimeError("the read models lag"))
        await settled()
        for member in members:
            assert [p for p, _ in await member.take()] == [1]
            with pytest.raises(RuntimeError, match="lag"):
                await member.take()
        assert world.hub.feeds == 0

    run(scenario)


def test_a_source_that_ends_ends_its_members_with_nothing_more() -> None:
    async def scenario(world: World) -> None:
        member = world.join()
        await settled()
        world.log.end()
        await settled()
        assert await member.take() == []
        assert world.hub.feeds == 0

    run(scenario)


def test_subscribers_of_different_keys_follow_feeds_of_their_own() -> None:
    async def scenario(world: World) -> None:
        token = world.token()
        world.hub.join(KEY, world.log.source, token)
        world.hub.join((*KEY[:3], "inspector", None), world.log.source, token)
        world.hub.join(KEY, world.log.source, token)
        assert (world.hub.feeds, world.hub.members) == (2, 3)

    run(scenario)


def test_stopping_the_feeds_ends_every_member_with_nothing_more_and_closes_the_sources() -> None:
    async def scenario(world: World) -> None:
        members = [world.join(), world.join()]
        await settled()
        await world.hub.stop()
        assert [await member.take() for member in members] == [[], []]
        assert (world.hub.feeds, world.log.closed) == (0, 1)

    run(scenario)


def test_an_event_read_once_a_token_has_expired_ends_its_member_without_it() -> None:
    async def scenario(world: World) -> None:
        expiring = world.token(timedelta(minutes=1))
        member, other = world.join(expiring), world.join()
        await settled()
        world.now += timedelta(minutes=2)  # before the sweep looks again
        world.log.append()
        await settled()
        assert member.cut
        with pytest.raises(Unauthenticated, match=EXPIRED):
            await member.take()
        assert await taken(other) == [1]

    run(scenario)
