"""Finding an item's node by its id, in the read models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from strawberry.types import Info

from api.schema.ids import parse_id
from api.schema.nodes import NODE_KINDS, Node
from domain.errors import ValidationError
from projections import tables as t
from projections.views.listing import rows_by_id


async def node_by_id(info: Info[Any, Any], value: str) -> Node | None:
    """The node with this global id (or bare UUID); None when there is none."""
    services = info.context.services
    try:
        item_type, item_id = parse_id("id", value)
    except ValidationError:
        return None
    if item_type is None:
        item_type = await services.read(_item_type_of, str(item_id))
        if item_type is None:
            return None
    kind, build = NODE_KINDS[item_type]
    rows = await services.read(rows_by_id, kind, [str(item_id)])
    row = rows.get(str(item_id))
    return build(row, info) if row is not None else None


def _item_type_of(conn: Connection, item_id: str) -> str | None:
    a = t.audit_events
    found = conn.execute(select(a.c.item_type).where(a.c.item_id == item_id).limit(1)).scalar()
    return str(found) if found is not None and found in NODE_KINDS else None
