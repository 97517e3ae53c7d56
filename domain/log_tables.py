"""SQL on the log's own tables: the events table's name, the log positions of an item's
events, one statement run in its own transaction, and the append-only guard the database
itself keeps on the events and their signatures."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.drivers import is_postgres
from domain.errors import StorageError
from domain.memory_log import MemoryRecorder

SIGNATURES = "ledger_signatures"
"""The table of the signatures over the log's rows (``domain.signed_log``)."""


def events_table(recorder: ApplicationRecorder) -> str:
    """The qualified name of the table holding the log."""
    if is_postgres(recorder):
        return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
    if isinstance(recorder, SQLiteApplicationRecorder):
        return recorder.events_table_name
    raise StorageError(f"unsupported recorder {type(recorder).__name__}")


def event_position(recorder: ApplicationRecorder, item_id: UUID, version: int) -> int:
    """The log position (notification id) of version ``version`` of ``item_id``."""
    if isinstance(recorder, MemoryRecorder):
        found = recorder.positions(item_id).get(version)
        rows = [] if found is None else [(found,)]
    else:
        rows = run_sql(recorder, _position_sql(recorder), (_id_param(recorder, item_id), version))
    if not rows:
        raise StorageError(f"no event {version} of {item_id} in the log")
    return int(rows[0][0])


def item_positions(recorder: ApplicationRecorder, item_id: UUID) -> dict[int, int]:
    """The log position of each version of ``item_id`` (one query)."""
    if isinstance(recorder, MemoryRecorder):
        return recorder.positions(item_id)
    column = "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"
    sql = (
        f"SELECT originator_version, {column} FROM {events_table(recorder)} WHERE originator_id = ?"
    )
    return {int(v): int(p) for v, p in run_sql(recorder, sql, (_id_param(recorder, item_id),))}


def install_append_only_guard(recorder: ApplicationRecorder) -> None:
    """Make the database itself refuse UPDATE, DELETE (and TRUNCATE) on the log and on
    its signatures."""
    for table in _guarded_tables(recorder):
        if isinstance(recorder, SQLiteApplicationRecorder):
            for op in ("UPDATE", "DELETE"):
                run_sql(
                    recorder,
                    (
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} "
                        f"ON {table} BEGIN SELECT RAISE(ABORT, "
                        f"'ledger {_kind(table)} are append-only: {op} refused'); END"
                    ),
                    (),
                )
            continue
        assert is_postgres(recorder)
        schema = f'"{recorder.datastore.schema}"'
        for statement in _postgres_guard(schema, table):
            run_sql(recorder, statement, ())


def _guarded_tables(recorder: ApplicationRecorder) -> list[str]:
    """The log's table, and the signatures' where the recorder signs."""
    tables = [events_table(recorder)]
    if run_sql(recorder, _table_exists_sql(recorder), (SIGNATURES,)):
        tables.append(
            SIGNATURES
            if isinstance(recorder, SQLiteApplicationRecorder)
            else f'"{recorder.datastore.schema}"."{SIGNATURES}"'  # type: ignore[attr-defined]
        )
    return tables


def _kind(table: str) -> str:
    return "signatures" if SIGNATURES in table else "events"


def _table_exists_sql(recorder: ApplicationRecorder) -> str:
    if isinstance(recorder, SQLiteApplicationRecorder):
        return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    schema = recorder.datastore.schema  # type: ignore[attr-defined]
    return f"SELECT 1 FROM pg_tables WHERE schemaname = '{schema}' AND tablename = ?"


def run_sql(recorder: ApplicationRecorder, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Run one statement in its own committed transaction on the recorder's database."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    assert is_postgres(recorder)
    with recorder.datastore.transaction(commit=True) as pg_cursor:
        pg_cursor.execute(sql.replace("?", "%s").encode(), params or None)
        return (
            [tuple(row.values()) for row in pg_cursor.fetchall()] if pg_cursor.description else []
        )


def _position_sql(recorder: ApplicationRecorder) -> str:
    column = "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"
    return (
        f"SELECT {column} FROM {events_table(recorder)} "
        "WHERE originator_id = ? AND originator_version = ?"
    )


def _id_param(recorder: ApplicationRecorder, item_id: UUID) -> Any:
    return item_id.hex if isinstance(recorder, SQLiteApplicationRecorder) else item_id


def _postgres_guard(schema: str, table: str) -> list[str]:
    function = f"{schema}.ledger_refuse_change"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'ledger events are append-only: % refused', TG_OP; END $$",
        f"CREATE OR REPLACE TRIGGER ledger_events_no_change BEFORE UPDATE OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE OR REPLACE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]
