"""Receipt: proof that a command sent with an idempotency key was applied.

Saved in the same transaction as the change it acknowledges, under an id
derived from the key, so a repeated key finds the first result and writes
nothing; two racing repeats collide on the receipt and only one is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate


def receipt_id_for(key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"ledger:receipt:{key}")


class Receipt(Aggregate):
    """The first result of a command sent with an idempotency key."""

    class Issued(Aggregate.Created):
        key: str
        command: str
        item_id: UUID
        item_version: int
        fingerprint: str | None  # receipts issued before it was kept have none

        def apply(self, receipt: Receipt) -> None:
            receipt.key, receipt.command = self.key, self.command
            receipt.item_id, receipt.item_version = self.item_id, self.item_version
            receipt.fingerprint = vars(self).get("fingerprint")

    if TYPE_CHECKING:
        key: str
        command: str
        item_id: UUID
        item_version: int
        fingerprint: str | None

    @classmethod
    def issue(
        cls, key: str, command: str, item_id: UUID, item_version: int, fingerprint: str | None
    ) -> Receipt:
        return cls._create(
            cls.Issued,
            id=receipt_id_for(key),
            key=key,
            command=command,
            item_id=item_id,
            item_version=item_version,
            fingerprint=fingerprint,
        )

    def matches(self, command: str, target: UUID | None, fingerprint: str | None) -> bool:
        """Whether a repeat of the key is the same command: same command, on the same
        item (when the command names one), with the same input (when both say)."""
        if self.command != command or (target is not None and target != self.item_id):
            return False
        return fingerprint is None or self.fingerprint is None or fingerprint == self.fingerprint
