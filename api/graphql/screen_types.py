"""The big screen's (大屏) figures as GraphQL types: the task board's counts and named
tasks, interviews and referrals in figures, and the overview's monthly series. Zone-wide
aggregates: no personal data, readable by a viewer."""

from __future__ import annotations

from datetime import date

import strawberry

from api.graphql.enums import Channel, InterviewState, Light, ReferralState, TaskState, Tier
from api.graphql.global_ids import global_id
from projections.views import oversight_totals as ot
from projections.views import overview as ov
from projections.views import screen_board as sb


@strawberry.type(description="How many open tasks have a light.")
class LightCount:
    light: Light
    count: int


@strawberry.type(description="How many open tasks a tier handles (1+1+N).")
class TierCount:
    tier: Tier
    count: int


@strawberry.type(description="How many tasks are in a state.")
class TaskStateCount:
    state: TaskState
    count: int


@strawberry.type(description="An open task that is red or escalated, as the screen names it.")
class BoardTask:
    id: strawberry.ID = strawberry.field(description="The task's global id (Task:<uuid>).")
    plan_year: int
    number: int | None
    title: str
    lead_units: list[str] = strawberry.field(description="牵头单位: their names.")
    state: TaskState
    progress: int = strawberry.field(description="Percent reported by the day.")
    deadline: date | None
    light: Light | None
    tier: Tier
    missed_milestones: int = strawberry.field(
        description="Its milestones whose day had passed by the day, not reached by then."
    )

    @classmethod
    def of(cls, c: sb.BoardTask) -> BoardTask:
        return cls(
            id=strawberry.ID(global_id("Task", c.id)),
            plan_year=c.plan_year,
            number=c.number,
            title=c.title,
            lead_units=list(c.lead_units),
            state=c.state,
            progress=c.progress,
            deadline=c.deadline,
            light=c.light,
            tier=c.tier,
            missed_milestones=c.missed_milestones,
        )


@strawberry.type(
    description="The task board in figures as of a business date: each task as it stood at "
    "the end of that day, lit for that day as the task list lights it."
)
class TaskBoard:
    as_of: date
    open: int = strawberry.field(description="Assigned, in progress or awaiting 销号.")
    by_light: list[LightCount] = strawberry.field(description="Open tasks, every light.")
    by_tier: list[TierCount] = strawberry.field(description="Open tasks, every tier.")
    by_state: list[TaskStateCount] = strawberry.field(
        description="Every task registered by the day, every state."
    )
    attention: list[BoardTask] = strawberry.field(
        description="The open tasks that are red or escalated above the task force, in the "
        "plan's order."
    )
    missed_milestones: int = strawberry.field(
        description="Milestones of open tasks whose day had passed by the day without their "
        "being reached by then (one reached late stays missed)."
    )

    @classmethod
    def of(cls, b: sb.ScreenBoard) -> TaskBoard:
        return cls(
            as_of=b.as_of,
            open=b.open,
            by_light=[LightCount(light=k, count=n) for k, n in b.by_light.items()],
            by_tier=[TierCount(tier=k, count=n) for k, n in b.by_tier.items()],
            by_state=[TaskStateCount(state=k, count=n) for k, n in b.by_state.items()],
            attention=[BoardTask.of(c) for c in b.attention],
            missed_milestones=b.missed_milestones,
        )


@strawberry.type
class InterviewStateCount:
    state: InterviewState
    count: int


@strawberry.type
class ReferralStateCount:
    state: ReferralState
    count: int


@strawberry.type(description="Interviews scheduled and referrals made in a month.")
class OversightMonth:
    month: str = strawberry.field(description="2021-03.")
    interviews: int
    referrals: int


@strawberry.type(
    description="约谈 and 移交纪检监察 in figures as of a business date: each item's state at "
    "the end of that day, and how many were made in each month of its year up to it."
)
class OversightTotals:
    as_of: date
    interviews: int = strawberry.field(description="Interviews scheduled by the day.")
    referrals: int = strawberry.field(description="Referrals made by the day.")
    interviews_by_state: list[InterviewStateCount]
    referrals_by_state: list[ReferralStateCount]
    monthly: list[OversightMonth]

    @classmethod
    def of(cls, x: ot.OversightTotals) -> OversightTotals:
        return cls(
            as_of=x.as_of,
            interviews=sum(x.interviews.values()),
            referrals=sum(x.referrals.values()),
            interviews_by_state=[
                InterviewStateCount(state=k, count=n) for k, n in x.interviews.items()
            ],
            referrals_by_state=[
                ReferralStateCount(state=k, count=n) for k, n in x.referrals.items()
            ],
            monthly=[
                OversightMonth(month=m.month, interviews=m.interviews, referrals=m.referrals)
                for m in x.monthly
            ],
        )


@strawberry.type(description="One channel's month.")
class ChannelMonthFigures:
    channel: Channel
    received: int = strawberry.field(description="Cases received in the month.")
    closed: int = strawberry.field(description="Cases closed in it.")
    overdue: int = strawberry.field(
        description="Cases open past their deadline at the month's end (for the month of "
        "asOf, on asOf)."
    )


@strawberry.type(description="A month of the 5+1+1 channels, zone-wide and per channel.")
class MonthlyFigures:
    month: str = strawberry.field(description="2021-03.")
    received: int
    closed: int
    overdue: int
    channels: list[ChannelMonthFigures]

    @classmethod
    def of(cls, m: ov.Month) -> MonthlyFigures:
        return cls(
            month=m.month,
            received=sum(c.received for c in m.channels),
            closed=sum(c.closed for c in m.channels),
            overdue=sum(c.overdue for c in m.channels),
            channels=[
                ChannelMonthFigures(
                    channel=c.channel, received=c.received, closed=c.closed, overdue=c.overdue
                )
                for c in m.channels
            ],
        )
