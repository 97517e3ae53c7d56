"""The Query root: lists of items, nodes, history, the audit trail and the views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql import filters as f
from api.graphql.context import Context
from api.graphql.disclosure import PURPOSE, Opening
from api.graphql.enums import UnitKind
from api.graphql.events import Event, from_entry
from api.graphql.guards import Allowed, confined, own_unit
from api.graphql.history import History, item_history
from api.graphql.ids import parse_id
from api.graphql.lookup import concerns_unit, node_by_id
from api.graphql.moments import checked_optional
from api.graphql.nodes import (
    NODE_KINDS,
    Assessment,
    Complaint,
    Interview,
    LegacyIssue,
    LegacyTarget,
    Node,
    Referral,
    Task,
    Unit,
    task_light,
)
from api.graphql.pages import (
    Connection,
    decode_cursor,
    encode_cursor,
    make_connection,
    page_size,
)
from api.graphql.reading import read_own_writes
from api.graphql.view_types import (
    InterviewCandidate,
    LegacyIssueTotals,
    SupervisionOverview,
    UnitScorecard,
)
from api.runtime.seal_watch import SealCheck
from domain.errors import NotFound, ValidationError
from projections.seal import GENESIS, Seal, latest_seal_as_kept
from projections.views import listing
from projections.views.audit_index import audit_events, count_audit_events
from projections.views.candidates import interview_candidates
from projections.views.legacy_totals import legacy_issue_totals
from projections.views.overview import supervision_overview
from projections.views.scorecards import unit_scorecards

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


async def _read_own_writes(info: Info_) -> None:
    await read_own_writes(info.context)


def _date_or_today(info: Info_, as_of: date | None) -> date:
    return as_of if as_of is not None else info.context.services.today()


@strawberry.type
class Query:
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
        description="Any item by its global id (`Task:<uuid>`); null if none.",
    )
    async def node(self, info: Info_, id: strawberry.ID) -> Node | None:
        await _read_own_writes(info)
        return await node_by_id(info, str(id), unit=own_unit(info))

    @strawberry.field(
        permission_classes=[Allowed],
        description="An item's events and state: at a version, at a business time "
        "(`asOf`), or as the ledger knew it at a record time (`knownAt`). Read from the log.",
    )
    async def history(
        self,
        info: Info_,
        item_id: strawberry.ID,
        as_of_version: int | None = None,
        as_of: datetime | None = None,
        known_at: datetime | None = None,
        *,
        purpose: Annotated[str | None, strawberry.argument(description=PURPOSE)] = None,
    ) -> History | None:
        named, uuid = parse_id("itemId", str(item_id))
        for name, moment in (("asOf", as_of), ("knownAt", known_at)):
            if moment is not None and moment.tzinfo is None:
                raise ValidationError(name, "must carry a time zone (as +08:00 or Z)")
            checked_optional(name, moment)
        opening = Opening(info.context, purpose, "an item's history")
        services = info.context.services
        unit = own_unit(info)
        if unit is not None and not await concerns_unit(info, str(uuid), unit):
            return None  # as for an id that does not exist
        try:
            found = await services.call(
                item_history,
                services.ledger,
                uuid,
                as_of_version=as_of_version,
                as_of=as_of,
                known_at=known_at,
            )
        except NotFound:
            return None
        if named is not None and named != found.item_type:
            return None  # an id of another type names nothing, as for node
        if found.item_type in permissions.hidden_item_types(info.context.actor.role):
            return None
        found.state = opening.protect(found.item_id, found.state)
        for event in found.events:
            event.data = opening.protect(event.item_id, event.data)
        await opening.record()
        return found

    @strawberry.field(
        permission_classes=[Allowed],
        description="The audit trail: the log, filtered, in position order.",
    )
    async def events(
        self,
        info: Info_,
        filter: f.EventFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        purpose: Annotated[str | None, strawberry.argument(description=PURPOSE)] = None,
    ) -> Connection[Event]:
        services = info.context.services
        opening = Opening(info.context, purpose, "the audit trail (events)")
        await _read_own_writes(info)
        limit = page_size(first, services.limits.default_page, services.limits.max_page)
        since = decode_cursor("events", after)
        position = _position_cursor(since)
        where = replace(
            (filter or f.EventFilter()).audit_filter(),
            concerning_unit=own_unit(info),
            hidden_item_types=permissions.hidden_item_types(info.context.actor.role),
        )
        entries = await services.read(
            lambda conn: audit_events(
                conn,
                where,
                backdated_after_hours=services.backdated_after_hours,
                after=position,
                limit=limit + 1,
            )
        )
        total = await services.read(
            lambda conn: count_audit_events(
                conn, where, backdated_after_hours=services.backdated_after_hours
            )
        )
        shown = entries[:limit]
        events = [from_entry(e) for e in shown]
        for event in events:
            event.data = opening.protect(event.item_id, event.data)
        await opening.record()
        return make_connection(
            events,
            [encode_cursor("events", [str(e.position)]) for e in shown],
            has_next=len(entries) > limit,
            had_cursor=since is not None,
            total=total,
        )

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
        description="Every unit's scorecard for a year (2021) or quarter (2021-Q2).",
    )
    async def unit_scorecards(self, info: Info_, period: str) -> list[UnitScorecard]:
        await _read_own_writes(info)
        cards = await info.context.services.read(unit_scorecards, period)
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


async def overview_as_of(info: Info_, as_of: date | None) -> SupervisionOverview:
    found = await info.context.services.read(supervision_overview, _date_or_today(info, as_of))
    return SupervisionOverview.of(found)


async def totals_as_of(info: Info_, as_of: date | None) -> LegacyIssueTotals:
    found = await info.context.services.read(legacy_issue_totals, _date_or_today(info, as_of))
    return LegacyIssueTotals.of(found)


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


def _position_cursor(values: list[str] | None) -> int:
    if values is None:
        return 0
    try:
        (position,) = values
        if not (position.isascii() and position.isdigit() and len(position) <= 18):
            raise ValueError(position)
        return int(position)
    except ValueError:
        raise ValidationError("after", "is not a cursor of the events list") from None
