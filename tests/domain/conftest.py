"""Fixtures of the pure-domain tests; the builders themselves are in ``builders.py``."""

from __future__ import annotations

import pytest

from domain.timeliness import TimeRules
from tests.domain.builders import Clock, rules


@pytest.fixture
def clock() -> Clock:
    """Metadata one hour apart from Friday 2021-09-17 09:00 UTC on."""
    return Clock()


@pytest.fixture
def time_rules() -> TimeRules:
    """The default policy on the official Chinese working-day calendar."""
    return rules()
