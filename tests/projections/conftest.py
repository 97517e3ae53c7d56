"""Close what the projection tests opened, so no connection outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.projections.engine_builders import close_opened


@pytest.fixture(autouse=True)
def _close_databases() -> Iterator[None]:
    yield
    close_opened()
