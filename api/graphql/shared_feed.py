"""``ledgerEvents`` for thousands of subscribers: the live part served by shared feeds.

A subscription whose personal data stays masked asks for answers that depend only on the
event, its document and variables (``after`` aside) and what its role and unit may see.
Strawberry runs it as any subscription (its arguments checked, its errors as before, the
replay its own), but with a ``Handover`` as its root value: the resolver joins the shared
feed of its key (``api.runtime.live_feeds``), replays the log up to the feed's boundary,
and ends. ``handed_over`` then goes on from the member's mailbox: each event's answer
worked out once for every subscriber of the key, its JSON made once
(``shared_views.SharedData``), sent under each subscriber's own operation id.

The feed's answers are worked out by the service itself, seeing what the key's role and
unit see (``shared_views.the_service_as``), with personal data masked. Each subscriber
still ends on its own when its token is revoked or expires. A subscriber who sees personal
data in clear (a purpose stated, a role that may) is answered by its own feed as before:
its Disclosures are its own. So is a selection holding ``chain`` (the seal reaches an event
after it is sent).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Collection, Iterable
from contextlib import aclosing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    parse,
)
from graphql.language import SKIP, Node, Visitor, VisitorAction, visit
from strawberry.schema.base import BaseSchema
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType as Operation

from api.graphql.context import Context
from api.graphql.disclosure import Opening
from api.graphql.disclosure_batches import disclosed
from api.graphql.ledger_feed import Wanted, ledger_pages, visible
from api.graphql.live_guard import FELL_BEHIND, FeedEnded, SubscriptionFailed
from api.graphql.shared_views import SharedData, the_service_as
from api.runtime.live_feeds import (
    VIEW,
    Answered,
    FellBehind,
    Member,
    SharedFeed,
    Source,
    Token,
)
from domain.errors import LedgerError

LOG = logging.getLogger("ledger.subscriptions")
NOT_SHARED = "chain"
"""A field whose value changes after an event is sent."""
READ_IN = "the live feed (ledgerEvents)"


@dataclass(frozen=True)
class FeedAsked:
    """A ``ledgerEvents`` subscription a shared feed can answer."""

    document: str
    operation_name: str | None
    after: str | None
    """The variable giving ``after``, if one gives nothing else (left out of the key)."""


@lru_cache(maxsize=512)
def shared_feed_of(document: str, operation_name: str | None) -> FeedAsked | None:
    """``document`` as a shared feed's if it subscribes to ``ledgerEvents`` alone, with no
    directive on it and no ``chain`` selected; else None."""
    try:
        parsed = parse(document)
    except GraphQLSyntaxError:
        return None
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or _named(o, operation_name)]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.SUBSCRIPTION:
        return None
    fields = chosen[0].selection_set.selections
    root = fields[0] if len(fields) == 1 else None
    if not isinstance(root, FieldNode) or root.name.value != VIEW or root.directives:
        return None
    if NOT_SHARED in _used(parsed)[0]:
        return None
    return FeedAsked(document, operation_name, after_variable(root, [parsed]))


def after_variable(root: FieldNode, nodes: Iterable[Node]) -> str | None:
    """The variable giving ``root``'s ``after``, if ``nodes`` use it for nothing else: the
    answers do not depend on it, so it is left out of the keys that share them."""
    after = next((a.value for a in root.arguments or () if a.name.value == "after"), None)
    if not isinstance(after, VariableNode):
        return None
    uses = [name for node in nodes for name in _used(node)[1]]
    return after.name.value if uses.count(after.name.value) == 1 else None


def _named(operation: OperationDefinitionNode, name: str) -> bool:
    return operation.name is not None and operation.name.value == name


def _used(document: Node) -> tuple[set[str], list[str]]:
    """The names of every field ``document`` selects, and every use of a variable."""
    names: set[str] = set()
    variables: list[str] = []

    class Uses(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            names.add(node.name.value)

        def enter_variable_definition(self, *_: object) -> VisitorAction:
            return SKIP  # a definition, not a use

        def enter_variable(self, node: VariableNode, *_: object) -> None:
            variables.append(node.name.value)

    visit(document, Uses())
    return names, variables


class Handover:
    """One subscription's way from its replay to its shared feed (its root value)."""

    def __init__(
        self,
        schema: BaseSchema,
        asked: FeedAsked,
        variables: dict[str, Any] | None,
        context: Context,
    ) -> None:
        self.schema, self.asked, self.context = schema, asked, context
        self.variables = dict(variables or {})
        self.after = 0
        self.joined: tuple[SharedFeed, Member] | None = None
        self.handed = False

    def join(self, after: int, wanted: Wanted, hidden: Collection[str], unit: str | None) -> int:
        """Join the key's feed; the boundary the subscriber replays up to."""
        self.after = after
        actor = self.context.actor
        given = {k: v for k, v in self.variables.items() if k != self.asked.after}
        key = (
            self.asked.document,
            self.asked.operation_name,
            json.dumps(given, sort_keys=True, default=str),
            actor.role,
            actor.unit if unit is not None else None,
        )
        principal = self.context.principal
        assert principal is not None
        services = self.context.services
        token = Token(services.tokens.revoked(principal.token_id), principal.expires_at)
        self.joined = services.live_feeds.join(key, self._source(wanted, hidden, unit), token)
        return self.joined[1].boundary

    def hand_over(self) -> None:
        """The replay is over: the shared feed takes it from here."""
        self.handed = self.joined is not None

    def leave(self) -> None:
        if self.joined is not None:
            feed, member = self.joined
            self.context.services.live_feeds.leave(feed, member)
            self.joined = None

    def _source(self, wanted: Wanted, hidden: Collection[str], unit: str | None) -> Source:
        asked, variables, schema = self.asked, self.variables, self.schema
        service = Context(self.context.services, the_service_as(self.context.actor))

        def answers(start: int) -> AsyncIterator[Answered]:
            return _answers(
                schema, asked, variables, service, start=start, sees=(wanted, hidden, unit)
            )

        return answers


