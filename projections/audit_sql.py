"""The audit index rows, extracted from the stored events by the database itself.

The stored state is the event's JSON as the eventsourcing library wrote it; where each
field sits in it is ``projections.stored_json``'s to say.
Times are stored in UTC, in the form SQLAlchemy reads back on each database.
The lag between business time and record time counts whole seconds (each time cut
to its second first), which both databases work out exactly alike.
"""

from __future__ import annotations

from projections.stored_json import AUDIT_FIELDS, postgres_text, sqlite_path

COLUMNS = (
    "position, item_id, item_type, version, event_type, actor_id, actor_role, "
    "actor_unit, occurred_at, recorded_at, request_id, imported, lag_seconds"
)

SQLITE = """
WITH stored AS MATERIALIZED (
  SELECT rowid AS position, originator_version AS version, originator_id,
         substr(topic, instr(topic, ':') + 1) AS qualname,
         {fields}
  FROM {events}
  WHERE rowid BETWEEN ? AND ? AND topic NOT LIKE 'domain.receipt:%'
), seconds AS MATERIALIZED (
  SELECT *, {occurred_whole} AS occurred_whole, {recorded_whole} AS recorded_whole FROM stored
)
SELECT position, {item_uuid}, substr(qualname, 1, instr(qualname, '.') - 1), version,
       substr(qualname, instr(qualname, '.') + 1), actor_id, actor_role,
       CASE WHEN unit_hex IS NULL THEN NULL ELSE {unit_uuid} END,
       datetime(occurred_whole) || {occurred_fraction},
       datetime(recorded_whole) || {recorded_fraction}, request_id, imported,
       CAST(strftime('%s', recorded_whole) AS INTEGER)
       - CAST(strftime('%s', occurred_whole) AS INTEGER)
FROM seconds
"""
"""SQLite parses each event's JSON once: the json_extract calls of one row share the
parse. The fields are taken out once (materialised), and each time is cut to its whole
second once, for the outer query to convert (``datetime`` gives UTC)."""


def _fraction(column: str) -> str:
    """SQLite: the fraction of a second of an ISO time, as '.ffffff' (set aside: SQLite's
    time functions round to milliseconds)."""
    return (
        f"CASE WHEN substr({column}, 20, 1) = '.' THEN substr({column}, 20, 7) ELSE '.000000' END"
    )


def _whole_seconds(column: str) -> str:
    """SQLite: an ISO time without its fraction of a second, its offset kept."""
    return (
        f"substr({column}, 1, 19) || "
        f"substr({column}, CASE WHEN substr({column}, 20, 1) = '.' THEN 27 ELSE 20 END)"
    )


POSTGRES = """
INSERT INTO rm_audit_events ({columns})
SELECT notification_id, originator_id::text, split_part(qualname, '.', 1), originator_version,
       substr(qualname, strpos(qualname, '.') + 1), {actor_id},
       {actor_role},
       ({unit_hex})::uuid::text,
       occurred, recorded, {request_id}, ({imported})::boolean,
       extract(epoch FROM date_trunc('second', recorded))::bigint
       - extract(epoch FROM date_trunc('second', occurred))::bigint
FROM (
  SELECT notification_id, originator_id, originator_version, qualname, doc,
         ({occurred})::timestamptz AS occurred,
         ({recorded})::timestamptz AS recorded
  FROM (
    SELECT notification_id, originator_id, originator_version, qualname,
           (CASE WHEN strpos(json, '\\u') = 0 THEN json ELSE {storable} END)::jsonb AS doc
    FROM (
      SELECT notification_id, originator_id, originator_version,
             split_part(topic, ':', 2) AS qualname, convert_from(state, 'UTF8') AS json
      FROM {events}
      WHERE notification_id BETWEEN %s AND %s AND topic NOT LIKE 'domain.receipt:%%'
      OFFSET 0
    ) AS stored
    OFFSET 0
  ) AS parsed
  OFFSET 0
) AS timed
"""
"""PostgreSQL parses each event's JSON once (``jsonb``); each time is read once. The
``OFFSET 0`` fences keep the planner from folding the stages back into one, where each
use of a column would work it out again. A document holding a ``\\u`` escape (the
library writes one only for a control character) is first made storable: ``jsonb``
refuses the escapes of NUL and of a lone surrogate (``STORABLE_JSON``)."""

STORABLE_JSON = (
    r"replace(regexp_replace(regexp_replace(replace(replace(json, '\\', chr(1)), "
    r"'\u0000', '\u2400'), "
    r"'\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})', '\\ufffd', 'g'), "
    r"'(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}', '\\ufffd', 'g'), "
    r"chr(1), '\\')"
)
"""PostgreSQL: a stored event's JSON text with the escapes ``jsonb`` refuses replaced as
``projections.storable`` replaces the characters: NUL's (``\\u0000``) by U+2400's, a
lone surrogate's by U+FFFD's. Each escaped backslash (``\\\\``) is first set aside as
U+0001, which valid JSON never holds raw, so the backslash of ``\\\\u0000`` (text
that only looks like an escape) is never taken for one; then put back."""


def audit_rows_sql(dialect: str, events_table: str) -> str:
    """The INSERT ... SELECT that indexes the log between two positions (inclusive)."""
    if dialect == "sqlite":
        return f"INSERT INTO rm_audit_events ({COLUMNS})\n{sqlite_audit_select(events_table)}"
    fields = {name: postgres_text("doc", name) for name in AUDIT_FIELDS}
    return POSTGRES.format(columns=COLUMNS, events=events_table, storable=STORABLE_JSON, **fields)


def sqlite_audit_select(events_table: str) -> str:
    """SQLite: the SELECT of the audit rows of the log between two positions (inclusive),
    in the order of ``COLUMNS``."""
    fields = ",\n         ".join(
        f"json_extract(state, '{sqlite_path(name)}') AS {name}" for name in AUDIT_FIELDS
    )
    return SQLITE.format(
        events=events_table,
        fields=fields,
        unit_uuid=dashed_uuid("unit_hex"),
        item_uuid=dashed_uuid("originator_id"),
        occurred_whole=_whole_seconds("occurred"),
        recorded_whole=_whole_seconds("recorded"),
        occurred_fraction=_fraction("occurred"),
        recorded_fraction=_fraction("recorded"),
    )


def dashed_uuid(column: str) -> str:
    """SQLite: a UUID kept as 32 hex digits, as PostgreSQL and Python write it:
    dashed and lower case."""
    return (
        f"lower(substr({column}, 1, 8) || '-' || substr({column}, 9, 4) || '-' || "
        f"substr({column}, 13, 4) || '-' || substr({column}, 17, 4) || '-' || "
        f"substr({column}, 21))"
    )
