"""The service serves its pages: the shells with a policy that lets them reach no other
host, their assets, GraphiQL only in development, and a plain page saying how to build them
where they were not built. (What the pages do is tested in a browser: tests/pages.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.http.served_pages import BUILT, page
from tests.api.conftest import LiveServer, serve_options, start_server, stop_server
from tests.conftest import settings_for

HTML = {"accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def production_like(sqlite_url: str) -> Iterator[LiveServer]:
    """A server without GraphiQL, as production runs."""
    server = start_server(settings_for(sqlite_url), serve_options(graphiql=False))
    yield server
    stop_server(server)


@pytest.fixture
def development(sqlite_url: str) -> Iterator[LiveServer]:
    server = start_server(settings_for(sqlite_url), serve_options(graphiql=True))
    yield server
    stop_server(server)


@pytest.mark.parametrize(("path", "script"), [("/", "app.js"), ("/screen", "screen.js")])
def test_each_page_is_served_with_a_policy_that_lets_it_reach_only_the_service(
    production_like: LiveServer, path: str, script: str
) -> None:
    answer = production_like.client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert f'src="/assets/{script}"' in answer.text
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "http" not in policy  # no other host named anywhere


def test_the_assets_are_served_from_the_build(production_like: LiveServer) -> None:
    answer = production_like.client.get("/assets/screen.js")
    assert answer.status_code == 200
    assert answer.content == (BUILT / "screen.js").read_bytes()
    assert production_like.client.get("/assets/no-such-file.js").status_code == 404


def test_graphiql_is_served_in_development_only(
    production_like: LiveServer, development: LiveServer
) -> None:
    assert development.client.get("/graphiql").status_code == 200
    assert 'src="/assets/graphiql.js"' in development.client.get("/graphql", headers=HTML).text
    assert production_like.client.get("/graphiql").status_code == 404
    assert production_like.client.get("/graphql", headers=HTML).status_code == 404


def test_a_graphql_get_with_a_query_is_still_a_query_in_a_browser(development: LiveServer) -> None:
    answer = development.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={**HTML, **development.auth()}
    )
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_pages_not_built_are_a_page_saying_how_to_build_them(tmp_path: Path) -> None:
    answer = page("screen", built=tmp_path)
    assert answer.status_code == 503
    assert b"make install" in answer.body
