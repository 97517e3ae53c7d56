"""Access tokens and disclosures of personal data: acts of the ledger like any other, so
the audit trail shows who was let in, when that ended, and who read what.

A token is known only by the SHA-256 of its secret: the secret is shown once, when
it is issued, and never stored. Its id follows from that hash, so a presented
token is found without a search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import ValidationError, require_text
from domain.ids import AccessTokenId
from domain.meta import EventMeta, LedgerCreated, LedgerEvent, LedgerItem, Role
from domain.text import id_from_text


class TokenState(Enum):
    ACTIVE = "active"
    REVOKED = "revoked"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_id_for(secret_hash: str) -> AccessTokenId:
    """The id of the token whose secret hashes to ``secret_hash``."""
    return AccessTokenId(id_from_text("token", "secret_hash", secret_hash))


class AccessToken(LedgerItem):
    """A bearer token: who it speaks for (role, unit), until when, and whether revoked."""

    item_type = "AccessToken"

    class Issued(LedgerCreated):
        secret_hash: str
        role: Role
        unit: UUID | None
        name: str
        expires_at: datetime

        def apply(self, token: AccessToken) -> None:
            token.secret_hash, token.role, token.unit = self.secret_hash, self.role, self.unit
            token.name, token.expires_at = self.name, self.expires_at
            token.state = TokenState.ACTIVE

    class Revoked(LedgerEvent):
        reason: str

        def apply(self, token: AccessToken) -> None:
            token.state = TokenState.REVOKED

    if TYPE_CHECKING:
        secret_hash: str
        role: Role
        unit: UUID | None
        name: str
        expires_at: datetime
        state: TokenState

    @classmethod
    def issue(
        cls,
        *,
        secret_hash: str,
        role: Role,
        unit: UUID | None,
        name: str,
        expires_at: datetime,
        meta: EventMeta,
    ) -> AccessToken:
        if len(secret_hash) != 64:
            raise ValidationError("secret_hash", "must be a SHA-256 in hex")
        if (role is Role.UNIT) != (unit is not None):
            raise ValidationError("unit", "a unit token names its unit; other roles name none")
        if expires_at <= meta.recorded_at:
            raise ValidationError("expires_at", "must be in the future")
        return cls._start(
            cls.Issued,
            meta,
            token_id_for(secret_hash),
            secret_hash=secret_hash,
            role=role,
            unit=unit,
            name=require_text("name", name),
            expires_at=expires_at,
        )

    def revoke(self, reason: str, meta: EventMeta) -> None:
        self._require("revoke", TokenState.ACTIVE)
        self._emit(self.Revoked, meta, reason=require_text("reason", reason))

    def admits(self, moment: datetime) -> bool:
        """Whether the token lets its holder in at ``moment``."""
        return self.state is TokenState.ACTIVE and moment < self.expires_at


class DisclosureState(Enum):
    RECORDED = "recorded"


class Disclosure(LedgerItem):
    """A read of unmasked personal data: who read which items' which fields, why (the
    purpose the reader stated) and where (which read: an item's history, the audit
    trail, the live feed)."""

    item_type = "Disclosure"

    class Recorded(LedgerCreated):
        items: list[UUID]
        fields: list[str]
        purpose: str
        read_in: str | None  # disclosures recorded before it was kept name no read

        def apply(self, d: Disclosure) -> None:
            d.items, d.fields, d.purpose = tuple(self.items), tuple(self.fields), self.purpose
            d.read_in = vars(self).get("read_in")
            d.state = DisclosureState.RECORDED

    if TYPE_CHECKING:
        items: tuple[UUID, ...]
        fields: tuple[str, ...]
        purpose: str
        read_in: str | None
        state: DisclosureState

    @classmethod
    def record(
        cls,
        item_id: UUID,
        *,
        items: Sequence[UUID],
        fields: Sequence[str],
        purpose: str,
        read_in: str | None = None,
        meta: EventMeta,
    ) -> Disclosure:
        if not items:
            raise ValidationError("items", "name the items whose personal data was read")
        return cls._start(
            cls.Recorded,
            meta,
            item_id,
            items=sorted(set(items), key=str),
            fields=sorted(set(fields)),
            purpose=require_text("purpose", purpose),
            read_in=read_in,
        )
