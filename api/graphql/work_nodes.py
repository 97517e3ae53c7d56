"""The work the ledger follows as GraphQL nodes: tasks of the plan and complaints, each
built from its read-model row."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.graphql.enums import (
    Channel,
    ComplaintState,
    Light,
    TaskState,
    Tier,
)
from api.graphql.global_ids import global_id
from api.graphql.intake_types import Intake, IntakeReceipt
from api.graphql.team_types import Team

if TYPE_CHECKING:
    from api.graphql.enterprise_nodes import Enterprise
    from api.graphql.measure_nodes import Measure

from api.graphql.unit_node import Node, Unit, UnitGroup, unit_node, unit_nodes
from domain.timeliness import TimeRules
from projections.views.milestones import PlanMilestone, is_missed, milestone_light_of
from projections.views.task_board import light_of


@strawberry.type(
    description="A dated milestone (节点) of a task, as assigned, lit as of today. Missed once "
    "its day has passed without its being reached by then (or the task closed by then); one "
    "reached late stays missed."
)
class Milestone:
    key: str
    title: str
    due: date = strawberry.field(description="The day it is to be reached by.")
    reached_on: date | None = strawberry.field(
        description="The business day of the progress report that reached it; none before."
    )
    light: Light | None = strawberry.field(
        description="Green, yellow or red as of today by its own day, the rule of a task's "
        "light without progress (yellow within the policy's working days of it, red once it "
        "has passed); none once reached, and none while the task is not open."
    )
    missed: bool = strawberry.field(
        description="Its day has passed, as of today, and it was not reached by then (a "
        "milestone reached late stays missed), nor the task closed (销号) by then."
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
        return await unit_nodes(info, self.lead_unit_ids)

    cooperating_groups: list[UnitGroup] = strawberry.field(
        description="协同单位 named as a whole (各街道, 区直各部门各单位): every unit of each "
        "kind cooperates, those registered later too; none for a task assigned before groups "
        "were kept."
    )

    @strawberry.field(
        description="协同单位 named one by one; the units of `cooperatingGroups` are not "
        "listed here (ask `units` for those of the kind)."
    )
    async def cooperating_units(self, info: Info[Any, Any]) -> list[Unit]:
        return await unit_nodes(info, self.cooperating_unit_ids)

    @strawberry.field(description="The plan's dated milestones (节点), in the plan's order.")
    async def milestones(self, info: Info[Any, Any]) -> list[Milestone]:
        found = await info.context.loaders.milestones.load(self.item_id)
        return [self._milestone(m, info) for m in found]

    def _milestone(self, m: PlanMilestone, info: Info[Any, Any]) -> Milestone:
        services = info.context.services
        rules, today = services.ledger.rules, services.today()
        light = milestone_light_of(
            rules, m, state=self.state.value, assigned_on=self.assigned_on, today=today
        )
        missed = is_missed(rules, m, today=today, closed_on=self.closed_on)
        return Milestone(
            key=m.key, title=m.title, due=m.due, reached_on=m.reached_on, light=light, missed=missed
        )

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
            cooperating_groups=[UnitGroup.of(kind) for kind in r["cooperating_groups"]],
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


@strawberry.type(
    description="一次告知: a request by the unit handling a case for materials or corrections "
    "from the complainant or enterprise, every missing item listed at once."
)
class MaterialRequest:
    items: list[str] = strawberry.field(description="What was asked for, each a short text.")
    requested_on: date = strawberry.field(description="The business day of the request.")
    breach: bool = strawberry.field(
        description="A breach of 一次告知: the unit had asked on this case before, and this "
        "request names an item its first request did not list (recorded all the same)."
    )
    note: str
    unit_id: strawberry.Private[str]

    @strawberry.field(description="The unit that asked (the case's handling unit then).")
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, r: dict[str, Any]) -> MaterialRequest:
        return cls(
            items=list(r["items"]),
            requested_on=date.fromisoformat(r["requested_on"]),
            breach=r["breach"],
            note=r["note"],
            unit_id=r["unit"],
        )


@strawberry.type(description="One case from one of the five channels.")
class Complaint(Node):
    state: ComplaintState
    channel: Channel
    team: Team | None = strawberry.field(
        description="三支队伍: the team whose finding a 三支队伍监督 case is; null for the "
        "other channels and for cases recorded before teams were kept."
    )
    intake: Intake | None = strawberry.field(description="The intake line it came in by.")
    receipt: IntakeReceipt | None = strawberry.field(
        description="A case of an intake line: its receipt, due and done; null for others."
    )
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
    material_requests: list[MaterialRequest] = strawberry.field(
        description="一次告知: the requests for materials on the case, in the order made."
    )
    light: Light | None = strawberry.field(
        description="Green, yellow or red as of today, by the deadline to close (the same "
        "rule as a task's: yellow within the policy's working days of it); none once closed."
    )
    unit_ids: strawberry.Private[dict[str, str | None]]
    enterprise_id: strawberry.Private[str | None]

    @strawberry.field(
        description="The registered enterprise it concerns (服务企业), if named and the caller "
        "may see it."
    )
    async def enterprise(
        self, info: Info[Any, Any]
    ) -> Annotated[Enterprise, strawberry.lazy("api.graphql.enterprise_nodes")] | None:
        from api.graphql.enterprise_nodes import enterprise_node

        return await enterprise_node(info, self.enterprise_id)

    @strawberry.field(description="首问负责: the unit that first took the case.")
    async def first_responder(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_ids["first_responder"])

    @strawberry.field(description="The unit answerable for the case now.")
    async def accountable_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_ids["accountable_unit"])

    @strawberry.field(description="The unit it is dispatched to, if any.")
    async def handling_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_ids["handling_unit"])

    @strawberry.field(description="The unit complained about, if named.")
    async def subject_unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_ids["subject_unit"])

    @strawberry.field(
        description="The measures (成果运用转化) this case led to once founded, earliest first."
    )
    async def measures(
        self, info: Info[Any, Any]
    ) -> list[Annotated[Measure, strawberry.lazy("api.graphql.measure_nodes")]]:
        from api.graphql.measure_nodes import measures_of

        return await measures_of(info, self.item_id)

    @classmethod
    def from_row(cls, r: dict[str, Any], info: Info[Any, Any]) -> Complaint:
        services = info.context.services
        today, policy = services.today(), services.ledger.policy
        state = ComplaintState(r["state"])
        return cls(
            id=strawberry.ID(global_id("Complaint", r["id"])),
            item_id=r["id"],
            version=r["version"],
            state=state,
            channel=Channel(r["channel"]),
            team=None if r["team"] is None else Team.of(r["team"], policy.teams),
            intake=None if r["intake"] is None else Intake.of(r["intake"], policy.intakes),
            receipt=IntakeReceipt.of(r, services.ledger.clock()),
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
            material_requests=[MaterialRequest.of(m) for m in r["material_requests"]],
            light=complaint_light(r, info),
            unit_ids={
                name: r[name]
                for name in (
                    "first_responder",
                    "accountable_unit",
                    "handling_unit",
                    "subject_unit",
                )
            },
            enterprise_id=r["enterprise"],
        )


def complaint_light(r: dict[str, Any], info: Info[Any, Any]) -> Light | None:
    """The light of an open case, from its receipt to its deadline to close."""
    if r["closed_on"] is not None:
        return None
    services = info.context.services
    rules: TimeRules = services.ledger.rules
    return rules.light(start=r["received_on"], deadline=r["close_by"], today=services.today())
