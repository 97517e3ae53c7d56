"""Every kind of event survives the trip through storage: reloaded items equal the originals."""

from __future__ import annotations

import random

import pytest

from api.cli.generate import END, START, simulate
from api.cli.simulation import Simulation
from domain.ledger import Ledger
from domain.meta import LedgerItem
from tests.integration.builders import unit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_items_reloaded_from_the_database_equal_the_items_that_were_saved(
    ledger: Ledger, seed: int
) -> None:
    units = [unit(ledger, f"单位{n}") for n in range(6)]
    sim = Simulation(
        ledger.rules,
        random.Random(seed),
        units,
        now=ledger.clock,
        start=START,
        end=END,
        events=600,
        personal=ledger._sealed,
    )
    saved: dict[object, LedgerItem] = {}
    for batch in simulate(sim, 600):
        ledger.save(*batch)
        saved.update({item.id: item for item in batch})
    kinds = {type(item).__name__ for item in saved.values()}
    assert kinds >= {"Complaint", "Task", "LegacyIssue", "Interview", "Assessment"}
    for item in saved.values():
        assert ledger.get(type(item), item.id) == item
