"""``ledger signing start``: the one signed checkpoint over rows written before the ledger
signed what it wrote.

Never made on its own (a log whose signatures were wiped would otherwise be signed
anew, forged rows and all): an operator asks for it, once, naming what vouches for
those rows:

- ``--against SEAL``, a seal printed earlier into an official record: the log up to the
  seal's position must hash to it (in the seal's own format) and the chain the seal
  projection keeps must hold; the checkpoint covers the rows up to the seal's position;
  rows after it stay unsigned (``ledger verify`` names them, the projections stop at
  the first). Printing a seal just before the upgrade (``ledger verify``) and naming it
  here covers the whole log;
- ``--as-it-stands``, for a log never sealed: the stored chain must hold where there is
  one, and the checkpoint covers the log as it stands, on the operator's word.

It refuses a log where signing has started (a record is there) and one that does not
verify, writing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine

from api.cli.verify import verify
from domain.errors import LedgerError
from domain.ledger import Ledger
from domain.signature_table import has_signatures, insert_checkpoint, last_link
from domain.signing import RowSigner
from projections.seal import Seal, chain_up_to
from projections.stored_rows import stored_rows


class CannotStartSigning(LedgerError):
    """Signing cannot start here, or not on what was given."""


@dataclass(frozen=True)
class Started:
    position: int
    chain: bytes


def start_signing(
    ledger: Ledger, engine: Engine, signer: RowSigner, against: Seal | None
) -> Started | None:
    """Sign the checkpoint of the rows already in the log (None: the log is empty)."""
    recorder = ledger.recorder
    if has_signatures(recorder):
        raise CannotStartSigning(
            "signing has started on this log: its checkpoint and signatures are there "
            "(`ledger verify` checks them); nothing written"
        )
    head = recorder.max_notification_id()
    if not head:
        return None
    findings = verify(recorder, engine, None, against).findings
    broken = [f for f in findings if not f.problem.startswith("not sealed")]
    if broken:
        raise CannotStartSigning(
            f"the log does not verify at {broken[0]}; nothing is signed or written until it "
            "is looked into (`ledger verify`)"
        )
    position = against.position if against is not None else head
    chain = chain_up_to(partial(stored_rows, recorder), position)
    insert_checkpoint(recorder, signer.sign_checkpoint(position, chain, last_link(recorder)))
    return Started(position, chain)
