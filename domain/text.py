"""What text the ledger records, and how much of it.

No NUL, no lone surrogate, no control character but tab and newline: such characters
cannot be stored everywhere (PostgreSQL's jsonb refuses NUL) and mean nothing in a
supervision record. And no more than the policy allows (``[inputs]`` of
``default_policy.toml``): the longest text of each field, the most entries of each list,
so no command can make the append-only log, and every answer read from it, grow without
bound. A command breaking either is refused, naming the field (and the limit), before
anything is written: the checks run where every event is made (``LedgerItem._start`` and
``_emit``), so every command (GraphQL, CLI, seeding, import) meets them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import ValidationError
from domain.policy import InputLimits, default_policy

UNRECORDABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
"""C0 controls other than tab and newline, DEL, and the surrogate code points."""

SEALED = frozenset({"complainant_name", "complainant_phone"})
"""Fields recorded sealed: their limit is checked in the clear, before sealing (by the
command, with ``check_text``); the sealed text in the event may be longer, up to
``sealed_length`` of the limit."""

_IN_FORCE: ContextVar[InputLimits | None] = ContextVar("input_limits", default=None)


def limits_in_force() -> InputLimits:
    """The limits of the command running now (``enforcing``), else the default policy's."""
    return _IN_FORCE.get() or default_policy().inputs


@contextmanager
def enforcing(limits: InputLimits) -> Iterator[None]:
    """Check every text and list against ``limits`` (a deployment's policy) meanwhile."""
    token = _IN_FORCE.set(limits)
    try:
        yield
    finally:
        _IN_FORCE.reset(token)


def sealed_length(characters: int) -> int:
    """The longest a text of ``characters`` characters may be once sealed: every character
    up to 4 bytes of UTF-8, a nonce and a tag of at most 32 bytes, in base64, with a prefix."""
    return (4 * characters + 32 + 2) // 3 * 4 + 16


def check_text(field: str, value: str, limit: int | None = None) -> str:
    """``value``, or a ``ValidationError`` naming ``field`` and what is wrong: longer than
    ``limit`` characters (default: the field's limit in force), or a bad character."""
    most = limits_in_force().characters(field) if limit is None else limit
    if len(value) > most:
        raise ValidationError(field, f"is {len(value)} characters long; the limit is {most}")
    found = UNRECORDABLE.search(value)
    if found is not None:
        raise ValidationError(
            field,
            f"contains the character U+{ord(found.group()):04X} at position {found.start()} "
            "(control characters other than tab and newline, and lone surrogates, are refused)",
        )
    return value


def check_entries(field: str, values: Any, limits: InputLimits | None = None) -> None:
    """A ``ValidationError`` naming ``field`` when list ``values`` has more entries than its
    limit: worth calling before looking each entry up."""
    most = (limits or limits_in_force()).entries(field)
    if len(values) > most:
        raise ValidationError(field, f"has {len(values)} entries; the limit is {most}")


def check_fields(fields: Mapping[str, Any], limits: InputLimits | None = None) -> None:
    """Every text, list, and text in a list (or in a list's records) of an event's fields,
    against ``limits`` (default: those in force)."""
    limits = limits or limits_in_force()
    for name, value in fields.items():
        if isinstance(value, str):
            most = limits.characters(name)
            check_text(name, value, sealed_length(most) if name in SEALED else most)
        elif isinstance(value, list | tuple):
            check_entries(name, value, limits)
            for position, entry in enumerate(value, start=1):
                _check_entry(name, position, entry, limits)


def _check_entry(field: str, position: int, entry: Any, limits: InputLimits) -> None:
    if isinstance(entry, str):
        _check_part(field, position, field, entry, limits)
    elif dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        for part in dataclasses.fields(entry):
            value = getattr(entry, part.name)
            if isinstance(value, str):
                _check_part(field, position, part.name, value, limits)


def _check_part(field: str, position: int, kind: str, value: str, limits: InputLimits) -> None:
    """One text of entry ``position`` of list ``field``, by the limit of texts of ``kind``
    (a milestone's title has the limit of a title)."""
    most = limits.characters(kind)
    label = "" if kind == field else f" {kind}"
    if len(value) > most:
        raise ValidationError(
            field, f"entry {position}{label} is {len(value)} characters long; the limit is {most}"
        )
    check_text(field, value, most)


def id_from_text(namespace: str, field: str, text: str) -> UUID:
    """The stable id derived from ``text`` (an item named by it), once the text is
    checked as ``field``: an id is never made from text no event could record (a lone
    surrogate has no UTF-8 to derive it from)."""
    check_text(field, text)
    return uuid5(NAMESPACE_URL, f"ledger:{namespace}:{text}")
