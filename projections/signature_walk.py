"""The signatures' part of a walk over the log (``projections.log_walk``): which rows a
good signature vouches for, or the signed checkpoint of the rows from before signing
started; every other row named, and the signature records checked in the order they
were written."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Protocol

from eventsourcing.persistence import ApplicationRecorder

from domain.log_rows import StoredRow
from domain.signature_table import checkpoints, records_in_order, signatures_covering
from domain.signing import (
    GENESIS_LINK,
    NOT_SIGNED,
    TRANSACTION,
    Keyring,
    MalformedRecord,
    Signature,
    Vouchers,
    link_of,
)
from projections.seal import GENESIS, link


class Findings(Protocol):
    """Where a walk notes the problems it finds."""

    def found(self, position: int, problem: str) -> None: ...


class SignatureWalk:
    """Which rows a good signature vouches for (or the signed checkpoint of the rows
    before signing started); the others, each named."""

    def __init__(self, recorder: ApplicationRecorder, keyring: Keyring) -> None:
        self._recorder, self._keyring = recorder, keyring
        self._vouchers = Vouchers(keyring)
        recorded = checkpoints(recorder)
        self._checkpoints = [c for c in recorded if keyring.problem(c) is None]
        self._forged = [c for c in recorded if keyring.problem(c) is not None]
        self._checkpoint_end = max((c.last for c in self._checkpoints), default=None)
        self._chain = GENESIS
        self._held: dict[int, bool] = {}
        self._records = RecordChain(recorder, keyring)
        self.pending = array("q")  # unsigned positions a checkpoint not reached may vouch for
        self.vouched = 0

    def take(self, rows: Sequence[StoredRow], span: tuple[int, int], walk: Findings) -> None:
        for record in self._forged:
            walk.found(
                record.last,
                f"a checkpoint the ledger did not sign: {self._keyring.problem(record)}",
            )
        self._forged = []
        self._follow_checkpoints(rows, walk)
        self._judge(rows, span, walk)
        self._records.follow(span[1], walk)

    def finish(self, span: tuple[int, int], walk: Findings) -> None:
        self.take([], span, walk)
        end = self._checkpoint_end
        if end is not None and end not in self._held:  # its position is not in the log
            self._settle(end, held=False, walk=walk)

    def _follow_checkpoints(self, rows: Sequence[StoredRow], walk: Findings) -> None:
        end = self._checkpoint_end
        if end is None:
            return
        for row in rows:
            if row.position > end:
                return
            self._chain = link(self._chain, row)
            if row.position == end:
                self._settle(end, self._holds(end), walk)

    def _holds(self, position: int) -> bool:
        """Whether a checkpoint at ``position`` is a good signature of the chain there."""
        return any(
            record.content == self._chain and self._keyring.problem(record) is None
            for record in self._checkpoints
            if record.last == position
        )

    def _settle(self, position: int, held: bool, walk: Findings) -> None:
        self._held[position] = held
        if not held:
            walk.found(
                position,
                "the signed checkpoint of the rows before signing started does not hold: "
                "they changed since, or it was signed by a key not given",
            )
        waiting = [p for p in self.pending if p <= position]
        self.pending = array("q", (p for p in self.pending if p > position))
        for p in waiting:
            if held:
                self.vouched += 1
            else:
                walk.found(p, NOT_SIGNED)

    def _judge(self, rows: Sequence[StoredRow], span: tuple[int, int], walk: Findings) -> None:
        records = signatures_covering(self._recorder, *span)
        vouched, problems = self._vouchers.check(rows, records, span)
        self.vouched += vouched
        end = self._checkpoint_end
        for found in problems:
            if found.problem != NOT_SIGNED or end is None or found.position > end:
                walk.found(found.position, found.problem)
                continue
            held = self._held.get(end)  # the checkpoint covering it: held, not, or not reached
            if held is None:
                self.pending.append(found.position)
            elif held:
                self.vouched += 1
            else:
                walk.found(found.position, found.problem)


class RecordChain:
    """The signature records in the order they were written: each must hold and name the
    one before it, so a record removed with its rows, or one slipped in, shows."""

    def __init__(self, recorder: ApplicationRecorder, keyring: Keyring) -> None:
        self._recorder, self._keyring = recorder, keyring
        self._number = 0  # the last record read
        self._next: list[Signature | MalformedRecord] = []
        self._link: bytes | None = GENESIS_LINK  # what the next record must name
        self._last = 0  # the last position a record covered

    def follow(self, until: int, walk: Findings) -> None:
        """Check every record ending at or before ``until``."""
        while True:
            if not self._next:
                self._next = records_in_order(self._recorder, self._number)
                if not self._next:
                    return
            record = self._next[0]
            if _end(record) > until:
                return
            self._next.pop(0)
            self._number = record.number or self._number
            self._check(record, walk)

    def _check(self, record: Signature | MalformedRecord, walk: Findings) -> None:
        if isinstance(record, MalformedRecord):
            walk.found(record.position, f"signature record {record.number}: {record.problem}")
            self._link = None
            return
        problem = self._keyring.problem(record)
        if problem is not None:
            walk.found(record.first, f"signature record {record.number}: {problem}")
        elif self._link is not None and record.previous != self._link:
            walk.found(
                record.first,
                f"signature record {record.number} does not follow the one before it: "
                "signed rows were removed with their signature, or records reordered",
            )
        elif record.kind == TRANSACTION and record.first <= self._last:
            walk.found(record.first, f"signature record {record.number} goes back over signed rows")
        self._link = link_of(record)
        self._last = max(self._last, record.last)


def _end(record: Signature | MalformedRecord) -> int:
    return record.position if isinstance(record, MalformedRecord) else record.last
