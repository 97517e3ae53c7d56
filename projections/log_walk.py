"""One walk over the stored rows, in position order, checking each as it comes.

Each row is compared with:

- the seal chain the seal projection keeps (recomputed in the chain's own format):
  the first position where they part is named, as a row whose bytes changed
  (altered), a sealed position no longer in the log (removed), or a row the chain does
  not know between sealed ones (inserted);
- the ledger's signatures: every row the ledger did not sign (no signature covers it,
  and no signed checkpoint of the chain from before signing started), every row whose
  signature no longer matches, and every signed row the log lacks, each on its own;
- the form the ledger writes an item id in (a re-cased or dashed id on SQLite);
- a seal given (``--against``), in its own format: the chain recomputed from the log
  alone must reach it, which catches a rewrite of the log and of the whole chain.

``ledger verify`` walks the whole log at once; the server's ``SealWatch`` walks on a
page at a time behind the seal, so ``ledgerSeal`` tells how far the log holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Engine, select

from domain.log_rows import StoredRow
from domain.signing import Keyring, RowProblem
from projections import tables as t
from projections.seal import FORMAT, GENESIS, LINKS, Seal, written_by_the_ledger
from projections.signature_walk import SignatureWalk
from projections.stored_rows import stored_rows

PAGE = 5000
FAR_BEFORE, FAR_AFTER = -(1 << 62), 1 << 62


Finding = RowProblem
"""A problem at a position (``position N: problem``)."""


@dataclass
class Report:
    """What a walk found: how many rows, the last seal, and every problem."""

    rows: int = 0
    seal: Seal | None = None
    signed: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.findings


def chain_format(engine: Engine) -> int:
    """The format of the chain the seal projection keeps (its version)."""
    status = t.projection_status
    with engine.connect() as conn:
        found = conn.execute(
            select(status.c.version).where(status.c.name == "seal")
        ).scalar_one_or_none()
    return FORMAT if found is None else int(found)


def sealed_head(engine: Engine) -> int:
    """The last position the seal chain covers (0: none)."""
    with engine.connect() as conn:
        found = conn.execute(
            select(t.seal_chain.c.position).order_by(t.seal_chain.c.position.desc()).limit(1)
        ).scalar_one_or_none()
    return 0 if found is None else int(found)


class LogWalk:
    """The checks of every row walked so far, and where the walk stands."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        engine: Engine,
        keyring: Keyring | None,
        against: Seal | None = None,
    ) -> None:
        self.recorder, self.engine = recorder, engine
        self.report = Report()
        self.after: int | None = None  # the last position walked
        self._chain = _Chain(chain_format(engine))
        self._against = _Against(against) if against is not None else None
        self._signatures = SignatureWalk(recorder, keyring) if keyring is not None else None
        self._unsealed: list[int] = []  # [first position, count] of rows past the seal

    def step(self, until: int | None = None, page: int = PAGE) -> bool:
        """Walk the next page of rows (up to ``until``); False when there were none."""
        rows = stored_rows(self.recorder, self.after, until, page)
        if not rows:
            return False
        span = (self.after + 1 if self.after is not None else FAR_BEFORE, rows[-1].position)
        sealed = self._sealed_between(span)
        for row in rows:
            self.report.rows += 1
            if not written_by_the_ledger(row):
                self.found(
                    row.position, f"altered: item id {row.item!r} is not as the ledger writes one"
                )
            self._chain.take(row, sealed, self)
            if self._against is not None:
                self._against.take(row, self)
        self._chain.missing(sealed, rows, self)
        if self._signatures is not None:
            self._signatures.take(rows, span, self)
        self.after = rows[-1].position
        return True

    def finish(self) -> Report:
        """The report of a walk to the end of the log: sealed or signed positions past the
        last row are named as removed, rows past the seal as not sealed."""
        span = (self.after + 1 if self.after is not None else FAR_BEFORE, FAR_AFTER)
        self._chain.missing(self._sealed_between(span), [], self)
        if self._chain.unsealed_from is not None and self._chain.broken is None:
            self.found(
                self._chain.unsealed_from,
                f"not sealed: {self._chain.unsealed} stored rows from here on are missing "
                "from the chain although the seal projection has caught up (its rows were "
                "removed, or it stopped: see `ledger projections`)",
            )
        if self._against is not None:
            self._against.finish(self)
        if self._signatures is not None:
            self._signatures.finish(span, self)
            self.report.signed = self._signatures.vouched
        self.report.seal = self._chain.last
        self.report.findings.sort()
        return self.report

    def verified_up_to(self) -> int:
        """The last position up to which every row walked holds (before the first
        problem, and before a row still waiting on the checkpoint)."""
        reached = self._chain.last.position if self._chain.last is not None else 0
        if self.report.findings:
            reached = min(reached, min(f.position for f in self.report.findings) - 1)
        if self._signatures is not None and self._signatures.pending:
            reached = min(reached, self._signatures.pending[0] - 1)  # walked in order: sorted
        return max(reached, 0)

    def found(self, position: int, problem: str) -> None:
        """Note a problem at ``position``."""
        self.report.findings.append(Finding(position, problem))

    def _sealed_between(self, span: tuple[int, int]) -> dict[int, bytes]:
        s = t.seal_chain
        with self.engine.connect() as conn:
            found = conn.execute(
                select(s.c.position, s.c.chain).where(
                    s.c.position >= span[0], s.c.position <= span[1]
                )
            ).all()
        return {int(p): bytes(c) for p, c in found}


