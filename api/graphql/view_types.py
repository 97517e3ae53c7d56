"""The supervision views as GraphQL types: 5+1+1 overview, legacy totals, scorecards,
the task board's lists (the 约谈 and 移交 candidates: ``candidate_types``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.enums import Channel, TargetShortfall
from api.graphql.intake_types import IntakeFigures
from api.graphql.measure_types import MeasureFigures
from api.graphql.score_types import PublishedQuarterScores
from api.graphql.screen_types import MonthlyFigures
from api.graphql.team_types import TeamFigures
from api.graphql.unit_node import Unit, unit_node
from projections.views import legacy_totals as lt
from projections.views import overview as ov


@strawberry.type(description="One channel's figures as of the day (rates in percent, 四舍五入).")
class ChannelFigures:
    channel: Channel
    received: int
    open: int
    overdue: int
    returned: int = strawberry.field(description="退单.")
    rectified: int
    rectification_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None = strawberry.field(description="Call-back satisfaction.")
    rewards: int = strawberry.field(description="找茬儿 rewards granted.")
    reward_yuan: int
    mean_reply_working_days: float | None = strawberry.field(
        description="Media exposures: mean working days to the first reply."
    )
    sign_for_overdue: int = strawberry.field(
        description="跟踪问效: sign-fors (签收) recorded on a business day after their sign-for "
        "deadline, up to asOf, plus cases dispatched and still awaiting the unit's sign-for or "
        "return on asOf past that deadline (the deadline's own day is not past it). A case "
        "returned (退单) without a sign-for is judged by its return deadline only."
    )
    return_overdue: int = strawberry.field(
        description="跟踪问效: returns (退单) recorded on a business day after their return "
        "deadline, up to asOf."
    )

    @classmethod
    def of(cls, f: ov.ChannelFigures) -> ChannelFigures:
        return cls(
            channel=f.channel,
            received=f.received,
            open=f.open,
            overdue=f.overdue,
            returned=f.returned,
            rectified=f.rectified,
            rectification_rate=f.rectification_rate,
            on_time_rate=f.on_time_rate,
            satisfaction_rate=f.satisfaction_rate,
            rewards=f.rewards,
            reward_yuan=f.reward_yuan,
            mean_reply_working_days=f.mean_reply_working_days,
            sign_for_overdue=f.sign_for_overdue,
            return_overdue=f.return_overdue,
        )


@strawberry.type(description="A unit's standing in an assessment (the +1+1).")
class AssessmentStanding:
    period: str
    score: Decimal
    verdict: str
    rank: int
    unit_id: strawberry.Private[str]

    @strawberry.field
    async def unit(self, info: Info[Any, Any]) -> Unit | None:
        return await unit_node(info, self.unit_id)

    @classmethod
    def of(cls, e: ov.AssessmentEntry) -> AssessmentStanding:
        return cls(period=e.period, score=e.score, verdict=e.verdict, rank=e.rank, unit_id=e.unit)


@strawberry.type(description="The 5+1+1 supervision overview as of a business date.")
class SupervisionOverview:
    as_of: date
    channels: list[ChannelFigures]
    results_applied: list[AssessmentStanding] = strawberry.field(description="成果运用转化.")
    league: list[AssessmentStanding] = strawberry.field(description="督导考核奖惩 league table.")
    teams: list[TeamFigures] = strawberry.field(
        description="三支队伍: the 三支队伍监督 cases by team, each team of the policy in its "
        "order (with no case too), then any other team a case names."
    )
    intakes: list[IntakeFigures] = strawberry.field(
        description="受理专线: the cases of each intake line of the policy, in its order (with "
        "no case too), then any other line a case names; their receipts as of asOf's end, "
        "or now for today."
    )
    measures: MeasureFigures = strawberry.field(
        description="+1 成果运用转化: founded findings turned into measures, as of asOf."
    )
    published_scores: PublishedQuarterScores | None = strawberry.field(
        description="督导考核奖惩, 结果公开发布: the latest quarter's unit scores as published "
        "by asOf (null before the first publication)."
    )
    read_months: strawberry.Private[list[MonthlyFigures] | None] = None
    """The monthly series when read with the rest (a subscription compares it too)."""

    @strawberry.field(
        description="Each month of asOf's year up to asOf's month: received, closed and "
        "overdue, zone-wide and per channel."
    )
    async def monthly(self, info: Info[Any, Any]) -> list[MonthlyFigures]:
        if self.read_months is not None:
            return self.read_months
        return await months_of(info, self.as_of)

    @classmethod
    def of(cls, o: ov.Overview, months: list[MonthlyFigures] | None = None) -> SupervisionOverview:
        return cls(
            as_of=o.as_of,
            channels=[ChannelFigures.of(f) for f in o.channels],
            results_applied=[AssessmentStanding.of(e) for e in o.results_applied],
            league=[AssessmentStanding.of(e) for e in o.league],
            teams=[TeamFigures.of(f) for f in o.teams],
            intakes=[IntakeFigures.of(f) for f in o.intakes],
            measures=MeasureFigures.of(o.measures),
            published_scores=PublishedQuarterScores.of(o.published),
            read_months=months,
        )


async def months_of(info: Info[Any, Any], as_of: date) -> list[MonthlyFigures]:
    """The overview's monthly series as of ``as_of``, read (a query a month)."""
    found = await info.context.services.figures(ov.monthly_figures, as_of)
    return [MonthlyFigures.of(m) for m in found]


