"""``ledger token create | revoke | list``: bearer tokens, issued and revoked as events."""

from __future__ import annotations

import getpass
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.access import AccessToken, TokenState, token_hash, token_id_for
from domain.errors import NotFound, ValidationError
from domain.ids import AccessTokenId, UnitId
from domain.ledger import Ledger
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import Unit, unit_id_for

TOKEN_PREFIX = "sl_"
DEFAULT_DAYS = 365


@dataclass(frozen=True)
class IssuedToken:
    secret: str
    token_id: UUID
    role: Role
    unit: UUID | None
    expires_at: datetime


def cli_actor() -> Actor:
    return Actor(id=f"cli:{getpass.getuser()}", role=Role.OFFICE)


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise ValidationError("role", f"{text!r} is not a role; known: {known}") from None


def find_unit(ledger: Ledger, text: str) -> UUID:
    """A unit by its id or by the name it was registered under."""
    try:
        unit_id = UUID(text)
    except ValueError:
        unit_id = unit_id_for(text.strip())
    try:
        ledger.get(Unit, unit_id)
    except NotFound:
        raise ValidationError("unit", f"no unit {text!r}") from None
    return unit_id


def create_token(
    ledger: Ledger,
    *,
    role: Role,
    unit: UUID | None,
    name: str,
    days: int = DEFAULT_DAYS,
    actor: Actor | None = None,
) -> IssuedToken:
    """Issue a new token; its secret is returned here and stored nowhere."""
    if days < 1:
        raise ValidationError("expires", "must be 1 day or more")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = ledger.clock() + timedelta(days=days)
    written = ledger.issue_token(
        CommandContext(actor=actor or cli_actor()),
        secret_hash=token_hash(secret),
        role=role,
        unit=None if unit is None else UnitId(unit),
        name=name,
        expires_at=expires_at,
    )
    return IssuedToken(secret, written.item_id, role, unit, expires_at)


def token_id_of(text: str) -> AccessTokenId:
    """A token's id, from the id itself or from the token's secret."""
    try:
        return AccessTokenId(UUID(text.strip()))
    except ValueError:
        return token_id_for(token_hash(text.strip()))


def revoke(ledger: Ledger, text: str, reason: str, actor: Actor | None = None) -> AccessToken:
    token_id = token_id_of(text)
    ledger.revoke_token(CommandContext(actor=actor or cli_actor()), token_id, reason=reason)
    return ledger.get(AccessToken, token_id)


def describe(token: AccessToken) -> str:
    state = "revoked" if token.state is TokenState.REVOKED else "active"
    unit = f" unit {token.unit}" if token.unit else ""
    return (
        f"{token.id}  {token.role.value:<9} {state:<7} expires {token.expires_at:%Y-%m-%d}"
        f"  {token.name}{unit}"
    )


def demo_tokens(ledger: Ledger, first_unit: UUID | None, days: int = 7) -> list[IssuedToken]:
    """One short-lived token for each role (the unit one for ``first_unit``), for trying
    the service out."""
    issued = []
    for role in Role:
        unit = first_unit if role is Role.UNIT else None
        if role is Role.UNIT and unit is None:
            continue
        issued.append(
            create_token(ledger, role=role, unit=unit, name=f"demo {role.value}", days=days)
        )
    return issued


def page_links(base_url: str, viewer_secret: str) -> list[tuple[str, str]]:
    """The pages served at ``base_url``: the big screen signed in as the viewer whose secret
    is given (in the URL's fragment, which no browser sends to any server), and the working
    pages."""
    base = base_url.rstrip("/")
    return [("screen", f"{base}/screen#token={viewer_secret}"), ("pages", f"{base}/")]
