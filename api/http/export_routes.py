"""``GET /exports/{list}.xlsx`` and ``.csv``: the 台账 downloaded, part of the public API
beside GraphQL.

``list`` is ``tasks``, ``complaints``, ``legacy-issues``, ``interviews``, ``referrals`` or
``scorecards``. The request carries ``Authorization: Bearer <token>`` and gets what the
same token gets from the list's GraphQL query (``api.permissions``: ``tasks``,
``complaints``, ``legacyIssues``, ``interviews``, ``referrals``, ``unitScorecards``): all of
it, its own unit's items only, or 403. Query parameters: ``asOf`` (a business day, the list
as it stood at its end), ``period`` (scorecards: 2021 or 2021-Q2; required there), and
``purpose``: complainants' names and phones are masked unless the read states a purpose and
the role may read them (office, inspectors), exactly as ``history`` and ``events`` do, each
such export recorded as a ``Disclosure`` (``api.graphql.disclosure``).

Answers: 200 with the file (``Content-Disposition: attachment``); 400 a parameter that is
not right, 401 no or a refused token, 403 a role the list is not for, 404 a list or a
suffix there is none of, 503 ``READ_MODEL_STOPPED`` when the audit index the acts' dates
come from has stopped (naming it), 503 ``BUSY`` (with ``Retry-After``) when as many
exports and documents as may be are being made (``api.http.heavy_work``); errors as JSON,
as ``/graphql`` gives them.
The rows are read and the file is written in a worker of the downloads' own pool into a
temporary file, which is then streamed and removed: neither the event loop nor GraphQL's
reads wait on it, and memory does not grow with the file.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import date
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from api import permissions
from api.exports.item_acts import ReadModelStopped
from api.exports.ledger_columns import SHEETS
from api.exports.ledger_rows import Protect, Selection, ledger_rows
from api.exports.sheet_writers import write_bom_csv, write_xlsx
from api.graphql.context import Context
from api.graphql.disclosure import Opening
from api.graphql.reading import read_own_writes
from api.http.heavy_work import Busy, busy_headers, heavy_work
from api.runtime.identity import Unauthenticated, bearer_of, position_of
from api.runtime.services import Services
from domain.errors import ValidationError

FIELDS = {
    "tasks": "tasks",
    "complaints": "complaints",
    "legacy-issues": "legacyIssues",
    "interviews": "interviews",
    "referrals": "referrals",
    "scorecards": "unitScorecards",
}
"""Each list downloadable here, and the GraphQL field whose access rule it follows."""
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PARAMETERS = frozenset({"asOf", "period", "purpose"})
PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
"""A download is one reader's (maybe with names opened): kept by no cache, never sniffed."""
CUT_HEADER = "X-Ledger-Cut-Cells"
"""How many cells of a workbook were cut at Excel's limit (named in its sheet 说明)."""


async def export_file(request: Request) -> Response:
    what, _, suffix = request.path_params["file"].rpartition(".")
    if what not in FIELDS or suffix not in MEDIA:
        lists = ", ".join(f"{name}.xlsx" for name in FIELDS)
        return _refusal(f"no such export; there are {lists} (and .csv)", "NOT_FOUND", 404)
    services: Services = request.app.state.services
    try:
        secret = bearer_of(request.headers.get("authorization"))
        principal = await asyncio.to_thread(services.tokens.authenticate, secret)
        context = Context(services, principal, request, min_position=position_of(request))
        rule = permissions.field_rule(context.actor.role, FIELDS[what])
        if rule is permissions.Rule.DENY:
            return _refusal("Forbidden: your role may not export this list", "FORBIDDEN", 403)
        selection = _selection(request, what, services.today(), context, rule)
        opening = Opening(
            context, request.query_params.get("purpose"), f"GET /exports/{what}.{suffix}"
        )
        await read_own_writes(context)
    except Unauthenticated as refusal:
        return _refusal(str(refusal), "UNAUTHENTICATED", 401)
    except ValidationError as error:
        return _refusal(str(error), "BAD_REQUEST", 400, field=error.field)
    try:
        path, cut = await heavy_work(request).run(
            _written, services, selection, opening.protect, suffix
        )
    except ReadModelStopped as error:
        return _refusal(str(error), "READ_MODEL_STOPPED", 503)
    except Busy:
        message = "too many exports and documents being made: ask again shortly"
        return _refusal(message, "BUSY", 503, headers=busy_headers())
    except ValidationError as error:
        return _refusal(str(error), "BAD_REQUEST", 400, field=error.field)
    try:
        await opening.record()
    except BaseException:
        os.unlink(path)
        raise
    name = f"{SHEETS[what].title}-{selection.day.isoformat()}.{suffix}"
    background = BackgroundTask(os.unlink, path)
    headers = {**PRIVATE, CUT_HEADER: str(len(cut))} if cut else PRIVATE
    return FileResponse(
        path, media_type=MEDIA[suffix], filename=name, background=background, headers=headers
    )


def _selection(
    request: Request, what: str, today: date, context: Context, rule: permissions.Rule
) -> Selection:
    params = request.query_params
    unknown = sorted(set(params) - PARAMETERS)
    if unknown:
        raise ValidationError(unknown[0], f"is not a parameter (there are {sorted(PARAMETERS)})")
    as_of = None
    if "asOf" in params:
        try:
            as_of = date.fromisoformat(params["asOf"])
        except ValueError:
            raise ValidationError("asOf", "must be a date (YYYY-MM-DD)") from None
    unit = str(context.actor.unit) if rule is permissions.Rule.OWN else None
    return Selection(what, today, as_of, unit=unit, period=params.get("period"))


def _written(
    services: Services, selection: Selection, protect: Protect, suffix: str
) -> tuple[str, list[str]]:
    """The export written into a temporary file; its path (the caller removes it) and the
    cells cut at Excel's limit (``api.exports.sheet_writers``)."""
    cut: list[str] = []
    sheet = SHEETS[selection.what]
    with services.engine.connect() as conn:
        rows = ledger_rows(services.ledger, conn, selection, protect)
    handle, path = tempfile.mkstemp(prefix="ledger-export-", suffix=f".{suffix}")
    try:
        if suffix == "xlsx":
            with os.fdopen(handle, "wb") as out:
                write_xlsx(sheet, rows, out, cut)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as text:
                write_bom_csv(sheet, rows, text)
    except BaseException:
        os.unlink(path)
        raise
    return path, cut


def _refusal(
    message: str, code: str, status: int, headers: dict[str, str] | None = None, **extensions: Any
) -> Response:
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return JSONResponse({"errors": [error]}, status_code=status, headers=headers)


def export_routes() -> list[Route]:
    """The routes of the downloads, for ``api.http.app``."""
    return [Route("/exports/{file}", export_file, methods=["GET"])]
