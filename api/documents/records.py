"""What the documents read beside the views: an item's own events from the audit index
(an interview's reason and cited items, a referral's evidence), the items they cite by
name, and units' names. Read only; every function takes the one connection a document is
read in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from api.labels import label
from domain.channels import Channel
from domain.meta import Role
from projections import tables as t
from projections.views.audit_index import AuditEntry, AuditFilter, audit_events

ITEM_TYPES = {
    "Task": "督办事项",
    "Complaint": "投诉件",
    "LegacyIssue": "历史遗留问题",
    "LegacyTarget": "化解目标",
    "Interview": "约谈",
    "Referral": "移交纪检监察",
    "Assessment": "考核",
    "Unit": "单位",
    "Measure": "整改措施",
    "Enterprise": "企业",
}
"""Item types in the reviewers' words (as the pages' timeline names them)."""


WITHHELD = "另有{}项不在本单位可见范围，未予列明。"
"""The note under a unit's own document for what it may not see (never described)."""

EVERYTHING = AuditFilter()
"""What the office, inspectors and leaders see: the whole trail."""


def sight_of(unit: str | None, hidden_item_types: tuple[str, ...]) -> AuditFilter:
    """What a requester sees of the trail: as the GraphQL ``events`` query filters it for a
    unit (only items concerning it, none of the types hidden from its role)."""
    if unit is None:
        return EVERYTHING
    return AuditFilter(concerning_unit=unit, hidden_item_types=hidden_item_types)


def entries(conn: Connection, where: AuditFilter, limit: int = 500) -> list[AuditEntry]:
    """The audit index's entries matching ``where``, oldest first."""
    return audit_events(conn, where, backdated_after_hours=1 << 20, limit=limit)


def created(conn: Connection, item_id: str, item_type: str) -> AuditEntry | None:
    """The event that created the item (its version 1), if it is of ``item_type``."""
    found = entries(conn, AuditFilter(item_id=item_id, item_type=item_type), limit=1)
    return found[0] if found and found[0].version == 1 else None


def unit_names(conn: Connection) -> dict[str, str]:
    return {str(i): str(n) for i, n in conn.execute(select(t.units.c.id, t.units.c.name))}


def role_words(role: Role) -> str:
    """督办办公室, 责任单位, ...: a role in the documents' words."""
    return label(role)


def actor_text(entry: AuditEntry, names: dict[str, str]) -> str:
    """Who recorded it: the principal, its role and unit (``office-zhang（督办办公室）``)."""
    role = label(Role(entry.actor_role))
    unit = names.get(entry.actor_unit or "", "")
    return f"{entry.actor_id}（{role}{'，' + unit if unit else ''}）"


def cited_rows(
    conn: Connection, ids: Sequence[str], sight: AuditFilter = EVERYTHING
) -> tuple[tuple[tuple[str, str], ...], int]:
    """Each cited item ``sight`` lets the requester see as (its type, what it is): a task
    by number and title, a legacy problem by title, a case by channel and day of receipt;
    in the order cited. With the number of those left out (another unit's, say)."""
    rows: list[tuple[str, str]] = []
    withheld = 0
    for item_id in (str(UUID(str(i))) for i in ids):
        if not _sees(conn, sight, item_id):
            withheld += 1
            continue
        entry = created(conn, item_id, _type_of(conn, item_id))
        kind = entry.item_type if entry is not None else ""
        rows.append((ITEM_TYPES.get(kind, kind or "（未知）"), _describe(conn, kind, item_id)))
    return tuple(rows), withheld


def _sees(conn: Connection, sight: AuditFilter, item_id: str) -> bool:
    if sight == EVERYTHING:
        return True
    return bool(entries(conn, replace(sight, item_id=item_id), limit=1))


def _type_of(conn: Connection, item_id: str) -> str:
    a = t.audit_events
    found = conn.execute(select(a.c.item_type).where(a.c.item_id == item_id).limit(1)).scalar()
    return str(found or "")


def _describe(conn: Connection, kind: str, item_id: str) -> str:
    row = _row(conn, kind, item_id)
    if row is None:
        return item_id
    if kind == "Task":
        number = f"第{row['number']}项 " if row["number"] is not None else ""
        return f"{row['plan_year']}年{number}{row['title']}"
    if kind == "Complaint":
        channel = label(Channel(row["channel"]))
        return f"{channel}投诉件，{row['received_on']:%Y年%m月%d日}受理"
    if kind in ("Interview", "Referral"):
        return f"对{unit_names(conn).get(row['unit'], row['unit'])}的{ITEM_TYPES[kind]}"
    return str(row.get("title") or row.get("name") or item_id)


def _row(conn: Connection, kind: str, item_id: str) -> dict[str, Any] | None:
    table = {
        "Task": t.tasks,
        "Complaint": t.complaints,
        "LegacyIssue": t.legacy_issues,
        "Unit": t.units,
        "Interview": t.interviews,
        "Referral": t.referrals,
    }.get(kind)
    if table is None:
        return None
    found = conn.execute(select(table).where(table.c.id == item_id)).first()
    return None if found is None else dict(found._mapping)
