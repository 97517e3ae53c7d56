"""The seal: a running hash over the log, in order, so that a changed, removed or
slipped-in row shows.

Each position's chain value is SHA-256 of the previous one and the stored row
(position, item, version, topic and the stored bytes exactly as written), so a
checkpoint covers every event before it. The projection keeps the chain value of
every position; ``ledger verify`` recomputes it from the stored events and names
the first position where they part. A seal (``ledger-seal:v2:<position>:<hash>``)
printed into an official record lets ``ledger verify --against`` catch even a
rewrite of the whole chain by someone who can write to the database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from domain.errors import ValidationError
from projections import tables as t
from projections.bulk import insert_rows
from projections.engine import Change, Projection
from projections.stored_rows import StoredRow

GENESIS = bytes(32)
SEAL_PREFIX = "ledger-seal:v2"
SEAL_FORM = re.compile(r"ledger-seal:v2:([1-9][0-9]{0,17}):([0-9a-f]{64})")

# The stored rows after a position up to another (inclusive), at most so many.
RowReader = Callable[[int, int, int], Sequence[StoredRow]]


def link(previous: bytes, row: StoredRow) -> bytes:
    """The chain value at a stored row's position, from the one before it: SHA-256 of
    the previous value, the row's position, item, version and topic, and its bytes."""
    topic = row.topic.encode()
    head = f"{row.position}|{row.item}|{row.version}|{len(topic)}:".encode()
    # lengths, not separators, delimit the topic and the state: no byte can move across
    return hashlib.sha256(
        b"".join((previous, head, topic, f"|{len(row.state)}:".encode(), row.state))
    ).digest()


@dataclass(frozen=True)
class Seal:
    """A checkpoint: every event up to ``position`` hashes to ``chain``."""

    position: int
    chain: bytes

    def __str__(self) -> str:
        return f"{SEAL_PREFIX}:{self.position}:{self.chain.hex()}"

    @classmethod
    def parse(cls, text: str) -> Seal:
        found = SEAL_FORM.fullmatch(text.strip())
        if found is None:
            raise ValidationError(
                "seal", f"must look like {SEAL_PREFIX}:<position>:<64 hex digits>"
            )
        return cls(int(found.group(1)), bytes.fromhex(found.group(2)))


def latest_seal(conn: Connection) -> Seal | None:
    """The newest checkpoint the projection has written."""
    s = t.seal_chain
    row = conn.execute(
        select(s.c.position, s.c.chain).order_by(s.c.position.desc()).limit(1)
    ).first()
    return None if row is None else Seal(int(row.position), bytes(row.chain))


@dataclass(frozen=True)
class _Chained:
    """A batch's rows (the log's positions up to ``last``), chained on from ``after``
    (None: not chained, the chain's end was not known when it was prepared)."""

    last: int
    rows: Sequence[StoredRow]
    after: Seal | None
    chains: Sequence[bytes]


class SealProjection(Projection):
    """The chain value of every position of the log.

    It takes no events: it reads the stored rows of its batch's positions itself,
    as they are, with ``read_rows``. It chains them on from the last position it
    sealed before its turn to write, and checks in the transaction that the chain
    there still ends where it began (else it chains them again, from what is there).
    """

    name, version = "seal", 2
    tables = (t.seal_chain,)

    def __init__(self, read_rows: RowReader) -> None:
        self._read_rows = read_rows
        self._last: Seal | None = None  # the last checkpoint this projection wrote

    def forget(self) -> None:
        self._last = None

    def prepare(self, changes: Sequence[Change], span: tuple[int, int]) -> _Chained:
        first, last = span
        rows = self._read_rows(first - 1, last, last - first + 1)
        after = self._last if self._last is not None and self._last.position == first - 1 else None
        if after is None and first == 1:
            after = Seal(0, GENESIS)
        return _Chained(last, rows, after, _chain(after.chain, rows) if after is not None else [])

    def write(self, conn: Connection, prepared: _Chained) -> None:
        """Write the batch's chain values on from the last sealed one, read in this
        transaction, so a batch always continues the chain that is there."""
        there = latest_seal(conn) or Seal(0, GENESIS)
        chains = prepared.chains if prepared.after == there else _chain(there.chain, prepared.rows)
        insert_rows(
            conn,
            t.seal_chain,
            [
                {"position": row.position, "chain": chain}
                for row, chain in zip(prepared.rows, chains, strict=True)
            ],
        )
        self._last = Seal(prepared.last, chains[-1] if chains else there.chain)


def _chain(previous: bytes, rows: Sequence[StoredRow]) -> list[bytes]:
    chains = []
    for row in rows:
        previous = link(previous, row)
        chains.append(previous)
    return chains
