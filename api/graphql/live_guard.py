"""What every subscription shares: it ends when its token is revoked or expires
(``until_revoked``), a view's snapshots (``snapshots``), and the errors a feed ends with."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import suppress
from datetime import date
from typing import Any, TypeVar

from strawberry.types import Info

from api.graphql.context import Context
from api.runtime.identity import Unauthenticated
from api.runtime.live_feeds import EXPIRED, EXPIRY_CHECK_SECONDS, REVOKED
from domain.errors import LedgerError

Info_ = Info[Context, Any]
T = TypeVar("T")


class FeedEnded(Exception):
    """The feed could not go on (the subscriber fell too far behind, or the read models
    lag); it may resubscribe from its last position."""


FELL_BEHIND = (
    "this subscription fell too far behind; subscribe again with `after` set to the last "
    "position received"
)


class SubscriptionFailed(LedgerError):
    """Something went wrong on the server; the client may subscribe again."""


LOG = logging.getLogger("ledger.subscriptions")


async def snapshots(
    info: Info_,
    compute: Callable[[], Awaitable[T]],
    same: Callable[[T, T], bool],
    *,
    daily: bool = False,
) -> AsyncGenerator[T, None]:
    """``compute()`` now, then again after each move of the projections, sending only
    answers that differ, at most one per coalescing interval. ``daily`` (a view as of
    today): also at each midnight in Beijing, by the ledger's clock, for the date alone
    changes the answer (lights turn red, a month begins) where nothing was written."""
    services = info.context.services
    projector, pause = services.projector, services.limits.coalesce_seconds
    seen = projector.position
    last = await compute()
    yield last
    while True:
        changed = asyncio.ensure_future(projector.next_change(seen))
        waits: set[asyncio.Future[Any]] = {changed}
        if daily:  # the ledger's clock tells the views of a new day
            waits.add(asyncio.ensure_future(services.live_views.new_day_after(services.today())))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
        if changed.done() and not changed.cancelled():
            seen = changed.result()
            await asyncio.sleep(pause)  # let a burst of events settle into one update
        seen = max(seen, projector.position)
        info.context.fresh_loaders()  # units renamed meanwhile are read anew
        current = await compute()
        if not same(current, last):
            last = current
            yield current


def view_feed(
    info: Info_, compute: Callable[[], Awaitable[T]], as_of: date | None
) -> AsyncGenerator[T, None]:
    """A view's subscription: its snapshots (as of ``as_of``, else of each day) until the
    caller's token is revoked or expires."""
    return until_revoked(info, snapshots(info, compute, equal, daily=as_of is None))


def equal(a: Any, b: Any) -> bool:
    return bool(a == b)


def until_revoked(info: Info_, source: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
    """``source``'s items until the caller's token is revoked or expires: then the
    subscription ends with an error saying so."""
    return guarded(info.context, source)


async def guarded(context: Context, source: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
    """``source``'s items until ``context``'s token is revoked or expires (then
    ``Unauthenticated``); anything unexpected from ``source`` is logged and ends it with
    ``SubscriptionFailed``."""
    principal = context.principal
    assert principal is not None
    revoked = context.services.tokens.revoked(principal.token_id)
    clock = context.services.ledger.clock
    ended = asyncio.ensure_future(revoked.wait())
    following: asyncio.Future[T] | None = None
    try:
        while True:
            if following is None:
                following = asyncio.ensure_future(anext(source))
            left = (principal.expires_at - clock()).total_seconds()
            if left <= 0:
                raise Unauthenticated(EXPIRED)
            waiting: set[asyncio.Future[Any]] = {following, ended}
            done, _ = await asyncio.wait(
                waiting,
                timeout=min(left, EXPIRY_CHECK_SECONDS),
                return_when=asyncio.FIRST_COMPLETED,
            )
            if ended in done:
                raise Unauthenticated(REVOKED)
            if following not in done:
                continue  # the expiry is checked against the clock again
            try:
                item = following.result()
            except StopAsyncIteration:
                return
            except (LedgerError, FeedEnded):
                raise
            except Exception as error:  # internals stay in the log, not with the client
                LOG.exception("a subscription failed")
                raise SubscriptionFailed(
                    "this subscription failed on the server; subscribe again (for "
                    "ledgerEvents with `after` set to the last position received)"
                ) from error
            following = None
            yield item
    finally:
        ended.cancel()
        if following is not None and not following.done():
            following.cancel()  # stop the pending read before closing what it reads
            with suppress(asyncio.CancelledError, StopAsyncIteration):
                await following
        await source.aclose()
