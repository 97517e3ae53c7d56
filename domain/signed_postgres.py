"""The log's recorder on PostgreSQL, signing every transaction's rows in that transaction
(as ``domain.signed_log``'s on SQLite).

Only a PostgreSQL ``LEDGER_DATABASE_URL`` names this module (the library imports the
``PERSISTENCE_MODULE`` it is given when the ledger is opened): it loads psycopg, which a
ledger on SQLite never needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.log_rows import StoredRow
from domain.signature_table import (
    COLUMNS,
    LAST_SIGNATURE,
    SIGNATURES_TABLE,
    previous_link,
    signature_row,
)
from domain.signed_log import SigningRecorder


class SignedPostgresRecorder(SigningRecorder, PostgresApplicationRecorder):
    """PostgreSQL's recorder, signing each save's rows in its transaction."""

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
            previous = previous_link(None if found is None else (found["signature"],))
            record = self.row_signer().sign_transaction(rows, previous)
            curs.execute(self._insert_signature, signature_row(record))
        return positions


class SignedPostgresFactory(PostgresFactory):
    application_recorder_class = SignedPostgresRecorder
