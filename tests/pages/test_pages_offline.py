"""Every page renders with the network limited to the loopback: nothing it loads comes from
anywhere but the service (the route guard fails a test on any other host)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.pages.conftest import screenshot
from tests.pages.server import PageServer


def test_graphiql_renders_and_answers_a_query_with_no_internet(
    page: Page, pages_server: PageServer
) -> None:
    page.goto(pages_server.link("/graphiql", Role.OFFICE))
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=20_000)
    page.locator(".graphiql-execute-button").click()
    expect(page.locator(".result-window")).to_contain_text("HOTLINE_12345", timeout=20_000)
    screenshot(page, "graphiql")


def test_graphql_opened_in_a_browser_is_the_offline_graphiql(
    page: Page, pages_server: PageServer
) -> None:
    page.goto(f"{pages_server.url}/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=20_000)


def test_the_working_pages_ask_for_a_token_and_refuse_a_wrong_one_in_plain_chinese(
    page: Page, pages_server: PageServer
) -> None:
    page.goto(pages_server.url + "/")
    page.get_by_label("访问令牌").fill("not-a-token")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#token-problem")).to_contain_text("令牌无效", timeout=20_000)
    page.get_by_label("访问令牌").fill(pages_server.tokens[Role.OFFICE])
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header.top .who")).to_contain_text("督办办公室", timeout=20_000)
