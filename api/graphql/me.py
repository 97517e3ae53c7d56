"""``me``: who the caller's token acts as, so that a page can show the menus of its role
and a unit's pages their unit, without being told twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.enums import Role
from api.graphql.guards import Allowed
from api.graphql.unit_node import Unit, unit_node


@strawberry.type(description="The holder of the token a request carries.")
class Me:
    actor: str = strawberry.field(description="The actor id the token acts as (its name).")
    role: Role
    unit_id: strawberry.Private[str | None]
    token_expires_at: datetime = strawberry.field(description="When the token stops working.")

    @strawberry.field(description="The unit a unit's token acts for; null for other roles.")
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)


@strawberry.type
class MeQueries:
    @strawberry.field(
        permission_classes=[Allowed],
        description="Who the request's token acts as: its actor, role, unit and expiry.",
    )
    def me(self, info: Info[Context, Any]) -> Me:
        actor = info.context.actor
        principal = info.context.principal
        assert principal is not None  # every operation runs authenticated
        return Me(
            actor=actor.id,
            role=actor.role,
            unit_id=str(actor.unit) if actor.unit is not None else None,
            token_expires_at=principal.expires_at,
        )
