"""``ledger generate``: realistic synthetic activity, deterministic by seed.

Many lifecycles run interleaved (complaints through all five channels with
returns and reopenings, tasks, legacy issues, interviews, referrals and
assessments), each step a real domain command on a real aggregate. Business
time runs from May 2021 to the end of 2025 whatever the size, so the same seed
and size give the same ledger. Steps are saved in batches (one transaction
per batch), which is what makes a million events a matter of minutes.

Complainants' names and phones are made up, but recorded as the ledger records real ones:
sealed with the ledger's personal-data key, never in clear (the steps build aggregates
directly, past the ledger's commands, so they are handed the ledger's own sealing).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tqdm import tqdm

from api.cli.scenarios import SCENARIOS
from api.cli.simulation import Lifecycle, Simulation
from domain.calendar import CHINA_TIME
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.meta import Actor, LedgerItem, Role
from domain.unit import UnitKind, unit_id_for

START = datetime(2021, 5, 6, 9, 0, tzinfo=CHINA_TIME)
END = datetime(2025, 12, 31, 17, 0, tzinfo=CHINA_TIME)
BATCH_EVENTS = 2000
CONCURRENT_LIFECYCLES = 48

UNITS = (
    ("区管委会办公室", UnitKind.DEPARTMENT),
    ("区投资促进局", UnitKind.DEPARTMENT),
    ("区经济发展局", UnitKind.DEPARTMENT),
    ("区住建局", UnitKind.DEPARTMENT),
    ("区财政金融局", UnitKind.DEPARTMENT),
    ("区党群工作部", UnitKind.DEPARTMENT),
    ("区政法办公室", UnitKind.DEPARTMENT),
    ("区纪检监察室", UnitKind.DEPARTMENT),
    ("长兴岛街道", UnitKind.SUBDISTRICT),
    ("交流岛街道", UnitKind.SUBDISTRICT),
    ("区市场监督管理局", UnitKind.DEPARTMENT),
    ("区自然资源分局", UnitKind.STATIONED),
    ("区税务局", UnitKind.STATIONED),
    ("区公安分局", UnitKind.STATIONED),
    ("区人力资源和社会保障局", UnitKind.DEPARTMENT),
    ("区城市建设发展有限公司", UnitKind.ENTERPRISE),
)


@dataclass(frozen=True)
class GenerationResult:
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def generate(ledger: Ledger, *, events: int, seed: int, progress: bool = True) -> GenerationResult:
    """Write about ``events`` events of synthetic activity (never fewer)."""
    started = time.perf_counter()
    units = _ensure_units(ledger, seed)
    sim = Simulation(
        ledger.rules,
        random.Random(seed),
        units,
        now=ledger.clock,
        start=START,
        end=END,
        events=events,
        personal=ledger._sealed,  # sealed exactly as the ledger's own receive_complaint seals
    )
    sim.last_position = ledger.recorder.max_notification_id() or 0
    written = 0
    with tqdm(total=events, unit="ev", disable=not progress, file=sys.stderr) as bar:
        for batch in simulate(sim, events):
            recordings = ledger.save(*batch)
            sim.last_position = max(r.notification.id for r in recordings)
            written += len(recordings)
            bar.update(len(recordings))
    return GenerationResult(written, time.perf_counter() - started)


def simulate(sim: Simulation, events: int) -> Iterator[list[LedgerItem]]:
    """Run interleaved lifecycles until ``events`` steps; yield the touched items per batch."""
    running: list[Lifecycle] = []
    steps = 0
    while steps < events:
        while len(running) < CONCURRENT_LIFECYCLES:
            running.append(sim.rng.choices(SCENARIOS, weights=[s[1] for s in SCENARIOS])[0][0](sim))
        lifecycle = running[sim.rng.randrange(len(running))]
        if next(lifecycle, StopIteration) is StopIteration:
            running.remove(lifecycle)
            continue
        steps += 1
        if sim.pending_events() >= BATCH_EVENTS or steps >= events:
            yield sim.take_touched()


def _ensure_units(ledger: Ledger, seed: int) -> list[UUID]:
    office = Actor("ledger-generate", Role.OFFICE)
    for name, kind in UNITS:
        if not ledger.exists(unit_id_for(name)):
            ledger.register_unit(
                CommandContext(
                    office,
                    occurred_at=START,
                    imported=True,
                    request_id=f"generate:{seed}:units",
                    idempotency_key=f"generate:unit:{name}",
                ),
                name=name,
                kind=kind,
            )
    return [unit_id_for(name) for name, _ in UNITS]
