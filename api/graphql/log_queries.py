"""The Query root's reads of the log itself: an item's ``history`` and the audit trail
(``events``), personal data shown only for a stated purpose."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api import permissions
from api.graphql import filters as f
from api.graphql.context import Context
from api.graphql.disclosure import PURPOSE, Opening
from api.graphql.events import Event, from_entry
from api.graphql.global_ids import parse_id
from api.graphql.guards import Allowed, own_unit
from api.graphql.history import History, item_history
from api.graphql.lookup import concerns_unit
from api.graphql.moments import checked_optional
from api.graphql.pages import (
    Connection,
    decode_cursor,
    encode_cursor,
    make_connection,
    page_size,
)
from api.graphql.reading import read_own_writes
from domain.errors import NotFound, ValidationError
from projections.views.audit_index import audit_events, count_audit_events

Info_ = Info[Context, Any]


@strawberry.type
class LogQueries:
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
        await read_own_writes(info.context)
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
