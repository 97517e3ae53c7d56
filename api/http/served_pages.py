"""The pages the service serves: the big screen (``/screen``), the working pages (``/``),
GraphiQL (``/graphiql``, and ``/graphql`` opened in a browser) and their assets
(``/assets/...``), all built by ``make install`` into ``api/web/dist`` from npm packages
pinned in ``api/web/package-lock.json``.

Every page loads from this service alone: the Content-Security-Policy lets a page reach
no other host (no CDN, no outside font), and the pages speak only the public GraphQL API.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

BUILT = Path(__file__).resolve().parent.parent / "web" / "dist"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
        "style-src 'self' 'unsafe-inline'; font-src 'self' data:; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>页面尚未构建</title>
<p>页面尚未构建：在项目目录运行 <code>make install</code>（即 <code>npm ci</code> 与
<code>npm run build</code>，于 <code>api/web</code>），或安装带有页面的发行包。</p>
<p>The pages are not built: run <code>make install</code> in the project.</p></html>"""


def page(name: str, built: Path = BUILT) -> Response:
    """The HTML shell of one page, or a page saying how to build them."""
    shell = built / f"{name}.html"
    if not shell.is_file():
        return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
    return FileResponse(shell, media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


def wants_page(request: Request) -> bool:
    """A browser opening the URL (it accepts HTML), not a client asking a GraphQL query."""
    return "text/html" in request.headers.get("accept", "")


def page_routes(*, graphiql: bool, built: Path = BUILT) -> list[BaseRoute]:
    async def working_pages(_: Request) -> Response:
        return page("app", built)

    async def screen(_: Request) -> Response:
        return page("screen", built)

    async def graphiql_page(_: Request) -> Response:
        return page("graphiql", built)

    routes: list[BaseRoute] = [
        Route("/", working_pages),
        Route("/screen", screen),
        Mount("/assets", app=StaticFiles(directory=built, check_dir=False), name="assets"),
    ]
    if graphiql:
        routes.append(Route("/graphiql", graphiql_page))
    return routes
