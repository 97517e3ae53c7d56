"""The log's recorders, signing every transaction's rows in that transaction.

The library's SQLite and PostgreSQL recorders, each extended at the point where the
rows of one save have been inserted and their positions are known, still inside the
save's transaction: the rows, as they were stored, are signed, and the signature is
inserted into the append-only ``ledger_signatures`` table. The rows and their
signature commit together or not at all. A recorder given no signer refuses to write:
a process without the signing key cannot add to the log.

``LEDGER_DATABASE_URL`` picks one of them through the library's ``PERSISTENCE_MODULE``
setting (``domain.storage.Database.eventsourcing_env``). PostgreSQL's is in
``domain.signed_postgres``, which the library imports only for a PostgreSQL URL: a
ledger on SQLite never loads the PostgreSQL driver (``domain.drivers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteFactory

from domain.errors import StorageError
from domain.log_rows import StoredRow
from domain.signature_table import (
    COLUMNS,
    LAST_SIGNATURE,
    PLACES,
    SIGNATURES_TABLE,
    previous_link,
    signature_row,
)
from domain.signing import Keyring, RowSigner, SigningKeyError

__all__ = [
    "SignedSQLiteFactory",
    "SigningRecorder",
    "Unsigned",
    "check_with",
    "keyring_of",
    "sign_writes",
]


class Unsigned(StorageError):
    """This process was given no signing key, so it cannot write to the log."""

    def __init__(self) -> None:
        super().__init__(
            "this process has no signing key, so it cannot write to the ledger "
            "(LEDGER_SIGNING_KEY_FILE)"
        )


class SigningRecorder:
    """What the ledger's recorders on either database share: the signer of their saves,
    and the keys the log's signatures are checked with. Asking for this class, not the
    recorders', names both without loading PostgreSQL's."""

    signer: RowSigner | None = None
    keyring: Keyring | None = None
    """The public keys the log's signatures are checked with (``keyring_of``)."""

    def row_signer(self) -> RowSigner:
        """The signer of the save under way; a recorder given none refuses to write."""
        if self.signer is None:
            raise Unsigned()
        return self.signer


class SignedSQLiteRecorder(SigningRecorder, SQLiteApplicationRecorder):
    """SQLite's recorder, signing each save's rows in its transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {SIGNATURES_TABLE} ("
            "number INTEGER PRIMARY KEY AUTOINCREMENT, "
            "kind TEXT NOT NULL, first_position INTEGER NOT NULL, "
            "last_position INTEGER NOT NULL, key_id TEXT NOT NULL, "
            "signature BLOB NOT NULL, content BLOB NOT NULL, previous BLOB NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {SIGNATURES_TABLE}_last "
            f"ON {SIGNATURES_TABLE} (last_position)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if positions:
            rows = [
                StoredRow(p, _sqlite_id(s.originator_id), s.originator_version, s.topic, s.state)
                for p, s in zip(positions, stored_events, strict=True)
            ]
            c.execute(LAST_SIGNATURE.format(table=SIGNATURES_TABLE))
            record = self.row_signer().sign_transaction(rows, previous_link(c.fetchone()))
            c.execute(
                f"INSERT INTO {SIGNATURES_TABLE} ({COLUMNS}) VALUES {PLACES}", signature_row(record)
            )
        return positions


class SignedSQLiteFactory(SQLiteFactory):
    application_recorder_class = SignedSQLiteRecorder


def sign_writes(recorder: ApplicationRecorder, signer: RowSigner) -> None:
    """From now on, sign every save of ``recorder`` with ``signer`` (and check the log's
    signatures with its public key, until ``check_with`` names more)."""
    signed = _signed(recorder)
    signed.signer = signer
    if signed.keyring is None:
        signed.keyring = signer.keyring()


def check_with(recorder: ApplicationRecorder, keyring: Keyring) -> None:
    """Check the log's signatures with the keys of ``keyring``."""
    _signed(recorder).keyring = keyring


def keyring_of(recorder: ApplicationRecorder) -> Keyring:
    """The keys the log's signatures are checked with; an error when none were given."""
    keyring = _signed(recorder).keyring
    if keyring is None:
        raise SigningKeyError(
            "no public signing key: the log's signatures cannot be checked "
            "(LEDGER_SIGNING_KEY_FILE or LEDGER_SIGNING_PUBLIC_KEYS)"
        )
    return keyring


def _signed(recorder: ApplicationRecorder) -> SigningRecorder:
    if not isinstance(recorder, SigningRecorder):
        raise StorageError(f"the recorder {type(recorder).__name__} does not sign what it writes")
    return recorder


def _sqlite_id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id