@strawberry.type
class Breakdown:
    key: str
    total: int
    resolved: int
    remaining: int


@strawberry.type
class MonthFigures:
    month: str
    registered: int
    resolved: int
    total_to_date: int
    resolved_to_date: int


@strawberry.type(description="Progress against a target year (2021, 2022, 2025).")
class TargetProgress:
    year: int
    goal: str
    due: date
    required_resolved_percent: int | None
    due_issues: int = strawberry.field(
        description="Problems due by the year, registered by the due date (or asOf if earlier)."
    )
    resolved: int = strawberry.field(description="Of them, resolved (销号) as of that day.")
    resolved_percent: float | None
    met: bool | None = strawberry.field(
        description="Judged as of the due date or later (null before it): the exact share "
        "resolved (not the rounded resolvedPercent) reaches requiredResolvedPercent and, for "
        "2021, no new problem was registered (不增新量). Null for a goal without a recorded "
        "share that nothing has yet failed."
    )
    new_issues: int = strawberry.field(
        description="Problems new since the baseline (摸底) registered up to the due date (or "
        "the day asked about), whatever their target year: 2021's 不增新量 wants 0."
    )
    shortfalls: list[TargetShortfall] = strawberry.field(
        description="Why the target is not met (empty unless met is false)."
    )


@strawberry.type(description="Legacy-problem totals as of a business date.")
class LegacyIssueTotals:
    as_of: date
    total: int
    baseline: int
    new_since_baseline: int = strawberry.field(description="The target is 0 (不增新量).")
    resolved: int = strawberry.field(description="销号.")
    suspended: int
    remaining: int
    resolution_rate: float | None
    by_category: list[Breakdown]
    by_unit: list[Breakdown]
    by_tier: list[Breakdown]
    monthly: list[MonthFigures]
    targets: list[TargetProgress]

    @classmethod
    def of(cls, x: lt.LegacyTotals) -> LegacyIssueTotals:
        def breakdown(rows: list[lt.Breakdown]) -> list[Breakdown]:
            return [
                Breakdown(key=b.key, total=b.total, resolved=b.resolved, remaining=b.remaining)
                for b in rows
            ]

        return cls(
            as_of=x.as_of,
            total=x.total,
            baseline=x.baseline,
            new_since_baseline=x.new_since_baseline,
            resolved=x.resolved,
            suspended=x.suspended,
            remaining=x.remaining,
            resolution_rate=x.resolution_rate,
            by_category=breakdown(x.by_category),
            by_unit=breakdown(x.by_unit),
            by_tier=breakdown(x.by_tier),
            monthly=[
                MonthFigures(
                    month=m.month,
                    registered=m.registered,
                    resolved=m.resolved,
                    total_to_date=m.total_to_date,
                    resolved_to_date=m.resolved_to_date,
                )
                for m in x.monthly
            ],
            targets=[
                TargetProgress(
                    year=p.year,
                    goal=p.goal,
                    due=p.due,
                    required_resolved_percent=p.required_resolved_percent,
                    due_issues=p.due_issues,
                    resolved=p.resolved,
                    resolved_percent=p.resolved_percent,
                    met=p.met,
                    new_issues=p.new_issues,
                    shortfalls=list(p.shortfalls),
                )
                for p in x.targets
            ],
        )
