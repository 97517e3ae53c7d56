"""Who is asking: a bearer token, checked against the ledger's own token events.

HTTP requests carry ``Authorization: Bearer <token>``; a WebSocket carries
``{"authorization": "Bearer <token>"}`` in its ``connection_init``. There is no
anonymous access. A token is found by the hash of its secret (its id follows from
it) and read from the log on every request; a revocation seen in the live feed
ends the subscriptions opened with that token, and a WebSocket checks its token
again before each operation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from starlette.requests import HTTPConnection

from domain.access import AccessToken, token_hash, token_id_for
from domain.errors import LedgerError, NotFound, ValidationError
from domain.ledger import Ledger
from domain.meta import Actor

POSITION_HEADER = "x-ledger-position"


class Unauthenticated(LedgerError):
    """No token, or one that lets no one in (unknown, expired, revoked)."""


@dataclass(frozen=True)
class Principal:
    """The holder of a valid token: the actor it acts as, and the token."""

    actor: Actor
    token_id: UUID
    expires_at: datetime


def bearer_of(value: str | None) -> str:
    """The token in an ``Authorization`` value."""
    if not value or not value.strip():
        raise Unauthenticated("a bearer token is required (Authorization: Bearer <token>)")
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization value must be `Bearer <token>`")
    return token.strip()


class TokenBook:
    """Checks tokens against the ledger, remembering valid ones briefly."""

    def __init__(self, ledger: Ledger, clock: Callable[[], datetime] | None = None) -> None:
        self.ledger = ledger
        self.clock = clock or ledger.clock
        self._revoked: dict[UUID, asyncio.Event] = {}

    def authenticate(self, secret: str) -> Principal:
        """The principal of a token, or ``Unauthenticated`` saying why not. Blocking: the
        token is read from the log every time (the library's cache fast-forwards it), so
        a revocation committed anywhere counts from the next request on."""
        token_id = token_id_for(token_hash(secret))
        principal = self._read(token_id)
        self.check(principal)
        return principal

    def recheck(self, principal: Principal) -> None:
        """Read the principal's token again (a WebSocket, before each operation). Blocking."""
        self.check(self._read(principal.token_id))

    def check(self, principal: Principal) -> None:
        """``Unauthenticated`` if the principal's token has since expired or been revoked
        (a WebSocket asks before each operation it runs)."""
        if self.clock() >= principal.expires_at:
            raise Unauthenticated("this token has expired")
        if self.revoked(principal.token_id).is_set():
            raise Unauthenticated("this token was revoked")

    def _read(self, token_id: UUID) -> Principal:
        try:
            token = self.ledger.get(AccessToken, token_id)
        except NotFound:
            raise Unauthenticated("this token is not one the ledger issued") from None
        if not token.admits(self.clock()):
            if token.expires_at <= self.clock():
                raise Unauthenticated("this token has expired")
            raise Unauthenticated("this token was revoked")
        short = str(token.id)[:8]
        actor = Actor(id=f"{token.name}#{short}", role=token.role, unit=token.unit)
        return Principal(actor, token.id, token.expires_at)

    def revoked(self, token_id: UUID) -> asyncio.Event:
        """Set once the token is revoked (subscriptions opened with it wait on this)."""
        return self._revoked.setdefault(token_id, asyncio.Event())

    def saw_revocation(self, token_id: UUID) -> None:
        """A revocation appeared in the log: the token lets no one in from now on."""
        self.revoked(token_id).set()


def position_of(connection: HTTPConnection) -> int:
    """The position the client wants included in its answers (read your writes)."""
    given = connection.headers.get(POSITION_HEADER, "").strip()
    if not given:
        return 0
    if not (given.isascii() and given.isdigit() and len(given) <= 18):
        raise ValidationError("X-Ledger-Position", "must be a log position (a whole number)")
    return int(given)
