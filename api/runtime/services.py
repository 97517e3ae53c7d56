"""What every request shares: the ledger, the read models, the projections thread, the
live feed of the log, and the service's limits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from api.keys.personal_data_cipher import AesSealer
from api.runtime.event_answers import EventAnswers
from api.runtime.identity import TokenBook
from api.runtime.live_feeds import LiveFeeds
from api.runtime.live_views import LiveViews
from api.runtime.log_tail import LogTail
from api.runtime.metrics import Metrics
from api.runtime.projector import Projector
from api.runtime.rate_limit import RateLimiter
from api.runtime.seal_watch import SealWatch
from api.runtime.timed_clock import TimedActs
from api.runtime.view_cache import ViewCache
from api.settings import Limits, Settings
from domain.clock import china_today
from domain.ledger import Ledger

T = TypeVar("T")


@dataclass(frozen=True)
class ServeOptions:
    """How ``ledger serve`` runs: projections in-process, the GraphiQL page, how often its
    threads look for what is new."""

    projections: bool = True
    graphiql: bool = False
    poll_seconds: float = 0.5
    introspection: bool = True
    verify_seconds: float = 2.0
    """How often the background verifier walks on behind the seal (``ledgerSeal``)."""
    rewalk_seconds: float = 3600.0
    """How often it starts again from the first row."""
    timed_acts: bool = True
    """Run the ledger's clock here (``api.runtime.timed_clock``): system 催办 of what is
    overdue, 超时默许 of what was not decided in time."""
    timed_act_seconds: float = 30.0
    """How often the clock looks for what is due."""


@dataclass
class Services:
    settings: Settings
    ledger: Ledger
    engine: Engine
    projector: Projector
    tail: LogTail
    seal_watch: SealWatch
    limits: Limits
    tokens: TokenBook
    sealer: AesSealer
    mutation_limit: RateLimiter
    timed_acts: TimedActs
    live_views: LiveViews
    live_feeds: LiveFeeds
    views: ViewCache
    event_answers: EventAnswers
    metrics: Metrics

    def today(self) -> date:
        return china_today(self.ledger.clock)

    @property
    def backdated_after_hours(self) -> int:
        return self.ledger.policy.backdated_after_hours

    async def read(self, query: Callable[..., T], *args: Any) -> T:
        """Run ``query(conn, *args)`` on the read models, off the event loop."""
        return await asyncio.to_thread(self._read, query, *args)

    def _read(self, query: Callable[..., T], *args: Any) -> T:
        with self.engine.connect() as conn:
            return query(conn, *args)

    async def figures(
        self,
        query: Callable[..., T],
        *args: Hashable,
        until: Callable[[T], datetime | None] = lambda _answer: None,
    ) -> T:
        """``query(conn, *args)``'s answer (a view's figures) as kept for the read models'
        position (``api.runtime.view_cache``): worked out once per change, however many ask."""
        return await self.views.answer((query, *args), lambda: self.read(query, *args), until)

    async def call(self, blocking: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking call (a ledger command, a read of the log) off the event loop."""
        return await asyncio.to_thread(blocking, *args, **kwargs)


__all__ = ["ServeOptions", "Services"]
