"""What text the ledger records: no NUL, no lone surrogate, no control character but tab
and newline. Such characters cannot be stored everywhere (PostgreSQL's jsonb refuses
NUL) and mean nothing in a supervision record, so a command carrying one is refused,
naming the field, before anything is written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.errors import ValidationError

UNRECORDABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
"""C0 controls other than tab and newline, DEL, and the surrogate code points."""


def check_text(field: str, value: str) -> str:
    """``value``, or a ``ValidationError`` naming ``field`` and the first bad character."""
    found = UNRECORDABLE.search(value)
    if found is not None:
        raise ValidationError(
            field,
            f"contains the character U+{ord(found.group()):04X} at position {found.start()} "
            "(control characters other than tab and newline, and lone surrogates, are refused)",
        )
    return value


def check_fields(fields: Mapping[str, Any]) -> None:
    """Every text, and every text in a list, of an event's fields."""
    for name, value in fields.items():
        if isinstance(value, str):
            check_text(name, value)
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, str):
                    check_text(name, item)
