"""The shared state of one ``ledger generate`` run, which every lifecycle steps through."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime
from uuid import UUID

from domain.clock import Clock
from domain.meta import Actor, EventMeta, LedgerItem, Role
from domain.teams import Team
from domain.timeliness import TimeRules

Lifecycle = Iterator[LedgerItem]


class Simulation:
    """Shared state of one generation run: the rng, the business clock, touched items."""

    def __init__(
        self,
        rules: TimeRules,
        rng: random.Random,
        units: list[UUID],
        *,
        now: Clock,
        start: datetime,
        end: datetime,
        events: int,
        personal: Callable[[str, str], str],
    ) -> None:
        self.rules, self.now, self.rng, self.units = rules, now, rng, units
        self.personal = personal
        """Personal data (field, text) as the ledger records it: sealed."""
        self.clock, self.end, self.step = start, end, (end - start) / events
        self.last_position = 0
        self.recent_items: list[UUID] = []
        self.assessed: set[UUID] = set()
        self._touched: dict[UUID, LedgerItem] = {}
        self._pending = 0

    def new_id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def team(self, case_id: UUID) -> Team:
        """The team a 三支队伍监督 case names: one of the policy's, spread by the case's id
        (nothing drawn from the rng, so a seed's other cases stay what they were)."""
        teams = self.rules.policy.teams
        return teams[case_id.int % len(teams)]

    def unit(self) -> UUID:
        return self.rng.choice(self.units)

    def meta(self, item: LedgerItem | None = None, unit: UUID | None = None) -> EventMeta:
        """Stamp the next step: business time moves on a little each step, never past the end."""
        self.clock = min(self.end, self.clock + self.step * (0.4 + self.rng.random()))
        actor = (
            Actor(f"staff-{unit.hex[:8]}", Role.UNIT, unit)
            if unit
            else Actor("office-duty", Role.OFFICE)
        )
        return EventMeta(
            actor,
            self.clock,
            self.now(),
            f"{self.rng.getrandbits(64):016x}",
            imported=True,
        )

    def touch(self, item: LedgerItem) -> LedgerItem:
        """Note that ``item`` has new events to save; return it."""
        self._touched[item.id] = item
        self._pending += 1
        self.recent_items = [*self.recent_items[-199:], item.id]
        return item

    def pending_events(self) -> int:
        """Events taken since the last batch (every step records exactly one)."""
        return self._pending

    def take_touched(self) -> list[LedgerItem]:
        touched, self._touched, self._pending = list(self._touched.values()), {}, 0
        return touched

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def evidence(self, items: list[UUID]) -> list[int]:
        """Log positions a referral about ``items`` cites: here any three written so far."""
        return self.rng.sample(range(1, self.last_position + 1), 3)
