"""The signatures table: its rows (one per transaction signed, or per checkpoint), written
and read in the order of their chain, and the ones covering a stretch of the log.
``domain.signed_log`` writes a transaction's signature as the transaction is saved."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from domain.drivers import is_postgres
from domain.log_tables import run_sql
from domain.signing import CHECKPOINT, GENESIS_LINK, TRANSACTION, MalformedRecord, Signature

SIGNATURES_TABLE = "ledger_signatures"
COLUMNS = "kind, first_position, last_position, key_id, signature, content, previous"
READ = f"number, {COLUMNS}"
PAGE = 5000
PLACES = "(?, ?, ?, ?, ?, ?, ?)"
LAST_SIGNATURE = "SELECT signature FROM {table} ORDER BY number DESC LIMIT 1"


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
    if is_postgres(recorder):
        sql = "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?"
        return bool(run_sql(recorder, sql, (recorder.datastore.schema, SIGNATURES_TABLE)))
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return bool(run_sql(recorder, sql, (SIGNATURES_TABLE,)))


def last_link(recorder: ApplicationRecorder) -> bytes:
    """The ``previous`` the next record names."""
    rows = run_sql(recorder, LAST_SIGNATURE.format(table=signatures_table(recorder)), ())
    return previous_link(rows[0] if rows else None)


def insert_checkpoint(recorder: ApplicationRecorder, record: Signature) -> None:
    run_sql(
        recorder,
        f"INSERT INTO {signatures_table(recorder)} ({COLUMNS}) VALUES {PLACES}",
        signature_row(record),
    )


def signatures_table(recorder: ApplicationRecorder) -> str:
    if is_postgres(recorder):
        return f'"{recorder.datastore.schema}"."{SIGNATURES_TABLE}"'
    return SIGNATURES_TABLE


def previous_link(found: Sequence[Any] | None) -> bytes:
    """The link the next record names: the digest of the last record's signature (``found``:
    its row, or None before the first)."""
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
