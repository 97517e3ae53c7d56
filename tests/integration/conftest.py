"""Fixtures of the integration tests: a ledger on a log in memory, for the tests of its rules.

The rules (refusals, lifecycles, what a repeated idempotency key answers) do not depend on
the database; the tests of what does (round trips, guards, concurrency, set-up) run on
SQLite and PostgreSQL with the suite's ``ledger`` fixture.
"""

from __future__ import annotations

import pytest

from domain.ledger import Ledger
from tests.integration.builders import in_memory


@pytest.fixture
def memory_ledger() -> Ledger:
    """A Ledger on the library's in-memory log, with the suite's policy, clock and key."""
    return in_memory()
