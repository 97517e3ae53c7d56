"""Checks of the log's stored rows, made before any projection takes them.

A runner reads the stored rows of each batch's positions and hands them to each of
its row checks before it projects anything (``Runner.step``). A check raises a
``RowRefused`` (a subclass naming its reason) at the first row it refuses; then every
projection of the runner takes the rows before that one, and stops at its position,
the reason and the problem recorded in its status (``projection_status``:
``failed_position``, ``stop_reason``, ``error``), which ``ledger projections`` and the
server's readiness read. A stopped projection stays stopped until it is rebuilt.

To add a reason: subclass ``RowRefused`` with its ``reason``, write a function taking
the batch's ``StoredRow`` list and raising it at the first row it refuses, and add it
to the checks ``projections.catalog.row_checks`` gives every runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from domain.log_rows import StoredRow

RowCheck = Callable[[Sequence[StoredRow]], None]
"""Checks a batch's stored rows (in position order); raises ``RowRefused`` at the first
it refuses."""


CHECKED_AGAIN_ON_START: set[str] = set()
"""The stop reasons a runner clears as it starts (``RowRefused.checked_again_on_start``)."""


class RowRefused(Exception):
    """A stored row no projection takes: every projection stops at ``position``."""

    reason: ClassVar[str] = "refused row"
    checked_again_on_start: ClassVar[bool] = False
    """True: the refusal depends on how the process is set up (the keys it was given),
    so a process starting anew checks the row again instead of staying stopped."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__()
        if cls.checked_again_on_start:
            CHECKED_AGAIN_ON_START.add(cls.reason)

    def __init__(self, position: int, problem: str) -> None:
        super().__init__(f"{self.reason} at position {position}: {problem}")
        self.position, self.problem = position, problem


class UndecodableRow(RowRefused):
    """A row whose topic names no event class, or whose state cannot be decoded."""

    reason = "undecodable row"


class DecodableRows:
    """The check that every row decodes as the library decodes it: its topic resolves
    and its state transcodes. Rows it has checked are not checked again by a runner of
    the same process over the same mapper (a rebuild worker runs one after another)."""

    def __init__(self, mapper: Mapper[UUID]) -> None:
        self.mapper = mapper
        self.checked_through = 0

    def __call__(self, rows: Sequence[StoredRow]) -> None:
        for row in rows:
            if row.position <= self.checked_through:
                continue
            problem = self._problem(row)
            if problem is not None:
                raise UndecodableRow(row.position, problem)
        if rows:
            self.checked_through = max(self.checked_through, rows[-1].position)

    def _problem(self, row: StoredRow) -> str | None:
        topic, state = row.topic, row.state
        if not isinstance(topic, str):
            return f"its topic is not text but {type(topic).__name__}"
        try:
            _resolve(topic)
        except Exception as error:
            return f"the topic {topic[:80]!r} names no event class ({type(error).__name__})"
        if isinstance(state, memoryview | bytearray):
            state = bytes(state)
        if not isinstance(state, bytes) or not isinstance(row.version, int):
            return f"the state or version of a {topic[:80]} is not what the ledger stores"
        try:
            self.mapper.to_domain_event(StoredEvent(str(row.item), row.version, topic, state))
        except Exception as error:
            cause = error.__cause__ or error
            first = (str(cause).strip().splitlines() or [""])[0][:200]
            kind = type(cause).__name__
            return f"the state of a {topic[:80]} cannot be decoded: {kind}: {first}"
        return None


_TOPICS: dict[str, object] = {}
_CHECKS: WeakKeyDictionary[Mapper[UUID], DecodableRows] = WeakKeyDictionary()


def _resolve(topic: str) -> object:
    found = _TOPICS.get(topic)
    if found is None:
        found = _TOPICS[topic] = resolve_topic(topic)
    return found


def decodable_rows(mapper: Mapper[UUID]) -> DecodableRows:
    """The decoding check of ``mapper``'s rows, one for each mapper (see ``DecodableRows``)."""
    check = _CHECKS.get(mapper)
    if check is None:
        check = _CHECKS[mapper] = DecodableRows(mapper)
    return check
