"""Read your writes: answers that include the position a client last wrote."""

from __future__ import annotations

from api.graphql.context import Context
from domain.errors import ValidationError


async def read_own_writes(context: Context) -> None:
    """Wait (briefly) until the projections include the position the client sent in
    ``X-Ledger-Position``; a ``ValidationError`` naming the header if they do not."""
    if not context.min_position:
        return
    services = context.services
    if not await services.projector.wait_for(
        context.min_position, services.limits.read_wait_seconds
    ):
        raise ValidationError(
            "X-Ledger-Position",
            f"the read models have not reached position {context.min_position} yet; retry shortly",
        )


async def views_at_log_end(context: Context) -> None:
    """Wait (briefly) until the projections include every event recorded so far (for a
    command computing what it records from them); a ``ValidationError`` if they do not, or
    if one has stopped (the others go on without it: what it holds would be stale)."""
    services = context.services
    await _none_stopped(context)
    newest = await services.call(services.ledger.recorder.max_notification_id) or 0
    if not await services.projector.wait_for(newest, services.limits.read_wait_seconds):
        raise ValidationError(
            "readModels", f"the read models have not reached position {newest} yet; retry shortly"
        )
    await _none_stopped(context)


async def _none_stopped(context: Context) -> None:
    stopped = await context.services.call(context.services.projector.runner.failures)
    if stopped:
        names = ", ".join(f"{s.name} (at position {s.failed_position})" for s in stopped)
        raise ValidationError("readModels", f"a projection has stopped: {names}; see /readyz")
