"""Intake lines (受理专线: the 24-hour line) in GraphQL: the policy's lines, a case's line
and receipt, and the figures by line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from api.graphql.enums import Channel
from api.graphql.unit_node import aware
from domain.intakes import Intake as PolicyIntake
from domain.intakes import intake_named
from projections.views import intake_figures as figures


@strawberry.type(
    description="An intake line (受理专线) a case may come in by, as the policy lists them "
    "(`[[intakes]]` of the policy file): the 24-hour line for administrative complaints "
    "and reports (24小时行政投诉举报电话), the around-the-clock line serving enterprises."
)
class Intake:
    key: str = strawberry.field(description="What a case records: `intake` of receiveComplaint.")
    name: str | None = strawberry.field(
        description="Its Chinese name; null for a line the policy in force no longer lists."
    )
    channel: Channel | None = strawberry.field(
        description="The channel its cases belong to (receiveComplaint's channel must be it)."
    )
    receipt_hours: int | None = strawberry.field(
        description="Clock hours (nights, weekends and holidays count) within which a case of "
        "the line must be receipted: dispatched to a unit."
    )

    @classmethod
    def of(cls, key: str, intakes: Sequence[PolicyIntake]) -> Intake:
        """The line of ``key`` as ``intakes`` (the policy's) list it."""
        return cls.listed(key, intake_named(key, intakes))

    @classmethod
    def listed(cls, key: str, named: PolicyIntake | None) -> Intake:
        if named is None:
            return cls(key=key, name=None, channel=None, receipt_hours=None)
        return cls(
            key=key, name=named.name, channel=named.channel, receipt_hours=named.receipt_hours
        )


@strawberry.type(
    description="The receipt of a case of an intake line: due a number of clock hours after "
    "the case was received, met by its first dispatch to a unit."
)
class IntakeReceipt:
    due: datetime = strawberry.field(description="When it must be receipted by.")
    receipted_at: datetime | None = strawberry.field(
        description="The business time of the dispatch that receipted it; null before."
    )
    late: bool = strawberry.field(description="Receipted after it was due.")
    overdue: bool = strawberry.field(description="Not receipted, and past due now.")

    @classmethod
    def of(cls, r: dict[str, Any], now: datetime) -> IntakeReceipt | None:
        if r["receipt_by"] is None:
            return None
        due = aware(r["receipt_by"])
        done = None if r["receipted_at"] is None else aware(r["receipted_at"])
        return cls(
            due=due,
            receipted_at=done,
            late=done is not None and done > due,
            overdue=done is None and now > due,
        )


@strawberry.type(
    description="受理专线: one intake line's cases as of the day; for a day not over, the "
    "receipts as of now."
)
class IntakeFigures:
    intake: Intake
    received: int = strawberry.field(description="Cases received through it by asOf.")
    receipted: int = strawberry.field(description="Of them, receipted (dispatched) by then.")
    receipts_late: int = strawberry.field(description="Of those, receipted after their due time.")
    awaiting_overdue: int = strawberry.field(
        description="Received, not receipted by then, and past their due time."
    )

    @classmethod
    def of(cls, f: figures.IntakeFigures) -> IntakeFigures:
        return cls(
            intake=Intake.listed(f.key, f.intake),
            received=f.received,
            receipted=f.receipted,
            receipts_late=f.receipts_late,
            awaiting_overdue=f.awaiting_overdue,
        )
