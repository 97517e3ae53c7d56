"""Personal data on the way out: opened only for a stated purpose, and only for the roles
that may read it, each such read recorded in the audit trail as a ``Disclosure`` carrying
the purpose; masked for everyone else, and for every read that states none.

Every read that can show complainants' names and phones (``history``, ``events``,
``ledgerEvents``) takes an optional ``purpose`` argument and reads through an
``Opening``: the one place that decides clear or masked, and records what it showed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api import permissions
from api.graphql.context import Context
from domain.errors import ValidationError
from domain.ledger_base import CommandContext
from domain.personal import PERSONAL_FIELDS
from domain.text import check_text

MASKS = {"complainant_name": permissions.mask_name, "complainant_phone": permissions.mask_phone}
UNREADABLE = "[cannot be opened with this service's key]"

PURPOSE = (
    "Why you read complainants' personal data, in your words (for example “回访核实: "
    "complaint 2024-118”; at most the policy's `purpose` limit, 500 characters by default). "
    "Office and inspectors see names and phone numbers in clear only "
    "when they state a purpose, and each such read is recorded with it as a Disclosure in "
    "the audit trail; without one, names and phones are masked for every role. Other roles "
    "see them masked either way."
)
"""The description of every read's ``purpose`` argument."""


def stated_purpose(context: Context, purpose: str | None) -> str | None:
    """The purpose a read states, trimmed; None if it states none. A blank purpose, one
    over the policy's limit or holding a control character is BAD_USER_INPUT."""
    if purpose is None:
        return None
    if not purpose.strip():
        raise ValidationError("purpose", "must not be empty (leave it out to read masked)")
    limit = context.services.ledger.policy.inputs.characters("purpose")
    return check_text("purpose", purpose.strip(), limit)


class Opening:
    """The personal data one read shows: in clear when the caller's role may read it and
    the read states a purpose, masked otherwise; and what it showed in clear, to record
    (each read records its own, with its own purpose, whatever else the request reads)."""

    def __init__(self, context: Context, purpose: str | None, read_in: str) -> None:
        self.context = context
        self.purpose = stated_purpose(context, purpose)
        self.read_in = read_in
        self.clear = self.purpose is not None and permissions.sees_personal_data(context.actor.role)
        self._shown: dict[str, set[str]] = {}

    def protect(self, item_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """``fields`` with any personal data opened or masked for this read."""
        present = [f for f in PERSONAL_FIELDS if isinstance(fields.get(f), str) and fields[f]]
        if not present:
            return fields
        sealer = self.context.services.sealer
        shown = dict(fields)
        for name in present:
            try:
                text = sealer.open(fields[name])
            except ValueError:
                shown[name] = UNREADABLE
                continue
            shown[name] = text if self.clear else MASKS[name](text)
        if self.clear:
            self._shown.setdefault(item_id, set()).update(present)
        return shown

    @property
    def unrecorded(self) -> bool:
        """Whether it has shown personal data in clear that no Disclosure records yet."""
        return bool(self._shown) and self.purpose is not None

    async def record(self) -> None:
        """Record, as one Disclosure, the personal data this read has shown in clear since
        it last recorded (nothing when it showed none)."""
        if not self._shown or self.purpose is None:
            return
        shown, self._shown = self._shown, {}
        services = self.context.services
        fields = sorted({f for names in shown.values() for f in names})
        await services.call(
            services.ledger.record_disclosure,
            CommandContext(actor=self.context.actor, request_id=self.context.request_id),
            items=[UUID(i) for i in shown],
            fields=fields,
            purpose=self.purpose,
            read_in=self.read_in,
        )
