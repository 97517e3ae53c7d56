"""Builders for the engine tests: a ledger with activity, a runner, a dump of the tables."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Engine, select

from api.bootstrap import open_ledger
from api.cli.generate import END, START, simulate
from api.cli.simulation import Simulation
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import UnitKind, unit_id_for
from projections.catalog import runner_for
from projections.database import read_model_engine
from projections.engine import Runner
from projections.tables import metadata, projection_status
from tests.conftest import settings_for

OPENED: list[Ledger | Engine] = []  # closed after each test by tests/projections/conftest.py

UNIT_NAMES = ("区管委会办公室", "区住建局", "长兴岛街道", "区税务局", "区投资促进局")


def ledger_at(url: str) -> Ledger:
    ledger = open_ledger(settings_for(url))
    OPENED.append(ledger)
    return ledger


def runner_at(url: str, ledger: Ledger, batch_size: int = 5000) -> Runner:
    engine = read_model_engine(settings_for(url).database)
    OPENED.append(engine)
    runner = runner_for(ledger, engine)
    runner.batch_size = batch_size
    runner.set_up()
    return runner


def register_units(ledger: Ledger) -> list[Any]:
    office = Actor("office-1", Role.OFFICE)
    for name in UNIT_NAMES:
        if not ledger.exists(unit_id_for(name)):
            ledger.register_unit(
                CommandContext(office, occurred_at=START, imported=True),
                name=name,
                kind=UnitKind.DEPARTMENT,
            )
    return [unit_id_for(name) for name in UNIT_NAMES]


def activity(ledger: Ledger, seed: int, events: int, units: list[Any]) -> Simulation:
    return Simulation(
        ledger.rules,
        random.Random(seed),
        units,
        now=ledger.clock,
        start=START,
        end=END,
        events=events,
        personal=ledger._sealed,
    )


def generate_into(ledger: Ledger, seed: int, events: int) -> None:
    """Realistic activity across every kind of item, saved in batches."""
    sim = activity(ledger, seed, events, register_units(ledger))
    for batch in simulate(sim, events):
        ledger.save(*batch)


def close_opened() -> None:
    while OPENED:
        opened = OPENED.pop()
        if isinstance(opened, Engine):
            opened.dispose()
        else:
            opened.close()


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model row, sorted; the status keeps only name, version and position."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table is projection_status:
                columns = [table.c.name, table.c.version, table.c.position, table.c.failed_position]
                rows = conn.execute(select(*columns)).all()
            else:
                rows = conn.execute(select(table)).all()
            tables[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return tables
