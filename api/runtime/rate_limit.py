"""Per-token rate limits on mutations: a token bucket per token, in memory."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """At most ``rate`` mutations a second per token on average, ``burst`` at once."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[UUID, Bucket] = {}

    def take(self, token_id: UUID) -> float:
        """Spend one from the token's bucket: 0 if allowed, else the seconds to wait."""
        now = self.clock()
        bucket = self._buckets.get(token_id)
        if bucket is None:
            bucket = self._buckets[token_id] = Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate
