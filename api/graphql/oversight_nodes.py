"""The oversight of the work as GraphQL nodes: legacy problems and their yearly targets,
interviews (约谈), referrals to discipline inspection and assessments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.graphql.enums import (
    AssessmentKind,
    AssessmentState,
    InterviewState,
    LegacyCategory,
    LegacyState,
    ReferralState,
    TargetState,
    Tier,
    Verdict,
)
from api.graphql.global_ids import global_id

if TYPE_CHECKING:
    from api.graphql.measure_nodes import Measure

from api.graphql.unit_node import Node, Unit, aware, unit_node


@strawberry.type(description="An entry of the legacy-problem master ledger (总台账).")
class LegacyIssue(Node):
    state: LegacyState
    title: str
    category: LegacyCategory
    tier: Tier
    target_year: int
    baseline: bool = strawberry.field(description="In the baseline count; false: new since.")
    registered_on: date
    responsible_unit_id: strawberry.Private[str]

    @strawberry.field
    async def responsible_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.responsible_unit_id)

    @strawberry.field(
        description="The measures (成果运用转化) this problem led to, earliest first."
    )
    async def measures(
        self, info: Info[Any, Any]
    ) -> list[Annotated[Measure, strawberry.lazy("api.graphql.measure_nodes")]]:
        from api.graphql.measure_nodes import measures_of

        return await measures_of(info, self.item_id)

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> LegacyIssue:
        return cls(
            id=strawberry.ID(global_id("LegacyIssue", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=LegacyState(r["state"]),
            title=r["title"],
            category=LegacyCategory(r["category"]),
            tier=Tier(r["tier"]),
            target_year=r["target_year"],
            baseline=bool(r["baseline"]),
            registered_on=r["registered_on"],
            responsible_unit_id=r["responsible_unit"],
        )


@strawberry.type(description="A yearly goal for clearing legacy problems.")
class LegacyTarget(Node):
    state: TargetState
    year: int
    goal: str | None
    due: date
    required_resolved_percent: int | None

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> LegacyTarget:
        return cls(
            id=strawberry.ID(global_id("LegacyTarget", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=TargetState(r["state"]),
            year=r["year"],
            goal=r["goal"],
            due=r["due"],
            required_resolved_percent=r["required_resolved_percent"],
        )


@strawberry.type(description="A person interviewed (约谈对象), with the post they hold.")
class Interviewee:
    name: str = strawberry.field(
        description="The name; for an interviewee recorded as free text (before people had "
        "posts, or through the deprecated `interviewee` input), that text as it was given."
    )
    post: str | None = strawberry.field(
        description="The post (职务); null for an interviewee recorded as free text."
    )
    unit_id: strawberry.Private[str | None]

    @strawberry.field(description="The unit they serve in, where it is not the interview's.")
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, person: dict[str, Any]) -> Interviewee:
        return cls(name=person["name"], post=person["post"], unit_id=person["unit"])


@strawberry.type(description="An interview (约谈) of a unit head.")
class Interview(Node):
    state: InterviewState
    scheduled_for: datetime
    rectify_by: date | None
    rectified: bool
    interviewees: list[Interviewee] = strawberry.field(
        description="Who is summoned, each with a post (interviews scheduled before people "
        "had posts: one interviewee, the free text as name, no post)."
    )
    held_on: date | None = strawberry.field(description="The day it was held.")
    rectified_on: date | None = strawberry.field(
        description="The day a follow-up confirmed the rectification."
    )
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @strawberry.field(
        description="The measures (成果运用转化) this interview led to once held, earliest first."
    )
    async def measures(
        self, info: Info[Any, Any]
    ) -> list[Annotated[Measure, strawberry.lazy("api.graphql.measure_nodes")]]:
        from api.graphql.measure_nodes import measures_of

        return await measures_of(info, self.item_id)

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> Interview:
        return cls(
            id=strawberry.ID(global_id("Interview", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=InterviewState(r["state"]),
            scheduled_for=aware(r["scheduled_for"]),
            rectify_by=r["rectify_by"],
            rectified=bool(r["rectified"]),
            interviewees=[Interviewee.of(p) for p in r["interviewees"]],
            held_on=r["held_on"],
            rectified_on=r["rectified_on"],
            unit_id=r["unit"],
        )


@strawberry.type(description="A referral to discipline inspection (移交纪检监察).")
class Referral(Node):
    state: ReferralState
    outcome: str | None
    accountable: bool | None = strawberry.field(description="Whether someone was held to account.")
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> Referral:
        return cls(
            id=strawberry.ID(global_id("Referral", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=ReferralState(r["state"]),
            outcome=r["outcome"],
            accountable=r["accountable"],
            unit_id=r["unit"],
        )


@strawberry.type(description="A unit's assessment for a period (the +1+1).")
class Assessment(Node):
    state: AssessmentState
    period: str
    kind: AssessmentKind
    score: Decimal
    verdict: Verdict
    recorded_on: date
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> Assessment:
        return cls(
            id=strawberry.ID(global_id("Assessment", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=AssessmentState(r["state"]),
            period=r["period"],
            kind=AssessmentKind(r["kind"]),
            score=Decimal(r["score"]),
            verdict=Verdict(r["verdict"]),
            recorded_on=r["recorded_on"],
            unit_id=r["unit"],
        )
