"""The library's wire format: a stored event's ``state``, the one place it is read.

The eventsourcing library stores an event as the JSON of its fields, each value of a
type JSON lacks wrapped as ``{"_type_": ..., "_data_": ...}`` (a UUID as
``{"_type_": "uuid_hex", "_data_": "<32 hex digits>"}``, a time as its ISO text).
Python reads it here (``stored_fields``); the databases read it in the audit index's
SQL (``projections.audit_sql``) through the paths written here (``sqlite_path``,
``postgres_text``), so no other module spells the format out.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from domain.meta import COMMON_FIELDS

TYPE, DATA = "_type_", "_data_"
UUID_HEX = "uuid_hex"

AUDIT_FIELDS: dict[str, tuple[str, ...]] = {
    "actor_id": ("actor", DATA, "id"),
    "actor_role": ("actor", DATA, "role", DATA),
    "unit_hex": ("actor", DATA, "unit", DATA),
    "occurred": ("occurred_at", DATA),
    "recorded": ("timestamp", DATA),
    "request_id": ("request_id",),
    "imported": ("imported",),
}
"""Where each field the audit index takes sits in a stored event's JSON."""


def sqlite_path(field: str) -> str:
    """SQLite's JSON path of an audit field (``$.actor._data_.id``)."""
    return "$." + ".".join(AUDIT_FIELDS[field])


def postgres_text(document: str, field: str) -> str:
    """PostgreSQL's expression for an audit field of ``document`` (a ``jsonb``), as text
    (``doc->'actor'->'_data_'->>'id'``)."""
    *steps, last = AUDIT_FIELDS[field]
    return document + "".join(f"->'{step}'" for step in steps) + f"->>'{last}'"


def stored_fields(stored: bytes | str) -> dict[str, Any]:
    """Every field of a stored event, with the type wrappers taken off (ids dashed)."""
    fields: dict[str, Any] = json.loads(stored, object_hook=_unwrap)
    return fields


def event_data(stored: bytes | str) -> dict[str, Any]:
    """The event's own fields from its stored JSON, with the type wrappers taken off."""
    return {k: v for k, v in stored_fields(stored).items() if k not in COMMON_FIELDS}


def _unwrap(obj: dict[str, Any]) -> Any:
    if obj.keys() == {TYPE, DATA}:
        data = obj[DATA]
        return _dashed(data) if obj[TYPE] == UUID_HEX else data
    return obj


def _dashed(value: Any) -> Any:
    try:
        return str(UUID(value))
    except (TypeError, ValueError):
        return value
