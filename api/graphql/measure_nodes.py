"""Measures (成果运用转化) as GraphQL nodes, and the links both ways: a measure's findings,
and the measures a finding led to (``Complaint.measures``, ``Interview.measures``,
``LegacyIssue.measures``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql.enums import MeasureKind, MeasureState
from api.graphql.global_ids import global_id
from api.graphql.oversight_nodes import Interview, LegacyIssue
from api.graphql.unit_node import Node, Unit, unit_node
from api.graphql.work_nodes import Complaint
from api.permissions import Rule

Finding = Annotated[
    Complaint | Interview | LegacyIssue,
    strawberry.union(
        "Finding",
        description="What a measure comes from: a complaint verified as founded (a media "
        "exposure among them), an interview held, a legacy problem registered.",
    ),
]
FINDING_NODES: dict[str, Any] = {
    "Complaint": Complaint.from_row,
    "Interview": Interview.from_row,
    "LegacyIssue": LegacyIssue.from_row,
}


@strawberry.type(
    description="A measure (成果运用转化) founded findings led to: a rule change, a process "
    "change or a training, proposed, implemented (with evidence) and evaluated."
)
class Measure(Node):
    state: MeasureState
    kind: MeasureKind
    title: str
    description: str
    proposed_on: date = strawberry.field(description="The business day it was proposed.")
    implemented_on: date | None = strawberry.field(
        description="The business day its implementation was recorded; none before."
    )
    evidence: list[str] = strawberry.field(description="What shows it implemented.")
    evaluated_on: date | None = strawberry.field(description="The day it was evaluated.")
    effective: bool | None = strawberry.field(description="The evaluation's verdict.")
    assessment: str | None = strawberry.field(description="The evaluation's reasons.")
    responsible_unit_id: strawberry.Private[str]

    @strawberry.field(description="The unit that takes the measure.")
    async def responsible_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.responsible_unit_id)

    @strawberry.field(
        description="The findings it comes from, in the order the proposal named them (for "
        "a unit's staff, those that concern their unit)."
    )
    async def findings(self, info: Info[Any, Any]) -> list[Finding]:
        found = await info.context.loaders.findings.load((self.item_id, _unit_of(info)))
        return [FINDING_NODES[item_type](row, info) for item_type, row in found]

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> Measure:
        return cls(
            id=strawberry.ID(global_id("Measure", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=MeasureState(r["state"]),
            kind=MeasureKind(r["kind"]),
            title=r["title"],
            description=r["description"],
            proposed_on=r["proposed_on"],
            implemented_on=r["implemented_on"],
            evidence=list(r["evidence"]),
            evaluated_on=r["evaluated_on"],
            effective=r["effective"],
            assessment=r["assessment"],
            responsible_unit_id=r["responsible_unit"],
        )


async def measures_of(info: Info[Any, Any], finding_id: str) -> list[Measure]:
    """The measures a finding led to, earliest proposed first, as the caller may see them
    (a unit's staff: those their unit takes; a role that may not list measures: none)."""
    rule = permissions.field_rule(info.context.actor.role, "measures")
    if rule is Rule.DENY:
        return []
    rows = await info.context.loaders.measures.load(finding_id)
    unit = str(info.context.actor.unit) if rule is Rule.OWN else None
    return [
        Measure.from_row(r, info) for r in rows if unit is None or r["responsible_unit"] == unit
    ]


def _unit_of(info: Info[Any, Any]) -> str | None:
    """The unit whose items alone a caller sees among the findings (None: all)."""
    actor = info.context.actor
    return str(actor.unit) if permissions.field_rule(actor.role, "node") is Rule.OWN else None
