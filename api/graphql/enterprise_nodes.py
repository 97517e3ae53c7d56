"""Enterprises served one-to-one (服务企业) and their service contracts (服务契约) as
GraphQL nodes."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql.enums import EnterpriseState
from api.graphql.global_ids import global_id
from api.graphql.guards import Allowed
from api.graphql.pages import Connection
from api.graphql.unit_node import Node, Unit, unit_node
from api.graphql.work_nodes import Complaint
from api.permissions import Rule
from projections.views.listing import Criteria


@strawberry.type(
    description="The person serving an enterprise one-to-one (一对一服务), with their post."
)
class ServingPerson:
    name: str
    post: str
    unit_id: strawberry.Private[str | None]

    @strawberry.field(description="The unit they serve in, where it is not the serving agency.")
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)


@strawberry.type(description="A service contract (服务契约) an agency signed with an enterprise.")
class ServiceContract:
    commitments: list[str] = strawberry.field(description="What the agency commits to.")
    term_from: date
    term_to: date
    signed_on: date
    closed_on: date | None = strawberry.field(description="Null while it is in force.")
    agency_id: strawberry.Private[str]

    @strawberry.field(description="The agency bound by the contract.")
    async def agency(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.agency_id)

    @strawberry.field(description="A term as `from/to` (ISO dates).")
    def term(self) -> str:
        return f"{self.term_from.isoformat()}/{self.term_to.isoformat()}"


@strawberry.type(description="An enterprise the zone serves one-to-one (契约式服务).")
class Enterprise(Node):
    state: EnterpriseState
    name: str
    credit_code: str = strawberry.field(
        description="The unified social credit code (统一社会信用代码, GB 32100-2015)."
    )
    served_by: ServingPerson
    contract: ServiceContract | None = strawberry.field(
        description="The last contract signed, in force unless closed; null before any."
    )
    unit_id: strawberry.Private[str]

    @strawberry.field(description="The agency serving it.")
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @strawberry.field(
        permission_classes=[Allowed],
        description="The cases naming it (its 诉求), oldest received first, as `complaints` "
        "lists them (for a unit's staff, those of their unit).",
    )
    async def complaints(
        self, info: Info[Any, Any], first: int | None = None, after: str | None = None
    ) -> Connection[Complaint]:
        from api.graphql.item_queries import complaints_listed

        naming = Criteria(equal={"enterprise": self.item_id})
        return await complaints_listed(info, naming, first, after)

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> Enterprise:
        person, c = r["served_by"], r["contract"]
        return cls(
            id=strawberry.ID(global_id("Enterprise", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=EnterpriseState(r["state"]),
            name=r["name"],
            credit_code=r["credit_code"],
            served_by=ServingPerson(
                name=person["name"], post=person["post"], unit_id=person["unit"]
            ),
            contract=None
            if c is None
            else ServiceContract(
                commitments=list(c["commitments"]),
                term_from=date.fromisoformat(c["term_from"]),
                term_to=date.fromisoformat(c["term_to"]),
                signed_on=date.fromisoformat(c["signed_on"]),
                closed_on=None if c["closed_on"] is None else date.fromisoformat(c["closed_on"]),
                agency_id=r["agency"],
            ),
            unit_id=r["unit"],
        )


async def enterprise_node(info: Info[Any, Any], enterprise_id: str | None) -> Enterprise | None:
    """The registered enterprise of ``enterprise_id`` as the caller may see it: none for a
    unit's staff when it does not concern their unit."""
    if enterprise_id is None:
        return None
    from api.graphql.lookup import node_by_id

    actor = info.context.actor
    confined = permissions.field_rule(actor.role, "node") is Rule.OWN
    unit = str(actor.unit) if confined else None
    found = await node_by_id(info, global_id("Enterprise", enterprise_id), unit=unit)
    return found if isinstance(found, Enterprise) else None
