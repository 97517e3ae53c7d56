"""The units proposed for the office to decide on, as GraphQL types: interview candidates
(约谈) and referral candidates (移交纪检监察, 情节严重). Neither list acts by itself."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.graphql.unit_node import Unit, unit_node
from projections.views import candidates as c
from projections.views import referral_candidates as rc


@strawberry.type(
    description="A unit that meets the plan's 约谈 criteria, for the office to decide."
)
class InterviewCandidate:
    name: str
    reasons: Any = strawberry.field(
        graphql_type=JSON, description="Criterion -> the ids of the items behind it."
    )
    interviews_so_far: int
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, x: c.Candidate) -> InterviewCandidate:
        return cls(
            name=x.name,
            reasons=dict(x.reasons),
            interviews_so_far=x.interviews_so_far,
            unit_id=x.unit,
        )


@strawberry.type(
    description="A unit whose case looks serious (情节严重) by the policy's referral "
    "criteria: for the office to decide on a referral to discipline inspection (移交纪检监察)."
)
class ReferralCandidate:
    name: str
    reasons: Any = strawberry.field(
        graphql_type=JSON,
        description="Criterion -> the ids of the items behind it: `unmet_rectifications` "
        "(interviews whose rectification deadline passed unmet), `red_tasks_after_interview` "
        "(tasks it leads gone red since its latest interview).",
    )
    referrals_so_far: int = strawberry.field(
        description="Referrals of the unit made on or before the day."
    )
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, x: rc.ReferralCandidate) -> ReferralCandidate:
        return cls(
            name=x.name,
            reasons=dict(x.reasons),
            referrals_so_far=x.referrals_so_far,
            unit_id=x.unit,
        )
