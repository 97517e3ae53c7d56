"""Fixtures of the integration tests: a ledger on a log in memory, for the tests of its
rules; and, for the trust tests (``ledger verify``, the signatures), the ``ledger``
command and the 2021 plan seeded once a worker.

The rules (refusals, lifecycles, what a repeated idempotency key answers) do not depend on
the database; the tests of what does (round trips, guards, concurrency, set-up) run on
SQLite and PostgreSQL with the suite's ``ledger`` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.ledger import Ledger
from tests.integration.builders import in_memory
from tests.integration.ledger_runs import Command, make_template, run_ledger


@pytest.fixture
def memory_ledger() -> Ledger:
    """A Ledger on the library's in-memory log, with the suite's policy, clock and key."""
    return in_memory()


@pytest.fixture
def ledger_command(request: pytest.FixtureRequest) -> Command:
    """How the test runs ``ledger``: in this process, unless it asks for a child process
    (``ledger_runs.both_ways``)."""
    chosen: Command = getattr(request, "param", run_ledger)
    return chosen


@pytest.fixture(scope="session")
def seeded_2021(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite ledger seeded with the 2021 plan, made once a worker; each test copies it."""
    return make_template(tmp_path_factory.mktemp("seeded-2021"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The trust tests that also run the ``ledger`` command as a child process
    (``ledger_runs.both_ways``) do so on SQLite only: the process is their point, not the
    database, which their in-process runs check on both."""
    dropped = [
        item
        for item in items
        if "integration" in item.path.parts
        and (callspec := getattr(item, "callspec", None)) is not None
        and "postgres-as-a-process" in callspec.id
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
