"""The row check of the ledger's signatures: a row the ledger did not sign, or one
changed since it did, stops every projection at its position (``row_checks``).

Rows from before signing started are taken on the signed checkpoint, which is checked
once a process, against the chain recomputed from the first row up to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from weakref import WeakKeyDictionary

from eventsourcing.persistence import ApplicationRecorder

from domain.log_rows import StoredRow
from domain.signature_table import checkpoints, signatures_covering
from domain.signed_log import keyring_of
from domain.signing import NOT_SIGNED, Vouchers
from projections.row_checks import RowRefused
from projections.seal import chain_up_to
from projections.stored_rows import stored_rows


class RowNotVouchedFor(RowRefused):
    """A row no good signature of the ledger vouches for."""

    reason = "row the ledger did not sign"
    checked_again_on_start = True  # a key given since (an earlier one, after a rotation)


class SignedRows:
    """Checks each batch's rows against the signatures covering its positions."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.recorder = recorder
        self.vouchers = Vouchers(keyring_of(recorder))
        self._checkpoint: int | None = None  # how far a checkpoint that holds vouches

    def __call__(self, rows: Sequence[StoredRow]) -> None:
        if not rows:
            return
        span = (rows[0].position, rows[-1].position)
        records = signatures_covering(self.recorder, *span)
        _, problems = self.vouchers.check(rows, records, span)
        for found in sorted(problems):
            if found.problem == NOT_SIGNED and 1 <= found.position <= self._checkpoint_end():
                continue  # before signing started, vouched for by the checkpoint
            raise RowNotVouchedFor(found.position, found.problem)

    def _checkpoint_end(self) -> int:
        if self._checkpoint is None:
            self._checkpoint = self._held_checkpoint()
        return self._checkpoint

    def _held_checkpoint(self) -> int:
        """The position up to which a signed checkpoint vouches for the rows (0: none)."""
        held = 0
        for record in checkpoints(self.recorder):
            if self.vouchers.keyring.problem(record) is None and (
                record.content == chain_up_to(partial(stored_rows, self.recorder), record.last)
            ):
                held = max(held, record.last)
        return held


_CHECKS: WeakKeyDictionary[ApplicationRecorder, SignedRows] = WeakKeyDictionary()


def signed_rows(recorder: ApplicationRecorder) -> SignedRows:
    """The signature check of ``recorder``'s log, one for each recorder."""
    check = _CHECKS.get(recorder)
    if check is None:
        check = _CHECKS[recorder] = SignedRows(recorder)
    return check
