"""A complaint's number from outside the ledger: the 工单编号 a 12345 work order has on
the city platform. Given when a case is received, it is held by the case (its
``Received`` event) and the case's id derives from it, so that a number is one case (the
same number again is ``AlreadyExists``). The ledger's own 台账编号 of a case without one,
``TS-`` and its creation's log position (``api.exports.item_acts``), is never a number."""

from __future__ import annotations

import re
from uuid import UUID

from domain.errors import ValidationError
from domain.text import id_from_text

DERIVED_NUMBER = re.compile(r"TS-\d{6,}")


def complaint_id_for(number: str) -> UUID:
    """The id of the case holding work-order number ``number``: one number, one case."""
    return id_from_text("complaint", "number", number)


def check_complaint_number(number: str | None) -> str | None:
    """A work-order number as recorded (stripped), None for none; a ``ValidationError``
    for a blank one or one of the ledger's own form (TS- and six digits or more)."""
    if number is None:
        return None
    number = number.strip()
    if not number:
        raise ValidationError("number", "must not be blank (leave it out for none)")
    if DERIVED_NUMBER.fullmatch(number):
        raise ValidationError(
            "number", f"{number!r} has the form of the ledger's own numbers (TS- and digits)"
        )
    return number
