"""Request bodies read with a cap, whatever the client claims in Content-Length.

A GraphQL request over HTTP (its document and variables together) is at most
``MAX_BODY_BYTES``; a longer one is answered 413 with code ``TOO_LARGE`` before any of it
is parsed. That bounds what one request can carry; what a command may record is bounded,
field by field, by the policy's ``[inputs]`` limits (``domain/text.py``), which every longest
text fits within even written as JSON escapes (20,000 characters, 120 KB), and what an
answer may take by the response budget (``api/graphql/response_budget.py``).
"""

from __future__ import annotations

import json

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request

MAX_BODY_BYTES = 1_000_000
"""The largest GraphQL request body accepted over HTTP (1 MB)."""


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


def body_problem(request: Request, body: bytes) -> str | None:
    """What is wrong with a GraphQL request's body or parameters, before strawberry reads
    them (it answers some of these with a 500); None when nothing is."""
    try:
        if request.method == "POST" and "json" in request.headers.get("content-type", ""):
            data = json.loads(body)
            if not isinstance(data, dict):
                return "the body must be a JSON object with a `query`"
            query = data.get("query")
        else:
            for name in ("variables", "extensions"):  # strawberry parses both of a GET
                given = request.query_params.get(name)
                if given is not None:
                    json.loads(given)
            query = request.query_params.get("query")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return "the body (or `variables` or `extensions`) is not valid JSON"
    if isinstance(query, str) and "subscription" in query and _subscribes(query):
        return "subscriptions go over the WebSocket at /graphql or over /graphql/stream"
    return None


def _subscribes(query: str) -> bool:
    try:
        document = parse(query)
    except (GraphQLError, RecursionError):
        return False  # strawberry answers the syntax error itself
    return any(
        isinstance(d, OperationDefinitionNode) and d.operation is OperationType.SUBSCRIPTION
        for d in document.definitions
    )
