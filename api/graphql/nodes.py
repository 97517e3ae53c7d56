"""The items as GraphQL nodes, read from the projections' tables.

Each node is built from its read-model row; the units it refers to are loaded in
batches (one query for a whole page), never one query per row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.enums import (
    AssessmentKind,
    AssessmentState,
    Channel,
    ComplaintState,
    InterviewState,
    LegacyCategory,
    LegacyState,
    Light,
    ReferralState,
    TargetState,
    TaskState,
    Tier,
    UnitKind,
    UnitState,
    Verdict,
)
from api.graphql.ids import global_id
from projections.views.task_board import light_of


@strawberry.interface(description="An item of the ledger, found again by its id with `node`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Global id, as `Task:<uuid>`.")
    item_id: str = strawberry.field(description="The item's UUID in the log.")
    version: int = strawberry.field(description="How many events the item has.")


async def _unit(info: Info[Any, Any], unit_id: str | None) -> Unit | None:
    if unit_id is None:
        return None
    row = await info.context.loaders.units.load(unit_id)
    return Unit.from_row(row) if row is not None else None


async def _units(info: Info[Any, Any], unit_ids: list[str]) -> list[Unit]:
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
        return await _unit(info, self.merged_into_id)

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


@strawberry.type(description="A work item (督办事项) of a year's plan.")
class Task(Node):
    state: TaskState
    plan_year: int
    number: int | None
    section: str
    title: str
    progress: int = strawberry.field(description="Percent reported.")
    assigned_on: date | None
    deadline: date | None
    closed_on: date | None = strawberry.field(description="The day of 销号.")
    tier: Tier = strawberry.field(description="How far up 1+1+N it has been escalated.")
    urge_count: int = strawberry.field(description="How often it was urged (催办).")
    light: Light | None = strawberry.field(
        description="Green, yellow or red as of today; none before assignment and after 销号."
    )
    lead_unit_ids: strawberry.Private[list[str]]
    cooperating_unit_ids: strawberry.Private[list[str]]

    @strawberry.field(description="牵头单位.")
    async def lead_units(self, info: Info[Any, Any]) -> list[Unit]:
        return await _units(info, self.lead_unit_ids)

    @strawberry.field(description="协同单位.")
    async def cooperating_units(self, info: Info[Any, Any]) -> list[Unit]:
        return await _units(info, self.cooperating_unit_ids)

    @classmethod
    def from_row(cls, r: dict[str, Any], info: Info[Any, Any]) -> Task:
        return cls(
            id=strawberry.ID(global_id("Task", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=TaskState(r["state"]),
            plan_year=r["plan_year"],
            number=r["number"],
            section=r["section"],
            title=r["title"],
            progress=r["progress"],
            assigned_on=r["assigned_on"],
            deadline=r["deadline"],
            closed_on=r["closed_on"],
            tier=Tier(r["tier"]),
            urge_count=r["urge_count"],
            light=task_light(r, info),
            lead_unit_ids=list(r["lead_units"]),
            cooperating_unit_ids=list(r["cooperating_units"]),
        )


def task_light(r: dict[str, Any], info: Info[Any, Any]) -> Light | None:
    services = info.context.services
    return light_of(
        services.ledger.rules,
        state=r["state"],
        assigned_on=r["assigned_on"],
        deadline=r["deadline"],
        progress=r["progress"],
        today=services.today(),
    )


@strawberry.type(description="One case from one of the five channels.")
class Complaint(Node):
    state: ComplaintState
    channel: Channel
    received_on: date
    close_by: date = strawberry.field(description="The deadline to close, as extended.")
    deadline_provisional: bool = strawberry.field(
        description="The deadlines reach into a year whose holiday schedule the ledger does "
        "not know yet (only weekends counted as days off there): they are worked out again "
        "when the office adopts that year's schedule."
    )
    closed_on: date | None
    rectified_on: date | None
    first_replied_on: date | None
    returns: int = strawberry.field(description="How often it was returned (退单).")
    reopenings: int
    founded: bool | None = strawberry.field(description="Verified as founded; none before.")
    satisfied: bool | None = strawberry.field(description="The last call-back's answer.")
    reward_yuan: int | None = strawberry.field(description="找茬儿 reward granted.")
    overdue: bool = strawberry.field(description="Open past its deadline, as of today.")
    unit_ids: strawberry.Private[dict[str, str | None]]

    @strawberry.field(description="首问负责: the unit that first took the case.")
    async def first_responder(self, info: Info[Any, Any]) -> Unit | None:
        return await _unit(info, self.unit_ids["first_responder"])

    @strawberry.field(description="The unit answerable for the case now.")
    async def accountable_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await _unit(info, self.unit_ids["accountable_unit"])

    @strawberry.field(description="The unit it is dispatched to, if any.")
    async def handling_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await _unit(info, self.unit_ids["handling_unit"])

    @strawberry.field(description="The unit complained about, if named.")
    async def subject_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await _unit(info, self.unit_ids["subject_unit"])

    @classmethod
    def from_row(cls, r: dict[str, Any], info: Info[Any, Any]) -> Complaint:
        today = info.context.services.today()
        state = ComplaintState(r["state"])
        return cls(
            id=strawberry.ID(global_id("Complaint", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=state,
            channel=Channel(r["channel"]),
            received_on=r["received_on"],
            close_by=r["close_by"],
            deadline_provisional=r["deadline_provisional"],
            closed_on=r["closed_on"],
            rectified_on=r["rectified_on"],
            first_replied_on=r["first_replied_on"],
            returns=r["returns"],
            reopenings=r["reopenings"],
            founded=r["founded"],
            satisfied=r["satisfied"],
            reward_yuan=r["reward_yuan"],
            overdue=r["closed_on"] is None and r["close_by"] < today,
            unit_ids={
                name: r[name]
                for name in (
                    "first_responder",
                    "accountable_unit",
                    "handling_unit",
                    "subject_unit",
                )
            },
        )


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
        return await _unit(info, self.responsible_unit_id)

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


@strawberry.type(description="An interview (约谈) of a unit head.")
class Interview(Node):
    state: InterviewState
    scheduled_for: datetime
    rectify_by: date | None
    rectified: bool
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await _unit(info, self.unit_id)

    @classmethod
    def from_row(cls, r: dict[str, Any], _: Info[Any, Any]) -> Interview:
        return cls(
            id=strawberry.ID(global_id("Interview", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=InterviewState(r["state"]),
            scheduled_for=_aware(r["scheduled_for"]),
            rectify_by=r["rectify_by"],
            rectified=bool(r["rectified"]),
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
        return await _unit(info, self.unit_id)

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
        return await _unit(info, self.unit_id)

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


def _aware(moment: datetime) -> datetime:
    """A stored time with its offset (SQLite keeps UTC without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def unit_from_row(r: dict[str, Any], _: Info[Any, Any]) -> Unit:
    return Unit.from_row(r)


# Item type -> (listing of projections.views.listing, node builder)
NODE_KINDS: dict[str, tuple[str, Any]] = {
    "Unit": ("units", unit_from_row),
    "Task": ("tasks", Task.from_row),
    "Complaint": ("complaints", Complaint.from_row),
    "LegacyIssue": ("legacy_issues", LegacyIssue.from_row),
    "LegacyTarget": ("legacy_targets", LegacyTarget.from_row),
    "Interview": ("interviews", Interview.from_row),
    "Referral": ("referrals", Referral.from_row),
    "Assessment": ("assessments", Assessment.from_row),
}
