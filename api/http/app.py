"""The Starlette application: ``/graphql`` (HTTP and WebSocket), ``/graphql/stream``
(server-sent events), ``/healthz``, ``/readyz``, ``/metrics`` (``api.http.request_metrics``)
and the pages (``api.http.served_pages``); traced when ``LEDGER_TRACING`` asks
(``api.runtime.tracing``).

Nothing happens at import: ``create_app`` builds the app, and its lifespan opens
the ledger, starts the projections thread, the log's live feed and the ledger's clock
(the timed acts), and stops them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from cross_web import HTTPException
from eventsourcing.utils import get_topic
from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from api.bootstrap import open_services
from api.graphql.build import build_schema
from api.graphql.context import Context
from api.graphql.shared_views import encoded_next
from api.http.bodies import MAX_BODY_BYTES, BodyTooLarge, body_problem, read_capped
from api.http.documents import document_routes
from api.http.export_routes import export_routes
from api.http.heavy_work import HeavyWork
from api.http.request_metrics import MeasuredRequests, metrics_route
from api.http.served_pages import page, page_routes, wants_page
from api.http.sse import stream_endpoint
from api.runtime.identity import (
    Principal,
    Unauthenticated,
    bearer_of,
    position_of,
)
from api.runtime.projector import Projector
from api.runtime.services import ServeOptions, Services
from api.runtime.tracing import stop_tracing, trace_requests, tracer_provider_for
from api.settings import Settings
from domain.access import AccessToken
from domain.errors import ValidationError
from projections.status import failure_lines


class LedgerGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with the ledger's context; WebSockets authenticate in their
    ``connection_init``."""

    def __init__(
        self,
        app: Starlette,
        settings: Settings,
        options: ServeOptions,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        super().__init__(
            build_schema(
                settings.limits,
                introspection=options.introspection,
                tracer_provider=tracer_provider,
            ),
            graphql_ide=None,  # GraphiQL is one of the pages, built offline (api.http.served_pages)
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.app, self.options = app, options
        self.allowed_origins = settings.allowed_origins

    def encode_json(self, data: object) -> str | bytes:
        """A view's snapshot, shared by its subscribers, is sent as the JSON made once for
        all of them (``api.graphql.shared_views``)."""
        if isinstance(data, dict) and (shared := encoded_next(data)) is not None:
            return shared
        return super().encode_json(data)

    def origin_allowed(self, origin: str, host: str | None) -> bool:
        """A browser's WebSocket from a page of this service (its own origin), or from an
        origin of ``LEDGER_ALLOWED_ORIGINS``; any other page's is refused."""
        same = host is not None and urlsplit(origin).netloc.lower() == host.lower()
        return same or origin in self.allowed_origins

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        services: Services = self.app.state.services
        principal = request.scope.get("ledger.principal")  # HTTP: checked before this
        return Context(
            services=services,
            principal=principal,
            request=request,
            min_position=position_of(request) if isinstance(request, Request) else 0,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        headers = context.request.headers if context.request else {}
        origin = headers.get("origin")
        if origin is not None and not self.origin_allowed(origin, headers.get("host")):
            raise ConnectionRejectionError({"message": f"origin {origin} is not allowed"})
        params = context.connection_params or {}
        value = params.get("authorization") or params.get("Authorization")
        try:
            secret = bearer_of(value if isinstance(value, str) else None)
            context.principal = await asyncio.to_thread(
                context.services.tokens.authenticate, secret
            )
        except Unauthenticated as refusal:
            raise ConnectionRejectionError({"message": str(refusal)}) from None
        unset: UnsetType = UNSET
        return unset


def _clock_tells_the_views(services: Services, loop: asyncio.AbstractEventLoop) -> None:
    """The ledger's clock (its own thread) tells the live views, through the event loop, of
    a new day and of each moment a view named (a receipt falling late): the screens see the
    figures change then, with nothing written."""
    clock = services.timed_acts
    clock.on_new_day(lambda _day: loop.call_soon_threadsafe(services.live_views.new_day))
    clock.on_moment(
        services.views,
        lambda _moment: loop.call_soon_threadsafe(services.live_views.time_passed),
    )
    services.views.noted = clock.nudge


def create_app(settings: Settings, options: ServeOptions | None = None) -> Starlette:
    options = options or ServeOptions()
    tracer_provider = tracer_provider_for(settings.tracing)  # None unless LEDGER_TRACING

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await asyncio.to_thread(open_services, settings, options)
        app.state.services = services
        app.state.heavy_work = HeavyWork()
        services.projector.start(asyncio.get_running_loop())
        services.seal_watch.start()
        _clock_tells_the_views(services, asyncio.get_running_loop())
        services.timed_acts.start(record=options.timed_acts)  # else it watches the date alone
        services.tail.watch(
            get_topic(AccessToken.Revoked),
            lambda row: services.tokens.saw_revocation(UUID(str(row.originator_id))),
        )
        services.tail.start()
        try:
            yield
        finally:
            await services.tail.stop()
            await services.live_feeds.stop()
            await asyncio.to_thread(services.timed_acts.stop)
            await asyncio.to_thread(services.seal_watch.stop)
            await asyncio.to_thread(services.projector.stop)
            await asyncio.to_thread(app.state.heavy_work.close)
            await asyncio.to_thread(stop_tracing, tracer_provider)
            # every read still running in a worker thread ends before its connection
            # closes (closing an SQLite connection in use crashes the process)
            await asyncio.get_running_loop().shutdown_default_executor()
            services.engine.dispose()
            services.ledger.close()

    middleware = [
        Middleware(MeasuredRequests),  # for /metrics
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.allowed_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Ledger-Position"],
        ),
    ]
    app = Starlette(lifespan=lifespan, middleware=middleware)
    trace_requests(app, tracer_provider)
    graphql = LedgerGraphQL(app, settings, options, tracer_provider)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        # it queries the database: in a worker thread, so a slow answer holds no other request
        return await asyncio.to_thread(_readiness, request.app.state.services, options)

    async def graphql_http(request: Request) -> Response:
        if request.method == "GET" and "query" not in request.query_params and wants_page(request):
            return page("graphiql") if options.graphiql else page_not_served()
        try:
            position_of(request)
            principal = await authenticate(request)
            problem = body_problem(request, await read_capped(request))
            if problem is not None:
                return _refusal(problem, "BAD_REQUEST", 400)
        except ValidationError as error:
            return _refusal(str(error), "BAD_REQUEST", 400, field=error.field)
        except Unauthenticated as refusal:
            return _refusal(str(refusal), "UNAUTHENTICATED", 401)
        except BodyTooLarge:
            return _refusal(f"request body over {MAX_BODY_BYTES} bytes", "TOO_LARGE", 413)
        except ClientDisconnect:  # gone before its body was in (a page left): nothing to do
            return Response(status_code=CLIENT_CLOSED_REQUEST)
        request.scope["ledger.principal"] = principal
        try:
            return await graphql.run(request)
        except HTTPException as error:
            return PlainTextResponse(error.reason, status_code=error.status_code)

    app.router.routes.extend(
        [
            Route("/graphql", graphql_http, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route(
                "/graphql/stream", stream_endpoint(graphql, authenticate), methods=["GET", "POST"]
            ),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            metrics_route(settings.metrics_token),
            *export_routes(),
            *page_routes(graphiql=options.graphiql),
            *document_routes(authenticate),
        ]
    )
    return app


async def authenticate(request: Request) -> Principal:
    """The principal of the request's bearer token; ``Unauthenticated`` if none."""
    secret = bearer_of(request.headers.get("authorization"))
    services: Services = request.app.state.services
    return await asyncio.to_thread(services.tokens.authenticate, secret)


CLIENT_CLOSED_REQUEST = 499
"""The status logged for a request whose client left before sending its body (no one reads it)."""


def page_not_served() -> Response:
    return PlainTextResponse(
        "GraphiQL is served only in development (LEDGER_ENV=development or --graphiql)",
        status_code=404,
    )


def _refusal(message: str, code: str, status: int, **extensions: Any) -> Response:
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return JSONResponse({"errors": [error]}, status_code=status)


READINESS_LOG = logging.getLogger("ledger.readiness")
_said: dict[int, str] = {}  # by app: the last reason for not being ready that was logged


def _readiness(services: Services, options: ServeOptions) -> Response:
    """Ready (200) or not ready (503), and nothing more: why not (a projection stopped,
    where and on what; a database error) goes to the log, once each time it changes, and
    ``ledger projections`` tells it."""
    why = _not_ready_because(services.projector) or ""
    if why != _said.get(id(services), ""):
        _said[id(services)] = why
        if why:
            READINESS_LOG.warning("not ready: %s", why)
        else:
            READINESS_LOG.info("ready")
    if why:
        return JSONResponse({"status": "not ready"}, status_code=503)
    return JSONResponse({"status": "ready"})


def _not_ready_because(projector: Projector) -> str | None:
    if projector.error is not None:
        return f"the projections thread failed: {type(projector.error).__name__}: {projector.error}"
    failures = projector.runner.failures()
    if failures:
        return "; ".join(failure_lines(failures))
    if not projector.caught_up:
        return f"the projections are catching up (at position {projector.position})"
    return None
