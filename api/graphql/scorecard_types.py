"""A unit's scorecard (单位考核) in the API: its figures for a period."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.graphql.unit_node import Unit, unit_node
from projections.views import scorecards as sc


@strawberry.type(description="A unit's figures for a period (a year, or a quarter as 2021-Q2).")
class UnitScorecard:
    period: str
    name: str
    figures: Any = strawberry.field(
        graphql_type=JSON, description="What happened in the period, by metric."
    )
    overdue_tasks: int = strawberry.field(description="Tasks led and overdue at its end.")
    assessments: Any = strawberry.field(
        graphql_type=JSON, description="Assessment scores of the period, by kind."
    )
    late_sign_fors: int = strawberry.field(
        description="跟踪问效: cases it signed for (签收) in the period after their sign-for "
        "deadline."
    )
    late_returns: int = strawberry.field(
        description="跟踪问效: cases it returned (退单) in the period after their return deadline."
    )
    overdue_sign_fors: int = strawberry.field(
        description="跟踪问效: cases dispatched to it and awaiting its sign-for or return at "
        "the period's end, past their sign-for deadline."
    )
    material_requests: int = strawberry.field(
        description="一次告知: requests for materials it made in the period."
    )
    once_notice_breaches: int = strawberry.field(
        description="一次告知: those naming an item its first request on the case did not list."
    )
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, s: sc.Scorecard) -> UnitScorecard:
        return cls(
            period=s.period,
            name=s.name,
            figures=dict(s.figures),
            overdue_tasks=s.overdue_tasks,
            assessments={k: str(v) for k, v in s.assessments.items()},
            late_sign_fors=s["late_sign_fors"],
            late_returns=s["late_returns"],
            overdue_sign_fors=s.overdue_sign_fors,
            material_requests=s["material_requests"],
            once_notice_breaches=s["once_notice_breaches"],
            unit_id=s.unit,
        )
