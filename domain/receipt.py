"""Receipt: proof that a command sent with an idempotency key was applied.

Saved in the same transaction as the change it acknowledges, under an id
derived from the principal that sent the command and the key, so a repeated
key from the same principal finds the first result and writes nothing; two
racing repeats collide on the receipt and only one is stored. Keys belong to
the principal that sent them: another principal sending the same key makes an
act of its own and learns nothing of the first.

Receipts issued before keys were scoped sit under an id derived from the key
alone and name no issuer; they still answer their own principal's repeats
(the principal is the actor of the event they acknowledge), and no one else's.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.meta import Actor


def receipt_id_for(issuer: Actor, key: str) -> UUID:
    """The id of the receipt of ``key`` as sent by ``issuer`` (its actor id names the
    principal: for a token, its name and the start of its id)."""
    scoped = json.dumps([issuer.id, key], ensure_ascii=False)
    return uuid5(NAMESPACE_URL, f"ledger:receipt:by:{scoped}")


def legacy_receipt_id_for(key: str) -> UUID:
    """Where a receipt issued before keys were scoped to their principal sits."""
    return uuid5(NAMESPACE_URL, f"ledger:receipt:{key}")


class Receipt(Aggregate):
    """The first result of a command sent with an idempotency key."""

    class Issued(Aggregate.Created):
        key: str
        command: str
        item_id: UUID
        item_version: int
        fingerprint: str | None  # receipts issued before it was kept have none
        issuer: Actor | None  # receipts issued before keys were scoped have none

        def apply(self, receipt: Receipt) -> None:
            receipt.key, receipt.command = self.key, self.command
            receipt.item_id, receipt.item_version = self.item_id, self.item_version
            receipt.fingerprint = vars(self).get("fingerprint")
            receipt.issuer = vars(self).get("issuer")

    if TYPE_CHECKING:
        key: str
        command: str
        item_id: UUID
        item_version: int
        fingerprint: str | None
        issuer: Actor | None

    @classmethod
    def issue(
        cls,
        issuer: Actor,
        key: str,
        *,
        command: str,
        item_id: UUID,
        item_version: int,
        fingerprint: str | None,
    ) -> Receipt:
        return cls._create(
            cls.Issued,
            id=receipt_id_for(issuer, key),
            key=key,
            command=command,
            item_id=item_id,
            item_version=item_version,
            fingerprint=fingerprint,
            issuer=issuer,
        )

    def matches(self, command: str, target: UUID | None, fingerprint: str | None) -> bool:
        """Whether a repeat of the key is the same command: same command, on the same
        item (when the command names one), with the same input (when both say)."""
        if self.command != command or (target is not None and target != self.item_id):
            return False
        return fingerprint is None or self.fingerprint is None or fingerprint == self.fingerprint
