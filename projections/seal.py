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
from collections.abc import Sequence
from dataclasses import dataclass

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, insert, select

from domain.errors import ValidationError
from projections import tables as t
from projections.engine import Change, Projection

GENESIS = bytes(32)
SEAL_PREFIX = "ledger-seal:v2"
SEAL_FORM = re.compile(r"ledger-seal:v2:([1-9][0-9]{0,17}):([0-9a-f]{64})")


def link(previous: bytes, row: Notification) -> bytes:
    """The chain value at a stored row's position, from the one before it: SHA-256 of
    the previous value, the row's position, item, version and topic, and its bytes."""
    state = row.state if isinstance(row.state, bytes) else str(row.state).encode()
    topic = row.topic.encode()
    head = f"{row.id}|{row.originator_id}|{row.originator_version}|{len(topic)}:".encode()
    # lengths, not separators, delimit the topic and the state: no byte can move across
    return hashlib.sha256(previous + head + topic + f"|{len(state)}:".encode() + state).digest()


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


class SealProjection(Projection):
    """The chain value of every position of the log."""

    name, version = "seal", 2
    tables = (t.seal_chain,)
    reads_every_row = True

    def prepare(self, changes: Sequence[Change], span: tuple[int, int]) -> list[Notification]:
        raise NotImplementedError  # it reads the rows themselves: prepare_rows

    def prepare_rows(
        self, rows: Sequence[Notification], span: tuple[int, int]
    ) -> list[Notification]:
        return list(rows)

    def write(self, conn: Connection, prepared: list[Notification]) -> None:
        """Chain the rows on from the last sealed one, read in this transaction, so a
        batch always continues the chain that is there."""
        last = latest_seal(conn)
        chain = GENESIS if last is None else last.chain
        sealed = []
        for row in prepared:
            chain = link(chain, row)
            sealed.append({"position": row.id, "chain": chain})
        if sealed:
            conn.execute(insert(t.seal_chain), sealed)
