"""The Query root's figures: the 5+1+1 overview, the legacy-problem totals, the units'
scorecards, the log's seal and the units meeting the 约谈 and 移交 criteria."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.candidate_types import InterviewCandidate, ReferralCandidate
from api.graphql.context import Context
from api.graphql.guards import Allowed, own_unit
from api.graphql.reading import read_own_writes
from api.graphql.scorecard_types import UnitScorecard
from api.graphql.screen_types import OversightTotals, TaskBoard
from api.graphql.view_types import (
    LegacyIssueTotals,
    SupervisionOverview,
    months_of,
)
from api.runtime.seal_watch import SealCheck
from projections.seal import GENESIS, Seal, latest_seal_as_kept
from projections.views.candidates import interview_candidates
from projections.views.legacy_totals import legacy_issue_totals
from projections.views.oversight_totals import oversight_totals
from projections.views.overview import supervision_overview
from projections.views.referral_candidates import referral_candidates
from projections.views.scorecards import unit_scorecards
from projections.views.screen_board import screen_board

Info_ = Info[Context, Any]


async def _read_own_writes(info: Info_) -> None:
    await read_own_writes(info.context)


def _date_or_today(info: Info_, as_of: date | None) -> date:
    return as_of if as_of is not None else info.context.services.today()


@strawberry.type
class FigureQueries:
    @strawberry.field(
        permission_classes=[Allowed],
        description="The 5+1+1 overview as of a business date (default today).",
    )
    async def supervision_overview(
        self, info: Info_, as_of: date | None = None
    ) -> SupervisionOverview:
        await _read_own_writes(info)
        return await overview_as_of(info, as_of)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Legacy-problem totals as of a business date (default today).",
    )
    async def legacy_issue_totals(
        self, info: Info_, as_of: date | None = None
    ) -> LegacyIssueTotals:
        await _read_own_writes(info)
        return await totals_as_of(info, as_of)

    @strawberry.field(
        permission_classes=[Allowed],
        description="The task board in figures as of a business date (default today): open "
        "tasks by light, tier and state, and the red and escalated ones.",
    )
    async def task_board(self, info: Info_, as_of: date | None = None) -> TaskBoard:
        await _read_own_writes(info)
        return await board_as_of(info, as_of)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Interviews (约谈) and referrals (移交纪检监察) in figures as of a business "
        "date (default today).",
    )
    async def oversight_totals(self, info: Info_, as_of: date | None = None) -> OversightTotals:
        await _read_own_writes(info)
        return await oversight_as_of(info, as_of)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Every unit's scorecard for a year (2021) or quarter (2021-Q2).",
    )
    async def unit_scorecards(self, info: Info_, period: str) -> list[UnitScorecard]:
        await _read_own_writes(info)
        services = info.context.services
        cards = await services.figures(unit_scorecards, period, services.today())
        unit = own_unit(info)
        return [UnitScorecard.of(card) for card in cards if unit in (None, card.unit)]

    @strawberry.field(
        permission_classes=[Allowed],
        description="The latest seal of the log, and how far the server's background "
        "verifier has found the log to hold (null before the first event).",
    )
    async def ledger_seal(self, info: Info_) -> LedgerSeal | None:
        await _read_own_writes(info)
        found = await info.context.services.read(latest_seal_as_kept)
        check = info.context.services.seal_watch.latest
        if found is None and check.first_bad_position is None:
            return None
        return LedgerSeal.of(found or Seal(0, GENESIS), check)

    @strawberry.field(
        permission_classes=[Allowed],
        description="Units meeting the plan's 约谈 criteria today: a list for the office to "
        "decide on, never an automatic interview.",
    )
    async def interview_candidates(self, info: Info_) -> list[InterviewCandidate]:
        await _read_own_writes(info)
        services = info.context.services
        criteria = services.ledger.policy.interview_criteria
        found = await services.read(interview_candidates, criteria, services.today())
        return [InterviewCandidate.of(x) for x in found]

    @strawberry.field(
        permission_classes=[Allowed],
        description="Units whose case looks serious (情节严重) by the policy's referral "
        "criteria as of a business date (default today): a list for the office to decide "
        "on, never an automatic referral to discipline inspection.",
    )
    async def referral_candidates(
        self, info: Info_, as_of: date | None = None
    ) -> list[ReferralCandidate]:
        await _read_own_writes(info)
        criteria = info.context.services.ledger.policy.referral_criteria
        day = _date_or_today(info, as_of)
        found = await info.context.services.read(referral_candidates, criteria, day)
        return [ReferralCandidate.of(x) for x in found]


async def overview_as_of(
    info: Info_, as_of: date | None, *, with_months: bool = False
) -> SupervisionOverview:
    """The overview; ``with_months``: its monthly series read now too (a subscription
    compares whole answers), else only if the query asks for it."""
    day, services = _date_or_today(info, as_of), info.context.services
    policy = services.ledger.policy
    found = await services.views.answer(
        (supervision_overview, day),
        lambda: services.read(
            supervision_overview, day, policy.teams, policy.intakes, services.ledger.clock()
        ),
        until=lambda overview: overview.changes_at,
    )
    return SupervisionOverview.of(found, await months_of(info, day) if with_months else None)


async def totals_as_of(info: Info_, as_of: date | None) -> LegacyIssueTotals:
    found = await info.context.services.figures(legacy_issue_totals, _date_or_today(info, as_of))
    return LegacyIssueTotals.of(found)


async def board_as_of(info: Info_, as_of: date | None) -> TaskBoard:
    services = info.context.services
    day, rules = _date_or_today(info, as_of), services.ledger.rules
    found = await services.views.answer(
        (screen_board, day), lambda: services.read(screen_board, rules, day)
    )
    return TaskBoard.of(found)


async def oversight_as_of(info: Info_, as_of: date | None) -> OversightTotals:
    found = await info.context.services.figures(oversight_totals, _date_or_today(info, as_of))
    return OversightTotals.of(found)


@strawberry.type(description="The latest checkpoint of the log's running hash.")
class LedgerSeal:
    position: int = strawberry.field(description="Every event up to here is covered.")
    chain: str = strawberry.field(description="The chain value there (SHA-256, hex).")
    seal: str = strawberry.field(
        description="The seal to print into an official record; `ledger verify --against` "
        "checks the log against it later (empty while nothing is sealed)."
    )
    verified_up_to: int = strawberry.field(
        default=0,
        description="The background verifier has checked every stored row up to here "
        "against the seal chain and the ledger's signatures (0: not yet).",
    )
    holds: bool | None = strawberry.field(
        default=None,
        description="False once the verifier found a row altered, removed, slipped in or "
        "not signed by the ledger (see firstBadPosition; `ledger verify` names them all); "
        "null while it is not known (not walked yet, or the walk failed: see problem).",
    )
    first_bad_position: int | None = strawberry.field(
        default=None, description="The first position where the log does not hold."
    )
    problem: str | None = strawberry.field(
        default=None,
        description="What is wrong at firstBadPosition, or why holds is not known.",
    )
    verified_at: datetime | None = strawberry.field(
        default=None, description="When the verifier last reported."
    )

    @classmethod
    def of(cls, seal: Seal, check: SealCheck) -> LedgerSeal:
        return cls(
            position=seal.position,
            chain=seal.chain.hex(),
            seal=str(seal) if seal.position else "",
            verified_up_to=check.verified_up_to,
            holds=check.holds,
            first_bad_position=check.first_bad_position,
            problem=check.problem,
            verified_at=check.checked_at,
        )
