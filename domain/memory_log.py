"""The log kept in memory: the library's in-memory (POPO) recorder, knowing each event's
position, for a ledger that needs no database (the tests of the ledger's rules).

Such a log does not sign, guard or outlive its process: it is never a deployment's.
``MEMORY_ENV`` picks it through the library's ``PERSISTENCE_MODULE`` setting, as
``domain.storage.Database.eventsourcing_env`` picks SQLite or PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

MEMORY_ENV = {"PERSISTENCE_MODULE": "domain.memory_log:MemoryFactory"}
"""The settings of a Ledger on a log in memory (``Ledger(dict(MEMORY_ENV), policy=...)``)."""


class MemoryRecorder(POPOApplicationRecorder):
    """The in-memory recorder, keeping the position of each item's every version."""

    def __init__(self) -> None:
        super().__init__()
        self._positions: dict[str, dict[int, int]] = {}
        self._positions_lock = threading.Lock()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self._positions_lock:  # a position is known as soon as its event can be read
            positions = super().insert_events(stored_events, **kwargs)
            for position, stored in zip(positions or (), stored_events, strict=True):
                versions = self._positions.setdefault(str(stored.originator_id), {})
                versions[stored.originator_version] = position
        return positions

    def positions(self, item_id: UUID) -> dict[int, int]:
        """The log position of each version of ``item_id``."""
        with self._positions_lock:
            return dict(self._positions.get(str(item_id), {}))


class MemoryFactory(POPOFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return MemoryRecorder()
