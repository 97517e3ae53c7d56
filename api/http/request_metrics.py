"""``GET /metrics`` (the Prometheus text format) and the timing of every HTTP request.

``/metrics`` is open unless ``LEDGER_METRICS_TOKEN`` is set; then it asks for
``Authorization: Bearer <that token>``, the way Prometheus's ``authorization`` setting sends
it. Its figures (``api.runtime.metrics``) hold no personal data: counts, latencies,
positions and the names of operations, mutations and views.
"""

from __future__ import annotations

import asyncio
import hmac
import time

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.runtime.metrics import CONTENT_TYPE, OTHER, Metrics
from api.runtime.services import Services

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
"""The route of a request no route took (a 404): one label for any path a client sends."""


def metrics_route(token: str) -> Route:
    """``GET /metrics``, asking for ``token`` as the bearer token when it is not empty."""

    async def metrics(request: Request) -> Response:
        if token and not _bears(request, token):
            return PlainTextResponse(
                "/metrics asks for the bearer token of LEDGER_METRICS_TOKEN",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        services: Services = request.app.state.services
        body = await asyncio.to_thread(services.metrics.exposition)  # it reads positions
        return Response(body, media_type=CONTENT_TYPE)

    return Route("/metrics", metrics, methods=["GET"])


def _bears(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


class MeasuredRequests:
    """Times each HTTP request to its last byte, by method, route (the route's path, not
    the request's: ``/documents/{kind}/{subject}.pdf``) and status (ASGI middleware: a stream, as
    server-sent events, passes through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            metrics = _metrics_of(scope)
            if metrics is not None:
                metrics.request_served(
                    _method(scope), _route(scope), status, time.perf_counter() - started
                )


def _metrics_of(scope: Scope) -> Metrics | None:
    services: Services | None = getattr(scope["app"].state, "services", None)
    return None if services is None else services.metrics


def _method(scope: Scope) -> str:
    method = str(scope.get("method", ""))
    return method if method in METHODS else OTHER


def _route(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", UNMATCHED))
