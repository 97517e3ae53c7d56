"""Finding an item's node by its id, in the read models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, exists, or_, select
from strawberry.types import Info

from api.graphql.global_ids import parse_id
from api.graphql.nodes import NODE_KINDS
from api.graphql.unit_node import Node
from domain.errors import ValidationError
from projections import tables as t
from projections.views.listing import LISTINGS, UNIT_COLUMNS, rows_by_id, unit_item_ids

if TYPE_CHECKING:
    from api.runtime.services import Services


async def node_by_id(info: Info[Any, Any], value: str, unit: str | None = None) -> Node | None:
    """The node with this global id (or bare UUID); None when there is none, or when
    ``unit`` is given and the item does not concern it (the same answer: a unit does
    not learn that another unit's item exists, not even by the work it takes: for a unit,
    both are told by the one statement of ``_type_for_unit``)."""
    services = info.context.services
    try:
        item_type, item_id = parse_id("id", value)
    except ValidationError:
        return None
    if unit is not None:
        found = await services.read(_type_for_unit, str(item_id), unit)
        if found is None or item_type not in (None, found):
            return None
        item_type = found
    elif item_type is None:
        item_type = await services.read(_item_type_of, str(item_id))
        if item_type is None:
            return None
    if item_type not in NODE_KINDS:
        return None  # an item read through a view and its history, not as a node
    kind, build = NODE_KINDS[item_type]
    rows = await services.read(rows_by_id, kind, [str(item_id)])
    row = rows.get(str(item_id))
    if row is None:
        return None
    node: Node = build(row, info)
    return node


async def concerns_unit(info: Info[Any, Any], item_id: str, unit: str) -> bool:
    """Whether the item (of any type) concerns the unit, by the read models: one
    statement, the same whether the item is another unit's or not there at all."""
    return await concerns_unit_of(info.context.services, item_id, unit)


async def concerns_unit_of(services: Services, item_id: str, unit: str) -> bool:
    """``concerns_unit``, for a caller holding the services alone (a shared live feed)."""
    found = await services.read(_type_for_unit, item_id, unit)
    return found is not None


def _item_type_of(conn: Connection, item_id: str) -> str | None:
    a = t.audit_events
    found = conn.execute(select(a.c.item_type).where(a.c.item_id == item_id).limit(1)).scalar()
    return str(found) if found is not None and found in NODE_KINDS else None


def _zone_wide(item_type: str) -> bool:
    """Items that concern every unit (the legacy targets): their listing names no unit."""
    table = LISTINGS[NODE_KINDS[item_type][0]].table
    return table not in (t.units, t.tasks) and not any(c in table.c for c in UNIT_COLUMNS)


ZONE_WIDE = tuple(item_type for item_type in NODE_KINDS if _zone_wide(item_type))


def _type_for_unit(conn: Connection, item_id: str, unit: str) -> str | None:
    """The item's type if the item exists and concerns the unit; None otherwise. One
    statement whatever the answer: an item of another unit and an id that names nothing
    take the same reads, so neither the answer nor the work tells one from the other."""
    a = t.audit_events
    concerned = unit_item_ids(unit).subquery()
    concerns = exists(select(concerned.c.id).where(concerned.c.id == item_id))
    query = (
        select(a.c.item_type)
        .where(
            a.c.item_id == item_id,
            a.c.item_type.in_(list(NODE_KINDS)),
            or_(a.c.item_type.in_(ZONE_WIDE), concerns),
        )
        .limit(1)
    )
    found = conn.execute(query).scalar()
    return None if found is None else str(found)
