"""The seal: a running hash over the log, in order, so that a changed, removed or
slipped-in row shows.

Each position's chain value is SHA-256 of the previous one and the stored row, every
column as the database holds it (``domain.log_rows.row_bytes``), so a checkpoint
covers every event before it. The projection keeps the chain value of every position;
``ledger verify`` recomputes it from the stored rows and names the first position
where they part. A seal (``ledger-seal:v3:<position>:<hash>``) printed into an
official record lets ``ledger verify --against`` catch even a rewrite of the whole
chain by someone who can write to the database.

Format 2 (``ledger-seal:v2``) hashed the item id dashed and lower-cased, so a re-cased
id on SQLite went unseen. Seals of format 2 printed earlier still verify: the chain
of that format is recomputed from the log beside the current one, taking only ids
written as the ledger writes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Connection, Engine, func, select

from domain.errors import ValidationError
from domain.log_rows import StoredRow, row_bytes, utf8_bytes
from projections import tables as t
from projections.bulk import insert_rows
from projections.projection import Change, Projection
from projections.row_checks import RowRefused

GENESIS = bytes(32)
FORMAT = 3
"""The chain's format: the ``v3`` of every seal printed now."""
SEAL_PREFIX = f"ledger-seal:v{FORMAT}"
SEAL_FORM = re.compile(r"ledger-seal:v([23]):([1-9][0-9]{0,17}):([0-9a-f]{64})")
SQLITE_ID = re.compile(r"[0-9a-f]{32}")

# The stored rows after a position up to another (inclusive), at most so many.
RowReader = Callable[[int, int, int], Sequence[StoredRow]]


def link(previous: bytes, row: StoredRow) -> bytes:
    """The chain value at a stored row's position, from the one before it: SHA-256 of
    the previous value and the row's stored columns."""
    return hashlib.sha256(previous + row_bytes(row)).digest()


def link_v2(previous: bytes, row: StoredRow) -> bytes:
    """The chain value of format 2, which seals printed before format 3 were made with:
    the row's position, item (dashed, lower case), version and topic, and its bytes."""
    topic = utf8_bytes(str(row.topic))
    state = row.state if isinstance(row.state, bytes) else utf8_bytes(str(row.state))
    head = f"{row.position}|{_dashed(row.item)}|{row.version}|{len(topic)}:".encode()
    # lengths, not separators, delimit the topic and the state: no byte can move across
    return hashlib.sha256(
        b"".join((previous, head, topic, f"|{len(state)}:".encode(), state))
    ).digest()


def written_by_the_ledger(row: StoredRow) -> bool:
    """Whether the row's item id is in the one form the ledger writes (on SQLite, 32
    lower-case hex digits; on PostgreSQL a uuid, which has one form): format 2 could
    not tell a re-cased or dashed id from the real one."""
    return isinstance(row.item, UUID) or (
        isinstance(row.item, str) and SQLITE_ID.fullmatch(row.item) is not None
    )


def _dashed(item: object) -> str:
    text = str(item)
    if len(text) != 32:
        return text
    h = text.lower()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


LINKS: dict[int, Callable[[bytes, StoredRow], bytes]] = {2: link_v2, 3: link}
"""The link of each chain format a seal may have been printed in."""


@dataclass(frozen=True)
class Seal:
    """A checkpoint: every event up to ``position`` hashes to ``chain``."""

    position: int
    chain: bytes
    form: int = FORMAT
    """The chain format it was printed in (2 or 3)."""

    def __str__(self) -> str:
        return f"ledger-seal:v{self.form}:{self.position}:{self.chain.hex()}"

    @classmethod
    def parse(cls, text: str) -> Seal:
        found = SEAL_FORM.fullmatch(text.strip())
        if found is None:
            raise ValidationError(
                "seal", f"must look like {SEAL_PREFIX}:<position>:<64 hex digits>"
            )
        return cls(int(found.group(2)), bytes.fromhex(found.group(3)), int(found.group(1)))


def latest_seal(conn: Connection) -> Seal | None:
    """The newest checkpoint the projection has written."""
    s = t.seal_chain
    row = conn.execute(
        select(s.c.position, s.c.chain).order_by(s.c.position.desc()).limit(1)
    ).first()
    return None if row is None else Seal(int(row.position), bytes(row.chain))


def chain_values(conn: Connection, positions: Sequence[int]) -> dict[int, bytes]:
    """The chain's values kept at ``positions``, by position (one round trip); a position
    not sealed yet (or not in the log) is left out."""
    s = t.seal_chain
    found = conn.execute(select(s.c.position, s.c.chain).where(s.c.position.in_(positions)))
    return {int(position): bytes(value) for position, value in found}


def latest_seal_as_kept(conn: Connection) -> Seal | None:
    """The newest checkpoint, in the format of the chain kept (an earlier format's chain
    is kept as it is when it did not verify)."""
    found = latest_seal(conn)
    status = t.projection_status
    version = conn.execute(
        select(status.c.version).where(status.c.name == SealProjection.name)
    ).scalar_one_or_none()
    if found is None or version is None or version == FORMAT:
        return found
    return Seal(found.position, found.chain, int(version))


