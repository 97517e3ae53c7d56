"""Helpers of the tamper tests: the log as someone who can write to the database sees
it, with the append-only guard dropped by hand (the ``ledger`` command: ``ledger_runs``).

Positions are SQLite's ``rowid`` of ``stored_events`` and PostgreSQL's
``notification_id`` of ``ledger_events`` (in the URL's schema), the positions the
seal chain and ``ledger verify`` speak of.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.log_rows import StoredRow
from domain.signature_table import COLUMNS, signature_row
from domain.signing import GENESIS_LINK, RowSigner
from domain.storage import Database
from projections.seal import GENESIS, Seal, link, link_v2
from tests.conftest import TEST_SIGNING_KEY, postgres_dsn


@dataclass(frozen=True)
class Row:
    """A stored row, as written."""

    position: int
    item: uuid.UUID
    version: int
    topic: str
    state: bytes

    def stored(self) -> StoredRow:
        return StoredRow(self.position, self.item, self.version, self.topic, self.state)


class RawLog:
    """The event log and the seal chain through a plain database connection."""

    def __init__(self, url: str) -> None:
        self.database = Database.parse(url)
        self.url = url
        sqlite = self.database.is_sqlite
        self.table = "stored_events" if sqlite else "ledger_events"
        self.pos = "rowid" if sqlite else "notification_id"

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Any]:
        """One committed transaction; statements use ``{table}``, ``{pos}`` and ``?``."""
        if self.database.is_sqlite:
            with contextlib.closing(sqlite3.connect(self.database.sqlite_path)) as db, db:
                yield _Statements(db.cursor(), self.table, self.pos, "?")
            return
        with psycopg.connect(postgres_dsn(self.url), connect_timeout=5) as conn:
            conn.execute(f'SET search_path TO "{self.database.schema}"'.encode())
            with conn.cursor() as cursor:
                yield _Statements(cursor, self.table, self.pos, "%s")

    def _item_param(self, item: uuid.UUID) -> Any:
        return item.hex if self.database.is_sqlite else item

    # --- the guard ---

    def drop_guard(self) -> None:
        """Drop the triggers refusing UPDATE and DELETE (and TRUNCATE) on the log and on
        its signatures: each must be there."""
        with self._cursor() as c:
            for table in (self.table, "ledger_signatures"):
                if self.database.is_sqlite:
                    c.run(f"DROP TRIGGER {table}_no_update")
                    c.run(f"DROP TRIGGER {table}_no_delete")
                else:
                    c.run(f"DROP TRIGGER ledger_events_no_change ON {table}")
                    c.run(f"DROP TRIGGER ledger_events_no_truncate ON {table}")

    # --- reading ---

    def rows(self) -> list[Row]:
        with self._cursor() as c:
            found = c.run(
                "SELECT {pos}, originator_id, originator_version, topic, state "
                "FROM {table} ORDER BY {pos}"
            )
        return [
            Row(int(p), _uuid(i), int(v), str(t), bytes(s) if s is not None else b"")
            for p, i, v, t, s in found
        ]

    def positions(self) -> list[int]:
        return [row.position for row in self.rows()]

    def row(self, position: int) -> Row:
        (found,) = [r for r in self.rows() if r.position == position]
        return found

    def seals(self) -> list[tuple[int, bytes]]:
        """The rows of ``rm_seal_chain`` (none when the table is not there yet)."""
        with self._cursor() as c:
            if not c.has_table("rm_seal_chain"):
                return []
            found = c.run("SELECT position, chain FROM rm_seal_chain ORDER BY position")
        return [(int(p), bytes(chain)) for p, chain in found]

    def checkpoints(self) -> list[int]:
        """The positions of the signed checkpoints."""
        with self._cursor() as c:
            found = c.run("SELECT last_position FROM ledger_signatures WHERE kind = 'checkpoint'")
        return [int(p) for (p,) in found]

    def seal_version(self) -> int:
        with self._cursor() as c:
            ((version,),) = c.run("SELECT version FROM projection_status WHERE name = 'seal'")
        return int(version)

    def make_chain_format_2(self) -> str:
        """Put the chain of format 2 (as an earlier ledger made it) in place of the seal
        chain, the seal projection at version 2; the seal of format 2 at its end."""
        chain, sealed = GENESIS, []
        for row in self.rows():
            chain = link_v2(chain, row.stored())
            sealed.append((row.position, chain))
        self.replace_seals(sealed)
        with self._cursor() as c:
            c.run("UPDATE projection_status SET version = 2 WHERE name = 'seal'")
        return str(Seal(sealed[-1][0], sealed[-1][1], 2))

    def seal_status(self) -> int | None:
        """Where the seal projection stands (None before it ever ran)."""
        with self._cursor() as c:
            if not c.has_table("projection_status"):
                return None
            found = c.run("SELECT position FROM projection_status WHERE name = 'seal'")
        return int(found[0][0]) if found else None

    # --- tampering ---

    def alter_state(self, position: int) -> None:
        """Change one character of the row's stored state (a digit, so it stays JSON)."""
        state = self.row(position).state
        index = next(i for i, byte in enumerate(state) if chr(byte).isdigit())
        digit = (state[index] - ord("0") + 1) % 10
        self.set_columns(position, state=state[:index] + str(digit).encode() + state[index + 1 :])

    def set_columns(self, position: int, **values: object) -> None:
        """UPDATE the row at ``position`` (columns: originator_id, originator_version,
        topic, state)."""
        params = [self._item_param(v) if isinstance(v, uuid.UUID) else v for v in values.values()]
        assignments = ", ".join(f"{column} = ?" for column in values)
        with self._cursor() as c:
            c.run(f"UPDATE {{table}} SET {assignments} WHERE {{pos}} = ?", (*params, position))
            assert c.rowcount == 1, f"no row at position {position}"

    def delete(self, *positions: int) -> None:
        with self._cursor() as c:
            for position in positions:
                c.run("DELETE FROM {table} WHERE {pos} = ?", (position,))
                assert c.rowcount == 1, f"no row at position {position}"

    def swap(self, first: int, second: int) -> None:
        """Exchange the contents of two positions."""
        with self._cursor() as c:
            for source, target in ((first, -1), (second, first), (-1, second)):
                c.run("UPDATE {table} SET {pos} = ? WHERE {pos} = ?", (target, source))
                assert c.rowcount == 1, f"no row at position {source}"

    def insert(
        self, position: int, like: Row, item: uuid.UUID | None = None, *, signed: bool = False
    ) -> Row:
        """Slip in at ``position`` a copy of ``like``'s event for another (new) item;
        ``signed``: with a signature by the suite's key, as a log written by an earlier
        version of the ledger, which did not check what it was given, would hold it."""
        row = Row(position, item or uuid.uuid4(), like.version, like.topic, like.state)
        with self._cursor() as c:
            c.run(
                "INSERT INTO {table} ({pos}, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)",
                (position, self._item_param(row.item), row.version, row.topic, row.state),
            )
            if signed:
                last = c.run("SELECT signature FROM ledger_signatures ORDER BY number DESC LIMIT 1")
                previous = hashlib.sha256(bytes(last[0][0])).digest() if last else GENESIS_LINK
                record = RowSigner(
                    Ed25519PrivateKey.from_private_bytes(TEST_SIGNING_KEY)
                ).sign_transaction([row.stored()], previous)
                c.run(
                    f"INSERT INTO ledger_signatures ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    signature_row(record),
                )
        return row

    def replace_seals(self, chain: Sequence[tuple[int, bytes]]) -> None:
        """Put ``chain`` in place of every row of ``rm_seal_chain``."""
        with self._cursor() as c:
            c.run("DELETE FROM rm_seal_chain")
            for position, value in chain:
                c.run(
                    "INSERT INTO rm_seal_chain (position, chain) VALUES (?, ?)", (position, value)
                )

    def run(self, template: str, params: tuple[object, ...] = ()) -> list[Any]:
        """One statement of someone with the database's password (``{table}``, ``{pos}``
        and ``?`` as in the other helpers), committed."""
        with self._cursor() as c:
            return c.run(template, params)

    def transaction_ends(self) -> list[int]:
        """The last position of each signed transaction."""
        with self._cursor() as c:
            found = c.run("SELECT last_position FROM ledger_signatures ORDER BY last_position")
        return [int(p) for (p,) in found]

    def delete_signatures_after(self, position: int) -> None:
        """Remove the signatures of every transaction ending after ``position``."""
        with self._cursor() as c:
            c.run("DELETE FROM ledger_signatures WHERE last_position > ?", (position,))

    def delete_seals_after(self, position: int) -> None:
        with self._cursor() as c:
            c.run("DELETE FROM rm_seal_chain WHERE position > ?", (position,))

    def restart_seal_projection(self) -> None:
        """Empty ``rm_seal_chain`` and set the seal projection back to the first event, so
        that the next run seals the log as it now stands."""
        with self._cursor() as c:
            c.run("DELETE FROM rm_seal_chain")
            c.run("UPDATE projection_status SET position = 0 WHERE name = 'seal'")
            assert c.rowcount == 1


def chain_of(rows: Sequence[Row]) -> list[tuple[int, bytes]]:
    """The seal chain of ``rows``, computed as the projection does."""
    chain, sealed = GENESIS, []
    for row in rows:
        chain = link(chain, row.stored())
        sealed.append((row.position, chain))
    return sealed


class _Statements:
    """A cursor taking ``{table}``/``{pos}`` templates and ``?`` placeholders."""

    def __init__(self, cursor: Any, table: str, pos: str, mark: str) -> None:
        self.cursor, self.table, self.pos, self.mark = cursor, table, pos, mark

    @property
    def rowcount(self) -> int:
        return int(self.cursor.rowcount)

    def run(self, template: str, params: tuple[object, ...] = ()) -> list[Any]:
        statement = template.format(table=self.table, pos=self.pos).replace("?", self.mark)
        self.cursor.execute(statement.encode() if self.mark == "%s" else statement, params)
        return list(self.cursor.fetchall()) if self.cursor.description else []

    def has_table(self, name: str) -> bool:
        if self.mark == "?":
            query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            query = "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?"
        return bool(self.run(query, (name,)))


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
