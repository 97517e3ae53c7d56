"""The ``Node`` interface every item's type implements, and the unit: the node the others
refer to, loaded in batches (one query for a whole page), never one query per row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.enums import (
    UnitKind,
    UnitState,
)
from api.graphql.global_ids import global_id
from domain.unit import GROUP_LABELS


@strawberry.interface(description="An item of the ledger, found again by its id with `node`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Global id, as `Task:<uuid>`.")
    item_id: str = strawberry.field(description="The item's UUID in the log.")
    version: int = strawberry.field(description="How many events the item has.")


async def unit_node(info: Info[Any, Any], unit_id: str | None) -> Unit | None:
    if unit_id is None:
        return None
    row = await info.context.loaders.units.load(unit_id)
    return Unit.from_row(row) if row is not None else None


async def unit_nodes(info: Info[Any, Any], unit_ids: list[str]) -> list[Unit]:
    rows = await info.context.loaders.units.load_many(unit_ids)
    return [Unit.from_row(row) for row in rows if row is not None]


@strawberry.type(description="A responsible unit (区直部门, 街道, 驻区单位).")
class Unit(Node):
    name: str
    kind: UnitKind
    state: UnitState
    merged_into_id: strawberry.Private[str | None]

    @strawberry.field(description="The unit it was merged into, if merged.")
    async def merged_into(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.merged_into_id)

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Unit:
        return cls(
            id=strawberry.ID(global_id("Unit", r["id"])),
            item_id=r["id"],
            version=r["version"],
            name=r["name"],
            kind=UnitKind(r["kind"]),
            state=UnitState(r["state"]),
            merged_into_id=r["merged_into"],
        )


@strawberry.type(
    description="Every unit of one kind, as a plan names them at once (各街道: every 街道): "
    "a rule, met by the units of the kind registered after it was named too."
)
class UnitGroup:
    kind: UnitKind
    label: str = strawberry.field(description="How the plan says it: 各街道, 区直各部门各单位.")

    @classmethod
    def of(cls, kind: str) -> UnitGroup:
        found = UnitKind(kind)
        return cls(kind=found, label=GROUP_LABELS[found])


def unit_from_row(r: dict[str, Any], _: Info[Any, Any]) -> Unit:
    return Unit.from_row(r)


def aware(moment: datetime) -> datetime:
    """A stored time with its offset (SQLite keeps UTC without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
