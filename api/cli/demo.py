"""``ledger demo``: the 2021 plan, and a stretch of made-up activity up to today, so that a
new ledger has something true to show on every page.

The activity covers the ``days`` days before today by the ledger's clock
(``LEDGER_TEST_NOW`` moves it), in office hours on working days, and is the same for the
same seed and the same day: the same events, the same ids, the same request ids (only the
moment each is recorded differs). It is ``ledger generate``'s lifecycles, each step a real
domain act on a real aggregate, played as ``api.cli.demo_cast`` casts them, one save a step,
so the log reads in the order things happened.

Every event it makes is marked as made up, where anyone reading the audit trail sees it:
its actor is ``demo-generator`` (with the role and unit of whoever acts: the office, or a
unit's staff), its request id ``demo:<seed>:<day>:<n>``, and it is recorded ``imported``.
The plan it seeds first is the real plan, seeded as ``ledger seed`` seeds it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from heapq import heapify, heappop, heappush
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Engine

from api.cli.demo_cast import Part, WorkingTime, cast
from api.cli.plan import builtin_plan
from api.cli.seed import seed_plan
from api.cli.simulation import Lifecycle, Simulation
from domain.access import AccessToken
from domain.calendar import CHINA_TIME
from domain.clock import china_today
from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.ledger_base import CommandContext, Written
from domain.meta import Actor, EventMeta, LedgerItem, Role
from domain.period import Period
from domain.unit import unit_id_for
from projections.catalog import runner_for
from projections.views.unit_scores import scores_to_publish

DEMO_ACTOR = "demo-generator"
"""The actor id of every event the demo makes up."""
DEMO_PLAN = "changxing-2021"
DEFAULT_SEED = 2026
DEFAULT_DAYS = 90
DAYS_RANGE = range(60, 366)
"""How long a stretch the demo may cover: two months to a year."""


class DemoRefused(LedgerError):
    """The demo is recorded only into a ledger that holds no records yet, over 60 to 365
    days."""


@dataclass(frozen=True)
class DemoSummary:
    """What ``record_demo`` wrote: the plan's steps, then the made-up events, per type."""

    seed: int
    first_day: date
    today: date
    seeded: int
    generated: int
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def last_day(self) -> date:
        return self.today - timedelta(days=1)

    @property
    def request_prefix(self) -> str:
        return request_prefix(self.seed, self.today)


def request_prefix(seed: int, today: date) -> str:
    """The start of the request id of every event the demo made with ``seed`` on ``today``."""
    return f"demo:{seed}:{today.isoformat()}:"


def record_demo(
    ledger: Ledger, *, seed: int = DEFAULT_SEED, days: int = DEFAULT_DAYS
) -> DemoSummary:
    """Seed the 2021 plan and record ``days`` days of activity up to today (not
    included) into ``ledger``, which must hold nothing but access tokens."""
    if days not in DAYS_RANGE:
        raise DemoRefused(f"demo: --days must be from {DAYS_RANGE[0]} to {DAYS_RANGE[-1]}")
    if holds_records(ledger):
        raise DemoRefused(
            "demo: the ledger already holds records; the demo is recorded only into an "
            "empty ledger (one holding nothing but access tokens)"
        )
    today = china_today(ledger.clock)
    plan = builtin_plan(DEMO_PLAN)
    seeded = seed_plan(ledger, plan).written
    axis = WorkingTime(ledger.current_rules().calendar, today - timedelta(days=days), today)
    sim = DemoSimulation(
        ledger,
        random.Random(f"{seed}:{today.isoformat()}"),
        [unit_id_for(name) for name, _ in plan.units],
        today=today,
        request_prefix=request_prefix(seed, today),
    )
    by_type = _play(sim, cast(sim, axis), axis, lambda items: _save(ledger, sim, items))
    return DemoSummary(seed, axis.start, today, seeded, sum(by_type.values()), dict(by_type))


