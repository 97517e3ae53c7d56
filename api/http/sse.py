"""Subscriptions over server-sent events, for clients behind proxies that block WebSockets.

``GET /graphql/stream?query=...&variables=...`` (or a POST of the usual JSON body)
answers ``text/event-stream``: one ``next`` event per result, ``complete`` at the
end, and a comment line as a keep-alive whenever the stream has been quiet.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from typing import Any, Protocol

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from strawberry.schema.base import BaseSchema
from strawberry.types.execution import ExecutionResult

from api.http.bodies import MAX_BODY_BYTES, BodyTooLarge, read_capped
from api.runtime.identity import Principal, Unauthenticated
from domain.errors import ValidationError

LOG = logging.getLogger("ledger.sse")

KEEP_ALIVE_SECONDS = 15.0


class HasSchema(Protocol):
    schema: BaseSchema

    async def get_context(self, request: Any, response: Any) -> Any: ...


def stream_endpoint(
    graphql: HasSchema, authenticate: Callable[[Request], Awaitable[Principal]]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:  # who asks, before anything of the request is read
            request.scope["ledger.principal"] = await authenticate(request)
            query, variables, operation = await _operation(request)
            context = await graphql.get_context(request, None)
        except ValidationError as error:
            return _refusal(str(error), "BAD_USER_INPUT", 400)
        except Unauthenticated as refusal:
            return _refusal(str(refusal), "UNAUTHENTICATED", 401)
        except BodyTooLarge:
            return _refusal(f"request body over {MAX_BODY_BYTES} bytes", "TOO_LARGE", 413)
        result = await graphql.schema.subscribe(
            query, variable_values=variables, context_value=context, operation_name=operation
        )
        return StreamingResponse(
            _events(result),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return endpoint


async def _operation(request: Request) -> tuple[str, dict[str, Any] | None, str | None]:
    if request.method == "POST":
        try:
            body = json.loads(await read_capped(request))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ValidationError("body", "must be a JSON object with a `query`") from None
        if not isinstance(body, dict):
            raise ValidationError("body", "must be a JSON object with a `query`")
        query, variables, operation = (
            body.get("query"),
            body.get("variables"),
            body.get("operationName"),
        )
    else:
        params = request.query_params
        query, operation = params.get("query"), params.get("operationName")
        try:
            variables = json.loads(params["variables"]) if "variables" in params else None
        except (ValueError, RecursionError):
            raise ValidationError("variables", "must be a JSON object") from None
    if not isinstance(query, str) or not query.strip():
        raise ValidationError("query", "is required")
    if variables is not None and not isinstance(variables, dict):
        raise ValidationError("variables", "must be a JSON object")
    if operation is not None and not isinstance(operation, str):
        raise ValidationError("operationName", "must be a string")
    return query, variables, operation


async def _events(result: Any) -> AsyncIterator[str]:
    if isinstance(result, ExecutionResult):
        yield _event("next", _payload(result))
        yield _event("complete", "")
        return
    iterator = aiter(result)
    pending: asyncio.Task[Any] | None = None
    try:
        while True:
            pending = pending or asyncio.ensure_future(anext(iterator))
            done, _ = await asyncio.wait({pending}, timeout=KEEP_ALIVE_SECONDS)
            if not done:
                yield ": keep-alive\n\n"
                continue
            try:
                item = pending.result()
            except StopAsyncIteration:
                break
            finally:
                pending = None
            yield _event("next", _payload(item))
        yield _event("complete", "")
    finally:
        if pending is not None:
            pending.cancel()
            with suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
        try:
            await result.aclose()
        except Exception:  # the stream is over for the client either way; the log says why
            LOG.exception("closing a subscription's event stream failed")


def _refusal(message: str, code: str, status: int) -> Response:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


def _payload(result: ExecutionResult) -> str:
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [_formatted(e) for e in result.errors]
    return json.dumps(body, ensure_ascii=False, default=str)


def _formatted(error: GraphQLError) -> dict[str, Any]:
    return dict(error.formatted)


def _event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"
