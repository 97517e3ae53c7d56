"""Personal data on the way out: opened for the roles that may read it (and each such
read recorded in the audit trail), masked for everyone else."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api import access
from api.schema.context import Context
from domain.ledger_base import CommandContext
from domain.personal import PERSONAL_FIELDS

MASKS = {"complainant_name": access.mask_name, "complainant_phone": access.mask_phone}
UNREADABLE = "[cannot be opened with this service's key]"


def protect(context: Context, item_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with any personal data opened or masked for the caller."""
    present = [f for f in PERSONAL_FIELDS if isinstance(fields.get(f), str) and fields[f]]
    if not present:
        return fields
    sealer = context.services.sealer
    clear = access.sees_personal_data(context.actor.role)
    shown = dict(fields)
    for name in present:
        try:
            text = sealer.open(fields[name])
        except ValueError:
            shown[name] = UNREADABLE
            continue
        shown[name] = text if clear else MASKS[name](text)
    if clear:
        context.disclosed.setdefault(item_id, set()).update(present)
    return shown


async def record_disclosures(context: Context, purpose: str) -> None:
    """Record, as one event, the clear personal data this request has shown."""
    if not context.disclosed:
        return
    disclosed, context.disclosed = context.disclosed, {}
    services = context.services
    fields = sorted({f for names in disclosed.values() for f in names})
    await services.call(
        services.ledger.record_disclosure,
        CommandContext(actor=context.actor, request_id=context.request_id),
        items=[UUID(i) for i in disclosed],
        fields=fields,
        purpose=purpose,
    )
