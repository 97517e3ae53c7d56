"""The Query root's lists of items and ``node``: each read from the read models, confined
to the caller's own unit where the policy says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql import filters as f
from api.graphql.context import Context
from api.graphql.enterprise_nodes import Enterprise
from api.graphql.enums import UnitKind
from api.graphql.guards import Allowed, confined, own_unit
from api.graphql.intake_types import Intake
from api.graphql.lookup import node_by_id
from api.graphql.measure_nodes import Measure
from api.graphql.nodes import NODE_KINDS
from api.graphql.oversight_nodes import Assessment, Interview, LegacyIssue, LegacyTarget, Referral
from api.graphql.pages import (
    Connection,
    decode_cursor,
    encode_cursor,
    make_connection,
    page_size,
)
from api.graphql.reading import read_own_writes
from api.graphql.team_types import Team
from api.graphql.unit_node import Node, Unit
from api.graphql.work_nodes import Complaint, Task, task_light
from projections.views import listing

Info_ = Info[Context, Any]


async def _list(
    info: Info_,
    kind: str,
    criteria: listing.Criteria,
    first: int | None,
    after: str | None,
    *,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> Connection[Any]:
    services = info.context.services
    await _read_own_writes(info)
    limit = page_size(first, services.limits.default_page, services.limits.max_page)
    since = decode_cursor(kind, after)
    criteria = confined(criteria, own_unit(info))
    page = await services.read(
        lambda conn: listing.page(conn, kind, criteria, after=since, limit=limit, keep=keep)
    )
    build = next(b for k, b in NODE_KINDS.values() if k == kind)
    return make_connection(
        [build(row, info) for row in page.rows],
        [encode_cursor(kind, key) for key in page.keys],
        has_next=page.has_next,
        had_cursor=since is not None,
        total=page.total,
    )


async def complaints_listed(
    info: Info_, criteria: listing.Criteria, first: int | None, after: str | None
) -> Connection[Complaint]:
    """A page of the complaints matching ``criteria``, as ``Query.complaints`` lists them
    (a unit's staff: those of their unit); for lists of cases elsewhere."""
    return await _list(info, "complaints", criteria, first, after)


async def _read_own_writes(info: Info_) -> None:
    await read_own_writes(info.context)


@strawberry.type
class ItemQueries:
    @strawberry.field(
        permission_classes=[Allowed], description="Work items, in plan order (year, number)."
    )
    async def tasks(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.TaskFilter | None = None,
    ) -> Connection[Task]:
        given = filter or f.TaskFilter()
        lights = set(given.lights or [])
        keep = (lambda row: task_light(row, info) in lights) if given.lights is not None else None
        return await _list(info, "tasks", given.criteria(), first, after, keep=keep)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Complaints of the five channels, oldest received first.",
    )
    async def complaints(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.ComplaintFilter | None = None,
    ) -> Connection[Complaint]:
        criteria = (filter or f.ComplaintFilter()).criteria(info.context.services.today())
        return await _list(info, "complaints", criteria, first, after)

    @strawberry.field(
        permission_classes=[Allowed],
        description="The legacy-problem master ledger, oldest registered first.",
    )
    async def legacy_issues(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.LegacyIssueFilter | None = None,
    ) -> Connection[LegacyIssue]:
        return await _list(
            info, "legacy_issues", (filter or f.LegacyIssueFilter()).criteria(), first, after
        )

    @strawberry.field(
        permission_classes=[Allowed], description="Interviews (约谈), earliest scheduled first."
    )
    async def interviews(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.InterviewFilter | None = None,
    ) -> Connection[Interview]:
        return await _list(
            info, "interviews", (filter or f.InterviewFilter()).criteria(), first, after
        )

    @strawberry.field(
        permission_classes=[Allowed],
        description="Referrals to discipline inspection (移交纪检监察).",
    )
    async def referrals(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.ReferralFilter | None = None,
    ) -> Connection[Referral]:
        return await _list(
            info, "referrals", (filter or f.ReferralFilter()).criteria(), first, after
        )

    @strawberry.field(
        permission_classes=[Allowed], description="Unit assessments (the +1+1), by period."
    )
    async def assessments(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.AssessmentFilter | None = None,
    ) -> Connection[Assessment]:
        criteria = (filter or f.AssessmentFilter()).criteria()
        return await _list(info, "assessments", criteria, first, after)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Measures (成果运用转化) founded findings led to, earliest proposed first.",
    )
    async def measures(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.MeasureFilter | None = None,
    ) -> Connection[Measure]:
        criteria = (filter or f.MeasureFilter()).criteria()
        return await _list(info, "measures", criteria, first, after)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Enterprises served one-to-one (契约式服务), by name.",
    )
    async def enterprises(
        self,
        info: Info_,
        first: int | None = None,
        after: str | None = None,
        filter: f.EnterpriseFilter | None = None,
    ) -> Connection[Enterprise]:
        criteria = (filter or f.EnterpriseFilter()).criteria()
        return await _list(info, "enterprises", criteria, first, after)

    @strawberry.field(
        permission_classes=[Allowed],
        description="The targets for clearing legacy problems, by year.",
    )
    async def legacy_targets(self, info: Info_) -> list[LegacyTarget]:
        await _read_own_writes(info)
        rows = await info.context.services.read(
            listing.all_rows, "legacy_targets", listing.Criteria()
        )
        return [LegacyTarget.from_row(row, info) for row in rows]

    @strawberry.field(permission_classes=[Allowed], description="The responsible units, by name.")
    async def units(
        self, info: Info_, kind: UnitKind | None = None, include_merged: bool = False
    ) -> list[Unit]:
        await _read_own_writes(info)
        equal: dict[str, Any] = {} if kind is None else {"kind": kind.value}
        if not include_merged:
            equal["merged_into"] = None
        rows = await info.context.services.read(listing.all_rows, "units", listing.Criteria(equal))
        return [Unit.from_row(row) for row in rows]

    @strawberry.field(
        permission_classes=[Allowed],
        description="三支队伍: the teams the policy lists, in its order; a 三支队伍监督 case "
        "names one of them (`team` of receiveComplaint).",
    )
    async def teams(self, info: Info_) -> list[Team]:
        return [Team(key=t.key, name=t.name) for t in info.context.services.ledger.policy.teams]

    @strawberry.field(
        permission_classes=[Allowed],
        description="受理专线: the intake lines the policy lists, in its order (the 24-hour "
        "line); a case may name one of them (`intake` of receiveComplaint).",
    )
    async def intakes(self, info: Info_) -> list[Intake]:
        policy = info.context.services.ledger.policy
        return [Intake.of(i.key, policy.intakes) for i in policy.intakes]

    @strawberry.field(
        permission_classes=[Allowed],
        description="Any item by its global id (`Task:<uuid>`); null if none.",
    )
    async def node(self, info: Info_, id: strawberry.ID) -> Node | None:
        await _read_own_writes(info)
        return await node_by_id(info, str(id), unit=own_unit(info))
