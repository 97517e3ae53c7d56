"""Relay connections: edges with stable cursors, page info, a total, and a page limit."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Generic, TypeVar

import strawberry

from domain.errors import ValidationError

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list; follow `pageInfo.endCursor` with `after`.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="How many match the filter in all.")

    @strawberry.field(description="The nodes of the edges, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def make_connection(
    nodes: list[T], cursors: list[str], *, has_next: bool, had_cursor: bool, total: int
) -> Connection[T]:
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)],
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=had_cursor,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        total_count=total,
    )


def encode_cursor(kind: str, values: list[str]) -> str:
    raw = json.dumps([kind, *values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> list[str] | None:
    """The sort values in a cursor of list ``kind``; a cursor of another list is refused."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError("after", "is not a cursor this service gave out") from None
    if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
        raise ValidationError("after", f"is not a cursor of the {kind} list")
    if not all(isinstance(v, str) for v in decoded[1:]):
        raise ValidationError("after", "is not a cursor this service gave out")
    return [str(v) for v in decoded[1:]]


def page_size(first: int | None, default: int, maximum: int) -> int:
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise ValidationError("first", f"must be between 0 and {maximum}")
    return first
