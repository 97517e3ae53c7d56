"""``ledger verify``: recompute the seal chain from the stored events and compare.

The stored rows and the projection's chain are walked side by side, in position
order. The first position where they part is named: a row whose bytes changed
(altered), a sealed position no longer in the log (removed), a row the chain does
not know between sealed ones (inserted out of order). ``--against`` compares the
chain recomputed from the log alone with a seal printed earlier, which catches a
rewrite of the log and of the whole chain together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, select

from domain.ledger import Ledger
from projections import tables as t
from projections.seal import GENESIS, Seal, link
from projections.stored_rows import StoredRow, stored_rows

PAGE = 5000


@dataclass(frozen=True)
class Finding:
    position: int
    problem: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.problem}"


@dataclass(frozen=True)
class Verified:
    """What a clean walk found: how many rows, the last seal, rows not sealed yet."""

    rows: int
    seal: Seal | None
    unsealed: int


def verify(ledger: Ledger, engine: Engine, against: Seal | None = None) -> Verified | Finding:
    """Walk the log and the sealed chain; the first problem, or what was verified."""
    chain, rows, unsealed = GENESIS, 0, 0
    last: Seal | None = None
    reached_against = False
    first_unsealed: int | None = None
    sealed = _sealed(engine)
    pending = next(sealed, None)
    for row in _rows(ledger):
        if pending is not None and pending[0] < row.position:
            return Finding(pending[0], "removed: sealed, but no longer in the log")
        chain = link(chain, row)
        rows += 1
        if pending is None:
            unsealed += 1
            first_unsealed = row.position if first_unsealed is None else first_unsealed
        elif pending[0] > row.position:
            return Finding(row.position, "inserted: in the log, but not in the sealed chain")
        elif pending[1] != chain:
            return Finding(row.position, "altered: the stored row does not hash to its seal")
        else:
            last = Seal(row.position, chain)
            pending = next(sealed, None)
        if against is not None and row.position == against.position:
            reached_against = True
            if chain == against.chain:
                continue
            return Finding(
                row.position,
                "the log up to here does not match the seal given: it was rewritten "
                "(the stored chain with it)",
            )
    if pending is not None:
        return Finding(pending[0], "removed: sealed, but no longer in the log")
    if first_unsealed is not None:
        return Finding(
            first_unsealed,
            f"not sealed: {unsealed} stored rows from here on are missing from the chain "
            "although the seal projection has caught up (its rows were removed, or it "
            "stopped: see `ledger projections`)",
        )
    if against is not None and not reached_against:
        return Finding(
            against.position, "removed: the seal given ends here, the log has no such row"
        )
    return Verified(rows, last, unsealed)


def _rows(ledger: Ledger) -> Iterator[StoredRow]:
    """Every stored row in position order, from the lowest there is (a row slipped in
    at position 0 or below is a row too)."""
    after: int | None = None
    while True:
        page = stored_rows(ledger.recorder, after, None, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].position


def _sealed(engine: Engine) -> Iterator[tuple[int, bytes]]:
    s = t.seal_chain
    after = 0
    while True:
        with engine.connect() as conn:
            page = conn.execute(
                select(s.c.position, s.c.chain)
                .where(s.c.position > after)
                .order_by(s.c.position)
                .limit(PAGE)
            ).all()
        for position, chain in page:
            yield int(position), bytes(chain)
        if len(page) < PAGE:
            return
        after = int(page[-1][0])
