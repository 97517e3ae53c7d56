"""Who is asking, and what they last wrote.

Until tokens arrive (issue 5) every request acts as the office's service principal.
A deployment for development and tests may set ``LEDGER_TRUST_ACTOR_HEADER=1`` to
let a client say who it is in ``X-Ledger-Actor: role:id[:unit uuid]``; never in
production, where any client could claim any role.
"""

from __future__ import annotations

from uuid import UUID

from starlette.requests import HTTPConnection

from domain.errors import ValidationError
from domain.meta import Actor, Role

SERVICE_ACTOR = Actor(id="office-service", role=Role.OFFICE)
ACTOR_HEADER = "x-ledger-actor"
POSITION_HEADER = "x-ledger-position"


def actor_of(connection: HTTPConnection, *, trust_header: bool) -> Actor:
    claimed = connection.headers.get(ACTOR_HEADER)
    if not trust_header or not claimed:
        return SERVICE_ACTOR
    return parse_actor(claimed)


def parse_actor(text: str) -> Actor:
    """``office:zhang`` or ``unit:li:<unit uuid>``."""
    role, _, rest = text.strip().partition(":")
    actor_id, _, unit = rest.partition(":")
    try:
        return Actor(id=actor_id, role=Role(role), unit=UUID(unit) if unit else None)
    except ValueError:
        raise ValidationError(
            "X-Ledger-Actor", "must be role:id or role:id:unit-uuid with a known role"
        ) from None


def position_of(connection: HTTPConnection) -> int:
    """The position the client wants included in its answers (read your writes)."""
    given = connection.headers.get(POSITION_HEADER, "").strip()
    if not given:
        return 0
    if not given.isdigit():
        raise ValidationError("X-Ledger-Position", "must be a log position (a whole number)")
    return int(given)