class _Chain:
    """The chain recomputed in the stored chain's format, beside the stored one."""

    def __init__(self, form: int) -> None:
        self.form, self._link = form, LINKS.get(form, LINKS[FORMAT])
        self.value = GENESIS
        self.last: Seal | None = None
        self.broken: int | None = None
        self.unsealed_from: int | None = None
        self.unsealed = 0

    def take(self, row: StoredRow, sealed: dict[int, bytes], walk: LogWalk) -> None:
        self.value = self._link(self.value, row)
        if self.broken is not None:
            return
        expected = sealed.get(row.position)
        if expected is None:
            if self.unsealed_from is None:
                self.unsealed_from = row.position
            self.unsealed += 1
        elif self.unsealed_from is not None:
            self._break(
                walk, self.unsealed_from, "inserted: in the log, but not in the sealed chain"
            )
        elif expected != self.value:
            self._break(walk, row.position, "altered: the stored row does not hash to its seal")
        else:
            self.last = Seal(row.position, self.value, self.form)

    def missing(self, sealed: dict[int, bytes], rows: Sequence[StoredRow], walk: LogWalk) -> None:
        """Sealed positions among ``sealed`` that no row of ``rows`` has."""
        if self.broken is not None:
            return
        present = {row.position for row in rows}
        gone = [p for p in sealed if p not in present]
        if gone:
            self._break(walk, min(gone), "removed: sealed, but no longer in the log")

    def _break(self, walk: LogWalk, position: int, problem: str) -> None:
        self.broken = position
        walk.found(position, problem)


class _Against:
    """The chain recomputed in a given seal's format, up to its position."""

    def __init__(self, seal: Seal) -> None:
        self.seal, self._link, self.value, self.reached = seal, LINKS[seal.form], GENESIS, False

    def take(self, row: StoredRow, walk: LogWalk) -> None:
        if self.reached:
            return
        self.value = self._link(self.value, row)
        if row.position == self.seal.position:
            self.reached = True
            if self.value != self.seal.chain:
                walk.found(
                    row.position,
                    "the log up to here does not match the seal given: it was rewritten "
                    "(the stored chain with it)",
                )

    def finish(self, walk: LogWalk) -> None:
        if not self.reached:
            walk.found(
                self.seal.position, "removed: the seal given ends here, the log has no such row"
            )
