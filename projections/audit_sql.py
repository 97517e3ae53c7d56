"""The audit index rows, extracted from the stored events by the database itself.

The stored state is the event's JSON as the eventsourcing library wrote it:
values of the ledger's own types are wrapped as ``{"_type_": ..., "_data_": ...}``.
Times are stored in UTC, in the form SQLAlchemy reads back on each database.
The lag between business time and record time counts whole seconds (each time cut
to its second first), which both databases work out exactly alike.
"""

from __future__ import annotations

from projections.stored_rows import dashed_uuid

COLUMNS = (
    "position, item_id, item_type, version, event_type, actor_id, actor_role, "
    "actor_unit, occurred_at, recorded_at, request_id, imported, lag_seconds"
)

SQLITE = """
WITH stored AS MATERIALIZED (
  SELECT rowid AS position, originator_version AS version, originator_id,
         substr(topic, instr(topic, ':') + 1) AS qualname,
         json_extract(state, '$.actor._data_.id') AS actor_id,
         json_extract(state, '$.actor._data_.role._data_') AS actor_role,
         json_extract(state, '$.actor._data_.unit._data_') AS unit_hex,
         json_extract(state, '$.occurred_at._data_') AS occurred,
         json_extract(state, '$.timestamp._data_') AS recorded,
         json_extract(state, '$.request_id') AS request_id,
         json_extract(state, '$.imported') AS imported
  FROM {events}
  WHERE rowid BETWEEN ? AND ? AND topic NOT LIKE 'domain.receipt:%'
)
INSERT INTO rm_audit_events ({columns})
SELECT position, {item_uuid}, substr(qualname, 1, instr(qualname, '.') - 1), version,
       substr(qualname, instr(qualname, '.') + 1), actor_id, actor_role,
       CASE WHEN unit_hex IS NULL THEN NULL ELSE {unit_uuid} END,
       {occurred_utc}, {recorded_utc}, request_id, imported,
       {recorded_epoch} - {occurred_epoch}
FROM stored
"""
"""SQLite parses each event's JSON once: the json_extract calls of one row share the
parse. The fields are taken out once (materialised), for the outer query to convert."""


def _utc_text(column: str) -> str:
    """SQLite: an ISO time with any offset, as UTC 'YYYY-MM-DD HH:MM:SS.ffffff'. The
    fraction is set aside first: strftime would round it to milliseconds."""
    fraction = f"CASE WHEN {_has_fraction(column)} THEN substr({column}, 20, 7) ELSE '.000000' END"
    return f"strftime('%Y-%m-%d %H:%M:%S', {_whole_seconds(column)}) || {fraction}"


def _epoch_seconds(column: str) -> str:
    """SQLite: the whole seconds since 1970 of an ISO time with any offset."""
    return f"CAST(strftime('%s', {_whole_seconds(column)}) AS INTEGER)"


def _has_fraction(column: str) -> str:
    return f"substr({column}, 20, 1) = '.'"


def _whole_seconds(column: str) -> str:
    """The ISO time without its fraction of a second, offset kept."""
    return (
        f"substr({column}, 1, 19) || CASE WHEN {_has_fraction(column)} "
        f"THEN substr({column}, 27) ELSE substr({column}, 20) END"
    )


POSTGRES = """
INSERT INTO rm_audit_events ({columns})
SELECT notification_id, originator_id::text, split_part(qualname, '.', 1), originator_version,
       substr(qualname, strpos(qualname, '.') + 1), doc->'actor'->'_data_'->>'id',
       doc->'actor'->'_data_'->'role'->>'_data_',
       (doc->'actor'->'_data_'->'unit'->>'_data_')::uuid::text,
       (doc->'occurred_at'->>'_data_')::timestamptz, (doc->'timestamp'->>'_data_')::timestamptz,
       doc->>'request_id', (doc->>'imported')::boolean,
       extract(epoch FROM date_trunc('second', (doc->'timestamp'->>'_data_')::timestamptz))
         ::bigint
       - extract(epoch FROM date_trunc('second', (doc->'occurred_at'->>'_data_')::timestamptz))
         ::bigint
FROM (
  SELECT notification_id, originator_id, originator_version,
         split_part(topic, ':', 2) AS qualname, convert_from(state, 'UTF8')::jsonb AS doc
  FROM {events}
  WHERE notification_id BETWEEN %s AND %s AND topic NOT LIKE 'domain.receipt:%%'
  OFFSET 0
) AS stored
"""


def audit_rows_sql(dialect: str, events_table: str) -> str:
    """The INSERT ... SELECT that indexes the log between two positions (inclusive)."""
    if dialect == "sqlite":
        return SQLITE.format(
            columns=COLUMNS,
            events=events_table,
            unit_uuid=dashed_uuid("unit_hex"),
            item_uuid=dashed_uuid("originator_id"),
            occurred_utc=_utc_text("occurred"),
            recorded_utc=_utc_text("recorded"),
            occurred_epoch=_epoch_seconds("occurred"),
            recorded_epoch=_epoch_seconds("recorded"),
        )
    return POSTGRES.format(columns=COLUMNS, events=events_table)
