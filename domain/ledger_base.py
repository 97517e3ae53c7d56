"""The machinery under every ledger command: stamp, load, check, save, answer.

``domain.ledger.Ledger`` adds one short method per command on top of this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.commands import running_command, spec_of
from domain.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    IdempotencyKeyReused,
    LedgerError,
    ValidationError,
)
from domain.ledger_reading import Item, LedgerReading
from domain.meta import CLOCK_SKEW, Actor, EventMeta, LedgerEvent, LedgerItem
from domain.receipt import Receipt, legacy_receipt_id_for, receipt_id_for
from domain.text import check_text, enforcing

LedgerBaseT = TypeVar("LedgerBaseT", bound="LedgerBase")
P = ParamSpec("P")
R = TypeVar("R")
Stamp = Callable[[LedgerItem | None], EventMeta]
"""Stamps a command's metadata once the item it changes is loaded (None: a new item)."""


@dataclass(frozen=True)
class CommandContext:
    """Who sends a command, when it happened, and how to guard it.

    ``occurred_at`` defaults to the moment of recording. ``expected_version``
    guards against stale writes; ``idempotency_key`` makes a retry harmless.
    """

    actor: Actor
    occurred_at: datetime | None = None
    request_id: str = field(default_factory=lambda: uuid4().hex)
    expected_version: int | None = None
    idempotency_key: str | None = None
    imported: bool = False
    fingerprint: str | None = None
    """A digest of the command's input: the same key with another input is refused."""
    timed: bool = False
    """A timed act of the ledger's own clock (``domain.ledger_timed_acts``): its business
    time, worked out from a deadline, may lie beyond the back-dating limit, and moves up
    to the item's last act where that is later."""


@dataclass(frozen=True)
class Written:
    """What a command wrote: the item, its new version and the log position."""

    item_id: UUID
    version: int
    position: int
    replayed: bool = False


