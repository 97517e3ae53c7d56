"""``GET /documents/{kind}/{subject}.pdf``: the monthly 督办通报 (``monthly-bulletin/2021-06``),
a 约谈通知书 (``interview-notice/<id>``) or a 移交函 (``referral-letter/<id>``), made as
``ledger document`` makes them (``api.documents``), for the bearer of a token whose role may
have it (``api.permissions.DOCUMENTS``). Refusals are JSON as GraphQL's HTTP ones are:
401 no token, 403 the role may not, 404 no such item (or not the unit's), 400 a bad month.
The PDF is made in a worker of the downloads' own pool (``api.http.heavy_work``): reading and
laying it out never holds the event loop nor the threads GraphQL reads in; 503 with
``Retry-After`` when that pool is full.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.documents.fonts import DocumentFontMissing
from api.documents.making import KINDS, Made, Order, make_document
from api.documents.oversight_letters import ItemNotFound
from api.documents.records import role_words
from api.http.heavy_work import Busy, busy_headers, heavy_work
from api.permissions import Rule, document_rule, hidden_item_types
from api.runtime.identity import Principal, Unauthenticated
from api.runtime.services import Services
from domain.errors import ValidationError

Authenticate = Callable[[Request], Awaitable[Principal]]


def document_routes(authenticate: Authenticate) -> list[Route]:
    """The three documents' routes, authenticated by ``authenticate``."""

    async def endpoint(request: Request) -> Response:
        kind, subject = request.path_params["kind"], request.path_params["subject"]
        if kind not in KINDS:
            return refusal(f"no document {kind}", "NOT_FOUND", 404)
        try:
            principal = await authenticate(request)
        except Unauthenticated as error:
            return refusal(str(error), "UNAUTHENTICATED", 401)
        actor = principal.actor
        rule = document_rule(actor.role, kind)
        if rule is Rule.DENY:
            return refusal(f"a {actor.role.value} may not have the {kind}", "FORBIDDEN", 403)
        services: Services = request.app.state.services
        own = rule is Rule.OWN and actor.unit is not None
        order = Order(  # a unit's own document shows only what its events query would
            kind,
            subject,
            f"{actor.id}（{role_words(actor.role)}）",
            str(actor.unit) if own else None,
            hidden_item_types(actor.role) if own else (),
        )
        try:
            made = await heavy_work(request).run(_make, services, order)
        except Busy:
            message = "too many documents and exports being made: ask again shortly"
            return refusal(message, "BUSY", 503, headers=busy_headers())
        except ValidationError as error:
            return refusal(str(error), "BAD_REQUEST", 400, field=error.field)
        except ItemNotFound:
            return refusal(f"no {kind.split('-')[0]} {subject}", "NOT_FOUND", 404)
        except DocumentFontMissing as error:  # the operator's to fix: said as it is
            return refusal(str(error), "DOCUMENT_FONT_MISSING", 503)
        return Response(made.pdf, media_type="application/pdf", headers=_headers(made))

    return [Route("/documents/{kind}/{subject}.pdf", endpoint, methods=["GET"])]


def _make(services: Services, order: Order) -> Made:
    return make_document(
        services.engine,
        services.ledger.current_rules(),
        order,
        now=services.settings.clock(),
        today=services.today(),
        font=services.settings.document_font,
    )


def _headers(made: Made) -> dict[str, str]:
    """Saved under its Chinese name (RFC 6266), an ASCII one for old clients."""
    ascii_name = f"{made.document.kind}.pdf"
    return {
        "Content-Disposition": f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(made.filename)}",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


def refusal(
    message: str,
    code: str,
    status: int,
    headers: dict[str, str] | None = None,
    **extensions: object,
) -> Response:
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return JSONResponse({"errors": [error]}, status_code=status, headers=headers)
