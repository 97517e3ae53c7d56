"""A row of the log exactly as the database holds it, and its bytes for hashing.

The seal chain and the ledger's signatures vouch for rows as stored, not for
events: every column, each value of the type the database returned and unchanged
(SQLite keeps an item id as text, which the ledger writes as 32 lower-case hex
digits), so a re-cased or dashed id, a version stored as text, or a byte moved
between columns changes what is hashed. PostgreSQL's uuid column has one form for
each id; it is hashed as those 32 hex digits, so the same log hashes the same on
either database (and a log copied across keeps its seals and signatures).
"""

from __future__ import annotations

from typing import NamedTuple
from uuid import UUID

ROW_FORMAT = b"ledger-row:v3"


class StoredRow(NamedTuple):
    """One row of the log: its position and its columns' values as stored."""

    position: int
    item: object
    """The stored item id: SQLite's text (the ledger writes ``uuid.hex``), PostgreSQL's uuid."""
    version: object
    topic: object
    state: object


def row_bytes(row: StoredRow) -> bytes:
    """The row's columns, each tagged with the kind of value stored and its length, so
    no byte can move from one column to another and no value can change its type unseen."""
    return b"".join((ROW_FORMAT, *(_value(v) for v in row)))


def _value(value: object) -> bytes:
    tag, payload = _tagged(value)
    return tag + len(payload).to_bytes(8, "big") + payload


def _tagged(value: object) -> tuple[bytes, bytes]:
    if value is None:
        return b"n", b""
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return b"t", b"1" if value else b"0"
    if isinstance(value, int):
        return b"i", str(value).encode()
    if isinstance(value, str):
        return b"s", utf8_bytes(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return b"b", bytes(value)
    if isinstance(value, UUID):  # PostgreSQL's uuid, in the one form SQLite's column holds
        return b"s", value.hex.encode()
    if isinstance(value, float):
        return b"f", value.hex().encode()
    return b"?", repr(value).encode("utf-8", "surrogatepass")


def utf8_bytes(text: str) -> bytes:
    """The text's bytes: a byte SQLite held that was not UTF-8 comes back as it was (read
    as a surrogate escape); any other lone surrogate is written as it stands."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
