"""Request bodies read with a cap, whatever the client claims in Content-Length."""

from __future__ import annotations

from starlette.requests import Request

MAX_BODY_BYTES = 1_000_000


class BodyTooLarge(Exception):
    """The body is over ``MAX_BODY_BYTES``."""


async def read_capped(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, read chunk by chunk, refused as soon as it passes ``limit``
    (a chunked body has no Content-Length to check first). Later reads of the body
    (strawberry's) get these bytes."""
    claimed = request.headers.get("content-length", "")
    if claimed.isascii() and claimed.isdigit() and int(claimed) > limit:
        raise BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Starlette's own cache of the body: what request.body() returns
    return body