def publish_last_quarter(ledger: Ledger, engine: Engine, summary: DemoSummary) -> Written:
    """Publish the scores of the last quarter ended before the demo's today (结果公开发布),
    as the demo's office, from the read models brought up to the end of the log: the big
    screen's league then shows a publication."""
    runner = runner_for(ledger, engine)
    runner.set_up()
    runner.catch_up()
    ledger.score_with(partial(scores_to_publish, engine))
    today = summary.last_day + timedelta(days=1)
    ended = Period(today.year, (today.month - 1) // 3) if today.month > 3 else None
    quarter = ended or Period(today.year - 1, 4)
    ctx = CommandContext(
        Actor(DEMO_ACTOR, Role.OFFICE), request_id=f"{summary.request_prefix}scores", imported=True
    )
    return ledger.publish_quarter_scores(ctx, quarter=str(quarter))


def holds_records(ledger: Ledger) -> bool:
    """Whether the log holds anything but access tokens (issued, revoked)."""
    tokens = {get_topic(AccessToken.Issued), get_topic(AccessToken.Revoked)}
    start = 1
    while page := ledger.recorder.select_notifications(start=start, limit=100):
        if any(n.topic not in tokens for n in page):
            return True
        start = page[-1].id + 1
    return False


class DemoSimulation(Simulation):
    """``ledger generate``'s simulation, stamping each step at the moment the demo's
    schedule sets (``clock``), marked as the demo's."""

    def __init__(
        self,
        ledger: Ledger,
        rng: random.Random,
        units: list[UUID],
        *,
        today: date,
        request_prefix: str,
    ) -> None:
        midnight = datetime.combine(today, time(0), CHINA_TIME)  # the clock is set, not stepped
        super().__init__(
            ledger.current_rules(),
            rng,
            units,
            now=ledger.clock,
            start=midnight,
            end=midnight,
            events=1,
            personal=ledger._sealed,  # sealed exactly as receive_complaint seals
        )
        self.positions_of = ledger.positions_of
        self.max_backdate_days = ledger.policy.max_backdate_days
        self.request_prefix = request_prefix
        self.acts = 0

    def meta(self, item: LedgerItem | None = None, unit: UUID | None = None) -> EventMeta:
        self.acts += 1
        actor = Actor(DEMO_ACTOR, Role.UNIT, unit) if unit else Actor(DEMO_ACTOR, Role.OFFICE)
        request = f"{self.request_prefix}{self.acts:04d}"
        meta = EventMeta(actor, self.clock, self.now(), request, imported=True)
        meta.check_business_time(self.max_backdate_days)  # never in the future
        return meta

    def evidence(self, items: list[UUID]) -> list[int]:
        """The positions of every event of ``items`` (all saved by now)."""
        return sorted(p for item in items for p in self.positions_of(item).values())


def _play(
    sim: Simulation,
    parts: list[Part],
    axis: WorkingTime,
    save: Callable[[list[LedgerItem]], None],
) -> Counter[str]:
    """Take every part's steps in the order of their moments, each saved as it is taken;
    a part stops after its steps, at its end, or when the window ends."""
    queue = [(part.begins, n) for n, part in enumerate(parts) if part.begins < axis.length]
    heapify(queue)
    playing: dict[int, Lifecycle] = {}
    taken, by_type = Counter[int](), Counter[str]()
    while queue:
        x, n = heappop(queue)
        part = parts[n]
        if n not in playing:
            playing[n] = part.play()
        sim.clock = axis.moment(x)
        item = next(playing[n], None)
        if item is None:
            continue
        by_type[item.item_type] += len(item.pending_events)
        save(sim.take_touched())
        taken[n] += 1
        following = x + sim.rng.uniform(*part.pace)
        if (part.steps is None or taken[n] < part.steps) and following < axis.length:
            heappush(queue, (following, n))
    return by_type


def _save(ledger: Ledger, sim: Simulation, items: list[LedgerItem]) -> None:
    recordings = ledger.save(*items)
    sim.last_position = max(r.notification.id for r in recordings)
