"""Finding an item's node by its id, in the read models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from strawberry.types import Info

from api.schema.ids import parse_id
from api.schema.nodes import NODE_KINDS, Node
from domain.errors import ValidationError
from projections import tables as t
from projections.views.listing import concerns, rows_by_id


async def node_by_id(info: Info[Any, Any], value: str, unit: str | None = None) -> Node | None:
    """The node with this global id (or bare UUID); None when there is none, or when
    ``unit`` is given and the item does not concern it (the same answer: a unit does
    not learn that another unit's item exists)."""
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
    if row is None:
        return None
    if unit is not None and not await services.read(concerns, kind, str(item_id), unit):
        return None
    node: Node = build(row, info)
    return node


async def concerns_unit(info: Info[Any, Any], item_id: str, unit: str) -> bool:
    """Whether the item (of any type) concerns the unit, by the read models."""
    services = info.context.services
    item_type = await services.read(_item_type_of, item_id)
    if item_type is None:
        return False
    kind, _ = NODE_KINDS[item_type]
    found: bool = await services.read(concerns, kind, item_id, unit)
    return found


def _item_type_of(conn: Connection, item_id: str) -> str | None:
    a = t.audit_events
    found = conn.execute(select(a.c.item_type).where(a.c.item_id == item_id).limit(1)).scalar()
    return str(found) if found is not None and found in NODE_KINDS else None