async def _answers(
    schema: BaseSchema,
    asked: FeedAsked,
    variables: dict[str, Any],
    service: Context,
    *,
    start: int,
    sees: tuple[Wanted, Collection[str], str | None],
) -> AsyncGenerator[Answered, None]:
    """The answers of the events after ``start`` the key's subscribers are to see."""
    wanted, hidden, unit = sees
    pages = visible(service, ledger_pages(service, start, wanted, shared=True), hidden, unit)
    events = disclosed(Opening(service, None, READ_IN), pages)  # masked: nothing to record
    try:
        async with aclosing(events):
            async for event in events:
                since = time.perf_counter()
                result = await schema.execute(
                    asked.document,
                    variable_values=variables,
                    context_value=Context(service.services, service.principal),
                    root_value=event,
                    operation_name=asked.operation_name,
                    allowed_operation_types=(Operation.SUBSCRIPTION,),
                )
                yield Answered(event.position, _shared(result), since)
    except (LedgerError, FeedEnded):
        raise
    except Exception as error:  # internals stay in the log, not with the client
        LOG.exception("a shared live feed failed")
        raise SubscriptionFailed(
            "this subscription failed on the server; subscribe again with `after` set to "
            "the last position received"
        ) from error


def _shared(result: ExecutionResult) -> ExecutionResult:
    """``result`` with its JSON made once, unless it carries errors or extensions."""
    if result.errors or result.extensions or result.data is None:
        return result
    data = SharedData(result.data)
    data.encoded = json.dumps(result.data, separators=(",", ":"))
    return ExecutionResult(data=data, errors=None)


async def handed_over(
    source: AsyncGenerator[Any, None], handover: Handover
) -> AsyncGenerator[Any, None]:
    """Strawberry's results for the subscription, then, once its replay has handed over,
    the shared feed's."""
    try:
        async with aclosing(source):
            async for result in source:
                yield result
        if handover.handed and handover.joined is not None:
            async for result in _live(handover, handover.joined[1]):
                yield result
    finally:
        handover.leave()


async def _live(handover: Handover, member: Member) -> AsyncGenerator[ExecutionResult, None]:
    metrics = handover.context.services.metrics
    metrics.subscription_opened(VIEW)
    try:
        while answers := await member.take():
            for position, result in answers:
                if member.cut:
                    break  # revoked or expired meanwhile: nothing more is sent
                if position > handover.after:
                    yield result
    except FellBehind:
        yield _ended(FeedEnded(FELL_BEHIND))
    except (LedgerError, FeedEnded) as reason:
        yield _ended(reason)
    finally:
        metrics.subscription_closed(VIEW)


def _ended(reason: Exception) -> ExecutionResult:
    """The last result of a subscription that could not go on, as strawberry gives it."""
    return ExecutionResult(data=None, errors=[GraphQLError(str(reason), original_error=reason)])
