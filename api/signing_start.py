"""Signing starts on a log that already holds rows: one signed checkpoint covers them.

Before it signs, the chain the seal projection keeps for those rows is verified
against them (in the chain's own format): a log that does not verify is not vouched
for; the ledger refuses to write until an inspector has looked (``ledger verify``).
The checkpoint covers the rows up to the seal's head, no further: rows the seal had
not reached stay unsigned (``ledger verify`` names them, the projections stop at the
first). Only a log that was never sealed at all is covered whole, as it stands.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import Engine, inspect

from api.verify import verify
from domain.ledger import Ledger
from domain.signed_log import has_signatures, insert_checkpoint, signatures_table_exists
from domain.signing import RowSigner
from domain.storage import StorageError
from projections import tables as t
from projections.seal import chain_up_to
from projections.stored_rows import stored_rows


class LogDoesNotVerify(StorageError):
    """Signing would vouch for a log whose stored chain does not hold."""


def start_signing(ledger: Ledger, engine: Engine, signer: RowSigner) -> int | None:
    """Sign a checkpoint of the rows already in the log, unless signing has started
    there; the checkpoint's position, or None when none was needed."""
    recorder = ledger.recorder
    if has_signatures(recorder) or not signatures_table_exists(recorder):
        return None  # started already; or a database not set up by a signing ledger yet
    head = recorder.max_notification_id()
    if not head:
        return None
    if _has_seal_chain(engine):
        report = verify(recorder, engine, keyring=None)
        broken = [f for f in report.findings if not f.problem.startswith("not sealed")]
        if broken:
            raise LogDoesNotVerify(
                f"signing cannot start: the log does not verify at {broken[0]}; nothing "
                "is signed or written until it is looked into (`ledger verify`)"
            )
        if report.seal is None:
            return None  # nothing the chain vouches for: every row stays unsigned
        head = report.seal.position  # rows past the seal are not vouched for
    chain = chain_up_to(partial(stored_rows, recorder), head)
    insert_checkpoint(recorder, signer.sign_checkpoint(head, chain))
    return head


def _has_seal_chain(engine: Engine) -> bool:
    tables = inspect(engine)
    return tables.has_table(t.seal_chain.name) and tables.has_table(t.projection_status.name)
