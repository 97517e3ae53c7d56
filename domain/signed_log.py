"""The log's recorders, signing every transaction's rows in that transaction.

The library's SQLite and PostgreSQL recorders, each extended at the point where the
rows of one save have been inserted and their positions are known, still inside the
save's transaction: the rows, as they were stored, are signed, and the signature is
inserted into the append-only ``ledger_signatures`` table. The rows and their
signature commit together or not at all. A recorder given no signer refuses to write:
a process without the signing key cannot add to the log.

``LEDGER_DATABASE_URL`` picks one of them through the library's ``PERSISTENCE_MODULE``
setting (``domain.storage.Database.eventsourcing_env``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteFactory
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.log_rows import StoredRow
from domain.signing import (
    CHECKPOINT,
    GENESIS_LINK,
    TRANSACTION,
    Keyring,
    MalformedRecord,
    RowSigner,
    Signature,
    SigningKeyError,
)
from domain.storage import StorageError, run_sql

SIGNATURES_TABLE = "ledger_signatures"
COLUMNS = "kind, first_position, last_position, key_id, signature, content, previous"
READ = f"number, {COLUMNS}"
PAGE = 5000
PLACES = "(?, ?, ?, ?, ?, ?, ?)"
LAST_SIGNATURE = "SELECT signature FROM {table} ORDER BY number DESC LIMIT 1"


class Unsigned(StorageError):
    """This process was given no signing key, so it cannot write to the log."""

    def __init__(self) -> None:
        super().__init__(
            "this process has no signing key, so it cannot write to the ledger "
            "(LEDGER_SIGNING_KEY_FILE)"
        )


class SignedSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite's recorder, signing each save's rows in its transaction."""

    signer: RowSigner | None = None
    keyring: Keyring | None = None
    """The public keys the log's signatures are checked with (``keyring_of``)."""

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
            record = _signer(self).sign_transaction(rows, _previous(c.fetchone()))
            c.execute(
                f"INSERT INTO {SIGNATURES_TABLE} ({COLUMNS}) VALUES {PLACES}", signature_row(record)
            )
        return positions


class SignedPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL's recorder, signing each save's rows in its transaction."""

    signer: RowSigner | None = None
    keyring: Keyring | None = None

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema, table = Identifier(datastore.schema), Identifier(SIGNATURES_TABLE)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {}.{} ("
                "number bigserial PRIMARY KEY, "
                "kind text NOT NULL, first_position bigint NOT NULL, "
                "last_position bigint NOT NULL, key_id text NOT NULL, "
                "signature bytea NOT NULL, content bytea NOT NULL, previous bytea NOT NULL)"
            ).format(schema, table)
        )
        self.sql_create_statements.append(
            SQL("CREATE INDEX IF NOT EXISTS {} ON {}.{} (last_position)").format(
                Identifier(f"{SIGNATURES_TABLE}_last"), schema, table
            )
        )
        self._insert_signature = SQL(
            "INSERT INTO {}.{} (" + COLUMNS + ") VALUES (%s, %s, %s, %s, %s, %s, %s)"
        ).format(schema, table)
        self._last_signature = SQL(LAST_SIGNATURE.format(table="{}.{}")).format(schema, table)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if positions:
            rows = [
                StoredRow(p, s.originator_id, s.originator_version, s.topic, s.state)
                for p, s in zip(positions, stored_events, strict=True)
            ]
            curs.execute(self._last_signature)
            found = curs.fetchone()
            previous = _previous(None if found is None else (found["signature"],))
            record = _signer(self).sign_transaction(rows, previous)
            curs.execute(self._insert_signature, signature_row(record))
        return positions


class SignedSQLiteFactory(SQLiteFactory):
    application_recorder_class = SignedSQLiteRecorder


class SignedPostgresFactory(PostgresFactory):
    application_recorder_class = SignedPostgresRecorder


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


def _signed(recorder: ApplicationRecorder) -> SignedSQLiteRecorder | SignedPostgresRecorder:
    if not isinstance(recorder, SignedSQLiteRecorder | SignedPostgresRecorder):
        raise StorageError(f"the recorder {type(recorder).__name__} does not sign what it writes")
    return recorder


def signature_row(record: Signature) -> tuple[object, ...]:
    """The values of ``COLUMNS`` for ``record``."""
    return (
        record.kind,
        record.first,
        record.last,
        record.key_id,
        record.signature,
        record.content,
        record.previous,
    )


def _signer(recorder: SignedSQLiteRecorder | SignedPostgresRecorder) -> RowSigner:
    if recorder.signer is None:
        raise Unsigned()
    return recorder.signer


def _sqlite_id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


def signatures_covering(
    recorder: ApplicationRecorder, first: int, last: int
) -> list[Signature | MalformedRecord]:
    """The transaction records covering any position from ``first`` to ``last``: those
    ending within, and the first ending after (the ledger's records do not overlap), by
    an index on the last position whatever the log's length."""
    table = signatures_table(recorder)
    within = run_sql(
        recorder,
        f"SELECT {READ} FROM {table} WHERE last_position >= ? AND last_position <= ? "
        "ORDER BY last_position",
        (first, last),
    )
    after = run_sql(
        recorder,
        f"SELECT {READ} FROM {table} WHERE last_position > ? ORDER BY last_position LIMIT 1",
        (last,),
    )
    return [r for r in map(_record, within + after) if _covers(r, first, last)]


def _covers(record: Signature | MalformedRecord, first: int, last: int) -> bool:
    if isinstance(record, MalformedRecord):
        return False
    return record.kind == TRANSACTION and record.first <= last and record.last >= first


def records_in_order(
    recorder: ApplicationRecorder, after: int = 0, limit: int = PAGE
) -> list[Signature | MalformedRecord]:
    """The records numbered after ``after``, in the order they were written (the order of
    their chain), at most ``limit``."""
    rows = run_sql(
        recorder,
        f"SELECT {READ} FROM {signatures_table(recorder)} WHERE number > ? ORDER BY number LIMIT ?",
        (after, limit),
    )
    return [_record(row) for row in rows]


def checkpoints(recorder: ApplicationRecorder) -> list[Signature]:
    """The signed checkpoints, as recorded (whether each holds is the keyring's to say)."""
    rows = run_sql(
        recorder,
        f"SELECT {READ} FROM {signatures_table(recorder)} WHERE kind = ? ORDER BY number",
        (CHECKPOINT,),
    )
    return [r for r in map(_record, rows) if isinstance(r, Signature)]


def has_signatures(recorder: ApplicationRecorder) -> bool:
    """Whether signing has started on the log (a log whose signatures table was never
    made, by a ledger that did not sign, has none)."""
    if not signatures_table_exists(recorder):
        return False
    return bool(run_sql(recorder, f"SELECT 1 FROM {signatures_table(recorder)} LIMIT 1", ()))


def signatures_table_exists(recorder: ApplicationRecorder) -> bool:
    if isinstance(recorder, PostgresApplicationRecorder):
        sql = "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?"
        return bool(run_sql(recorder, sql, (recorder.datastore.schema, SIGNATURES_TABLE)))
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return bool(run_sql(recorder, sql, (SIGNATURES_TABLE,)))


def last_link(recorder: ApplicationRecorder) -> bytes:
    """The ``previous`` the next record names."""
    rows = run_sql(recorder, LAST_SIGNATURE.format(table=signatures_table(recorder)), ())
    return _previous(rows[0] if rows else None)


def insert_checkpoint(recorder: ApplicationRecorder, record: Signature) -> None:
    run_sql(
        recorder,
        f"INSERT INTO {signatures_table(recorder)} ({COLUMNS}) VALUES {PLACES}",
        signature_row(record),
    )


def signatures_table(recorder: ApplicationRecorder) -> str:
    if isinstance(recorder, PostgresApplicationRecorder):
        return f'"{recorder.datastore.schema}"."{SIGNATURES_TABLE}"'
    return SIGNATURES_TABLE


def _previous(found: Sequence[Any] | None) -> bytes:
    return GENESIS_LINK if found is None else hashlib.sha256(bytes(found[0])).digest()


def _record(row: Sequence[Any]) -> Signature | MalformedRecord:
    """A row of the signatures table, or what is wrong with it: every value must be of the
    type the ledger writes (a row typed by hand as text where bytes belong is not read as
    a signature, nor does it stop the reading)."""
    number, kind, first, last, key_id, signature, content, previous = row
    position = first if isinstance(first, int) else 0
    if not (isinstance(first, int) and isinstance(last, int) and first <= last):
        return MalformedRecord(int(number), position, "its positions are not a range")
    if kind not in (TRANSACTION, CHECKPOINT) or not isinstance(key_id, str):
        return MalformedRecord(
            int(number), position, f"its kind {kind!r} is not one the ledger writes"
        )
    blobs = (signature, content, previous)
    if not all(isinstance(b, bytes | bytearray | memoryview) for b in blobs):
        return MalformedRecord(int(number), position, "its signature, content or link is not bytes")
    return Signature(
        kind, first, last, key_id, bytes(signature), bytes(content), bytes(previous), int(number)
    )