def _within_input_limits(
    method: Callable[Concatenate[LedgerBaseT, P], R],
) -> Callable[Concatenate[LedgerBaseT, P], R]:
    """Run ``method`` with the ledger's policy's input limits in force: every text and list
    of every event it makes is checked against them (``domain.text``)."""

    def within(ledger: LedgerBaseT, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with enforcing(ledger.policy.inputs):
            return method(ledger, *args, **kwargs)

    return within


class LedgerBase(LedgerReading):
    """Event-sourced application holding every supervision item: every command is written
    here (stamped, checked, saved with its receipt)."""

    name = "Ledger"

    # writing

    def _create(self, ctx: CommandContext, make: Callable[[EventMeta], LedgerItem]) -> Written:
        command = running_command()
        written = self._commit(command, ctx, lambda stamp: make(stamp(None)), creating=True)
        if written is None:
            raise RuntimeError(f"{command} made an item without an event")
        return written

    def _change(
        self,
        cls: type[Item],
        item_id: UUID,
        ctx: CommandContext,
        act: Callable[[Item, EventMeta], object],
    ) -> Written:
        written = self._change_if_any(cls, item_id, ctx, act)
        if written is None:
            raise RuntimeError(f"{running_command()} recorded nothing")
        return written

    def _change_if_any(
        self,
        cls: type[Item],
        item_id: UUID,
        ctx: CommandContext,
        act: Callable[[Item, EventMeta], object],
    ) -> Written | None:
        """``_change`` for an act that may find nothing to record (then None)."""

        def run(stamp: Stamp) -> LedgerItem:
            item = self.get(cls, item_id)
            if ctx.expected_version is not None and ctx.expected_version != item.version:
                raise ConcurrencyConflict(item_id, ctx.expected_version, item.version)
            act(item, stamp(item))
            return item

        return self._commit(running_command(), ctx, run, creating=False, target=item_id)

    @_within_input_limits
    def _commit(
        self,
        command: str,
        ctx: CommandContext,
        run: Callable[[Stamp], LedgerItem],
        *,
        creating: bool,
        target: UUID | None = None,
    ) -> Written | None:
        earlier = self._earlier_result(command, ctx, target)
        if earlier is not None:
            return earlier
        try:
            item = run(lambda loaded: self._meta(ctx, loaded))
        except LedgerError:  # a retry racing its own first attempt, which committed meanwhile
            earlier = self._earlier_result(command, ctx, target)
            if earlier is not None:
                return earlier
            raise
        if not item.pending_events:
            return None
        version_before = item.version - len(item.pending_events)
        saved: list[Any] = [item]
        if ctx.idempotency_key is not None:
            saved.append(
                Receipt.issue(
                    ctx.actor,
                    ctx.idempotency_key,
                    command=command,
                    item_id=item.id,
                    item_version=item.version,
                    fingerprint=ctx.fingerprint,
                )
            )
        try:
            recordings = self.save(*saved)
        except IntegrityError:
            return self._explain_collision(
                command, ctx, item, version_before, creating=creating, target=target
            )
        position = max(
            r.notification.id for r in recordings if r.domain_event.originator_id == item.id
        )
        return Written(item.id, item.version, position)

    def _meta(self, ctx: CommandContext, item: LedgerItem | None) -> EventMeta:
        """Who and when, stamped once ``item`` (None: a new one) is loaded. A business time
        left to default is now, or the item's last act where another process's clock, a
        little ahead (``CLOCK_SKEW``), recorded one a moment later: a command is not refused
        because another committed just before it."""
        now = self.clock()
        occurred = ctx.occurred_at
        if occurred is None:
            occurred = now
            if item is not None and now < item.last_occurred_at <= now + CLOCK_SKEW:
                occurred = item.last_occurred_at
        elif ctx.timed and item is not None and occurred < item.last_occurred_at:
            occurred = item.last_occurred_at
        meta = EventMeta(
            actor=ctx.actor,
            occurred_at=occurred,
            recorded_at=now,
            request_id=ctx.request_id or uuid4().hex,
            imported=ctx.imported,
        )
        meta.check_business_time(None if ctx.timed else self.policy.max_backdate_days)
        return meta

    def _earlier_result(
        self, command: str, ctx: CommandContext, target: UUID | None
    ) -> Written | None:
        key = ctx.idempotency_key
        if key is None:
            return None
        if not key.strip():
            raise ValidationError("idempotency_key", "must not be empty")
        check_text("idempotency_key", key)
        receipt = self._receipt_for(ctx.actor, key)
        if receipt is None:
            return None
        if not receipt.matches(command, target, ctx.fingerprint):
            raise IdempotencyKeyReused(key)
        position = self.position_of(receipt.item_id, receipt.item_version)
        return Written(receipt.item_id, receipt.item_version, position, replayed=True)

    def answered(
        self, command: Callable[..., object], ctx: CommandContext, target: UUID | None = None
    ) -> Written | None:
        """What ``ctx``'s idempotency key was answered with when its principal sent it for
        ``command`` (a command method: ``Ledger.register_task``) before (None: it has not;
        ``IdempotencyKeyReused`` if it was sent for another command). Writes nothing: a
        caller may ask before acting."""
        spec = spec_of(command)
        if spec is None:
            raise TypeError(f"{command!r} is not a ledger command")
        return self._earlier_result(spec.name, ctx, target)

    def _receipt_for(self, principal: Actor, key: str) -> Receipt | None:
        """The receipt of ``key`` as ``principal`` sent it, if any: keys belong to the
        principal that sent them. A receipt issued before they were scoped (under the
        key alone, naming no issuer) counts only for the principal whose act it
        acknowledges; for anyone else the key is unused."""
        for receipt_id in (receipt_id_for(principal, key), legacy_receipt_id_for(key)):
            try:
                receipt: Receipt = self.repository.get(receipt_id)
            except AggregateNotFoundError:
                continue
            issuer = receipt.issuer or self._actor_of(receipt.item_id, receipt.item_version)
            if issuer is not None and issuer.id == principal.id:
                return receipt
        return None

    def _actor_of(self, item_id: UUID, version: int) -> Actor | None:
        """Who made one version of one item (None if the log holds no such event)."""
        for event in self.events.get(item_id, gt=version - 1, lte=version):
            if isinstance(event, LedgerEvent):
                return event.actor
        return None

    def _explain_collision(
        self,
        command: str,
        ctx: CommandContext,
        item: LedgerItem,
        version_before: int,
        *,
        creating: bool,
        target: UUID | None,
    ) -> Written:
        earlier = self._earlier_result(command, ctx, target)
        if earlier is not None:
            return earlier
        if creating:
            raise AlreadyExists(type(item).item_type, str(item.id))
        current = self.get(type(item), item.id).version
        raise ConcurrencyConflict(item.id, ctx.expected_version or version_before, current)