def views_reached(conn: Connection) -> tuple[int, int] | None:
    """The lowest and highest position the running read models (the seal's aside) have
    reached, as read in ``conn``'s transaction; None when there are none."""
    status = t.projection_status
    found = conn.execute(
        select(func.min(status.c.position), func.max(status.c.position)).where(
            status.c.name != SealProjection.name, status.c.failed_position.is_(None)
        )
    ).one()
    return None if found[0] is None else (int(found[0]), int(found[1]))


@dataclass(frozen=True)
class _Chained:
    """A batch's rows (the log's positions up to ``last``), chained on from ``after``
    (None: not chained, the chain's end was not known when it was prepared)."""

    last: int
    rows: Sequence[StoredRow]
    after: Seal | None
    chains: Sequence[bytes]


class SealProjection(Projection["_Chained"]):
    """The chain value of every position of the log.

    It takes no events: it reads the stored rows of its batch's positions itself,
    as they are, with ``read_rows``. It chains them on from the last position it
    sealed before its turn to write, and checks in the transaction that the chain
    there still ends where it began (else it chains them again, from what is there).
    """

    name, version = "seal", FORMAT
    tables = (t.seal_chain,)

    def __init__(self, read_rows: RowReader) -> None:
        self._read_rows = read_rows
        self._last: Seal | None = None  # the last checkpoint this projection wrote
        self._seen: list[StoredRow] = []  # the rows of the runner's batch, as checked

    def forget(self) -> None:
        self._last = None

    def sees_rows(self, rows: Sequence[StoredRow]) -> None:
        self._seen = list(rows)

    def refuses_rebuild(self, engine: Engine, stored_version: int) -> RowRefused | None:
        """A chain of an earlier format is verified before it is replaced: one that does
        not verify is kept as it is, not sealed again in the new format over the rows
        it no longer matches (``ledger verify`` names them)."""
        if stored_version == FORMAT or stored_version not in LINKS:
            return None
        found = first_break(self._read_rows, sealed_entries(engine), LINKS[stored_version])
        return None if found is None else EarlierChainBroken(*found)

    def work_out(self, changes: Sequence[Change], span: tuple[int, int]) -> _Chained:
        first, last = span
        seen = [row for row in self._seen if first <= row.position <= last]
        covered = bool(self._seen) and self._seen[0].position <= first
        rows = seen if covered else self._read_rows(first - 1, last, last - first + 1)
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


class EarlierChainBroken(RowRefused):
    """The chain of an earlier format does not verify: the seal is not made anew."""

    reason = "earlier seal chain broken"


def first_break(
    read_rows: RowReader,
    sealed: Iterator[tuple[int, bytes]],
    link_of: Callable[[bytes, StoredRow], bytes],
) -> tuple[int, str] | None:
    """The first position where the stored rows part from the sealed chain (made with
    ``link_of``), and how; None when every sealed position holds."""
    chain, after = GENESIS, None
    rows = _paged(read_rows)
    for position, value in sealed:
        for row in rows:
            if not written_by_the_ledger(row):
                return (
                    row.position,
                    f"altered: item id {row.item!r} is not as the ledger writes one",
                )
            chain = link_of(chain, row)
            after = row.position
            if row.position >= position:
                break
        if after != position:
            kind = "inserted" if after is not None and after > position else "removed"
            return position, f"{kind}: the stored rows and the sealed chain part here"
        if chain != value:
            return position, "altered: the stored row does not hash to its seal"
    return None


def sealed_entries(engine: Engine, page: int = 5000) -> Iterator[tuple[int, bytes]]:
    """The sealed chain's values, in position order, a page at a time."""
    s, after = t.seal_chain, 0
    while True:
        with engine.connect() as conn:
            found = conn.execute(
                select(s.c.position, s.c.chain)
                .where(s.c.position > after)
                .order_by(s.c.position)
                .limit(page)
            ).all()
        for position, value in found:
            yield int(position), bytes(value)
        if len(found) < page:
            return
        after = int(found[-1][0])


def chain_up_to(read_rows: RowReader, position: int, page: int = 5000) -> bytes:
    """The chain value at ``position``, over every stored row up to it, a page at a time."""
    chain, after = GENESIS, -(1 << 62)
    while rows := read_rows(after, position, page):
        for row in rows:
            chain = link(chain, row)
        after = rows[-1].position
    return chain


def _paged(read_rows: RowReader, page: int = 5000) -> Iterator[StoredRow]:
    after = -(1 << 62)
    while True:
        rows = read_rows(after, 1 << 62, page)
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1].position


def _chain(previous: bytes, rows: Sequence[StoredRow]) -> list[bytes]:
    chains = []
    for row in rows:
        previous = link(previous, row)
        chains.append(previous)
    return chains
