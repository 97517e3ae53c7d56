"""Ledger commands on access tokens and disclosures of personal data.

These are run by the service and the CLI on the ledger's own behalf (issuing a
token, recording that someone read personal data), not offered as mutations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import uuid4

from domain.access import AccessToken, Disclosure
from domain.commands import command
from domain.ids import AccessTokenId, ItemId, UnitId
from domain.ledger_base import CommandContext, LedgerBase, Written
from domain.meta import Role


class AccessCommands(LedgerBase):
    """Issue and revoke tokens; record disclosures."""

    @command(creates=AccessToken, service=True)
    def issue_token(
        self,
        ctx: CommandContext,
        *,
        secret_hash: str,
        role: Role,
        name: str,
        expires_at: datetime,
        unit: UnitId | None = None,
    ) -> Written:
        """Issue a bearer token for a role (and, for unit staff, a unit)."""
        if unit is not None:
            self.check_units("unit", [unit])
        return self._create(
            ctx,
            lambda m: AccessToken.issue(
                secret_hash=secret_hash,
                role=role,
                unit=unit,
                name=name,
                expires_at=expires_at,
                meta=m,
            ),
        )

    @command(service=True)
    def revoke_token(self, ctx: CommandContext, token_id: AccessTokenId, *, reason: str) -> Written:
        """Revoke a token: it lets no one in from now on."""
        return self._change(AccessToken, token_id, ctx, lambda t, m: t.revoke(reason, m))

    @command(creates=Disclosure, service=True)
    def record_disclosure(
        self,
        ctx: CommandContext,
        *,
        items: Sequence[ItemId],
        fields: Sequence[str],
        purpose: str,
        read_in: str | None = None,
    ) -> Written:
        """Record that the actor read these items' personal data, unmasked, for
        ``purpose`` (as the actor stated it), in the read ``read_in``."""
        return self._create(
            ctx,
            lambda m: Disclosure.record(
                uuid4(), items=items, fields=fields, purpose=purpose, read_in=read_in, meta=m
            ),
        )
