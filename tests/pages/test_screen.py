"""The big screen (/screen) in a real browser: the API's figures, a 1920×1080 screen filled
with nothing scrolling, live updates from a mutation made elsewhere, a server restart
survived with nothing missed, and a token given once in the URL and kept."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from api.bootstrap import open_ledger
from domain.complaint import Channel
from domain.ledger_base import CommandContext
from domain.meta import Actor, Role
from domain.unit import unit_id_for
from tests.pages.conftest import SCREEN, guarded_context, screenshot
from tests.pages.server import DEMO_UNIT, PageServer, page_server_on

FIGURES = """{
  supervisionOverview { channels { channel received open overdue rectificationRate onTimeRate
                                   satisfactionRate rewards rewardYuan signForOverdue
                                   returnOverdue } }
  legacyIssueTotals { total resolved remaining newSinceBaseline
                      targets { year resolved dueIssues met } }
  taskBoard { open byLight { light count } byTier { tier count } }
  oversightTotals { interviews referrals interviewsByState { state count }
                    referralsByState { state count } }
}"""
WAIT = 20_000
"""How long a figure may take to show (ms): a bound for a slow machine, never a measure."""


def shown(value: int) -> str:
    return f"{value:,}"


def rate(value: float | None) -> str:
    """A rate as the screen shows it: the API's percentage (one decimal already)."""
    return "—" if value is None else f"{value:.1f}%"


def expected_figures(data: dict[str, Any]) -> dict[str, str]:
    """Each figure of the screen (by its data-figure key) as the API gives it."""
    figures: dict[str, str] = {}
    for row in data["supervisionOverview"]["channels"]:
        key = f"channel.{row['channel']}"
        for name in ("received", "open", "overdue", "signForOverdue"):
            figures[f"{key}.{name}"] = shown(row[name])
        if row["channel"] not in ("FAULT_FINDING", "MEDIA"):  # these show rewards, reply time
            figures[f"{key}.returnOverdue"] = shown(row["returnOverdue"])
        for name in ("rectificationRate", "onTimeRate", "satisfactionRate"):
            figures[f"{key}.{name}"] = rate(row[name])
    totals = data["legacyIssueTotals"]
    for name in ("total", "resolved", "remaining", "newSinceBaseline"):
        figures[f"legacy.{name}"] = shown(totals[name])
    for target in totals["targets"]:
        figures[f"legacy.target.{target['year']}.resolved"] = shown(target["resolved"])
        figures[f"legacy.target.{target['year']}.dueIssues"] = shown(target["dueIssues"])
    board = data["taskBoard"]
    figures["board.open"] = shown(board["open"])
    for row in board["byLight"]:
        figures[f"board.light.{row['light']}"] = shown(row["count"])
    oversight = data["oversightTotals"]
    figures["oversight.interviews"] = shown(oversight["interviews"])
    figures["oversight.referrals"] = shown(oversight["referrals"])
    for row in oversight["interviewsByState"]:
        figures[f"oversight.interview.{row['state']}"] = shown(row["count"])
    for row in oversight["referralsByState"]:
        figures[f"oversight.referral.{row['state']}"] = shown(row["count"])
    return figures


def figure(page: Page, key: str) -> Any:
    return page.locator(f'[data-figure="{key}"]')


def open_screen(page: Page, server: PageServer) -> None:
    page.goto(server.link("/screen", Role.VIEWER))
    expect(page.locator("#status")).to_have_text("实时", timeout=WAIT)
    expect(figure(page, "board.open")).to_be_visible(timeout=WAIT)


def receive_over_http(server: PageServer, summary: str) -> None:
    result = server.gql(
        """mutation($input: ReceiveComplaintInput!) {
             receiveComplaint(input: $input) { __typename } }""",
        {
            "input": {
                "channel": "HOTLINE_12345",
                "summary": summary,
                "firstResponder": f"Unit:{unit_id_for(DEMO_UNIT)}",
            }
        },
    )
    assert result["receiveComplaint"]["__typename"] == "MutationSuccess", result


def hotline_received(server: PageServer) -> int:
    channels = server.gql(
        "{ supervisionOverview { channels { channel received } } }", {}, Role.VIEWER
    )
    counts = {
        row["channel"]: row["received"] for row in channels["supervisionOverview"]["channels"]
    }
    return int(counts["HOTLINE_12345"])


def test_the_screen_shows_every_figure_as_the_api_gives_it(
    screen_page: Page, pages_server: PageServer
) -> None:
    open_screen(screen_page, pages_server)
    expected = expected_figures(pages_server.gql(FIGURES, {}, Role.VIEWER))
    for key, value in expected.items():
        expect(figure(screen_page, key)).to_have_text(value, timeout=WAIT)
    screenshot(screen_page, "screen")


def test_each_legacy_target_is_judged_on_the_screen_as_the_api_judges_it(
    screen_page: Page, pages_server: PageServer
) -> None:
    open_screen(screen_page, pages_server)
    totals = pages_server.gql("{ legacyIssueTotals { targets { year met } } }", {}, Role.VIEWER)
    for target in totals["legacyIssueTotals"]["targets"]:
        mark = screen_page.locator(f'.target[data-year="{target["year"]}"] .met')
        if target["met"] is None:
            expect(mark).not_to_have_attribute("data-met", "true", timeout=WAIT)
            expect(mark).to_contain_text("到期")
        else:
            expect(mark).to_have_attribute("data-met", str(target["met"]).lower(), timeout=WAIT)


def test_the_screen_fills_a_1920_by_1080_screen_with_nothing_cut_or_scrolled(
    screen_page: Page, pages_server: PageServer
) -> None:
    open_screen(screen_page, pages_server)
    size = screen_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size == [SCREEN["width"], SCREEN["height"]]
    overflowing = screen_page.evaluate(
        """[...document.querySelectorAll('.panel-body')]
             .filter(body => body.scrollHeight > body.clientHeight + 1
                          || body.scrollWidth > body.clientWidth + 1)
             .map(body => [body.parentElement.id,
                           body.scrollWidth, body.clientWidth,
                           body.scrollHeight, body.clientHeight])"""
    )
    assert overflowing == []
    cut = screen_page.evaluate(
        """[...document.querySelectorAll('.figure .value')]
             .filter(value => value.scrollWidth > value.clientWidth + 1)
             .map(value => value.dataset.figure)"""
    )
    assert cut == []  # every figure shown whole


def test_the_monthly_charts_draw_the_apis_monthly_series(
    screen_page: Page, pages_server: PageServer
) -> None:
    open_screen(screen_page, pages_server)
    monthly = pages_server.gql(
        "{ supervisionOverview { monthly { month received closed overdue } } }", {}, Role.VIEWER
    )["supervisionOverview"]["monthly"]
    chart = screen_page.locator("#monthly-chart")
    expect(chart).to_have_attribute("data-series", _series_json(monthly), timeout=WAIT)
    assert chart.locator("canvas").count() == 1


def _series_json(monthly: list[dict[str, Any]]) -> str:
    import json

    names = (("受理", "received"), ("办结", "closed"), ("超期", "overdue"))
    series = [{"name": name, "values": [m[key] for m in monthly]} for name, key in names]
    return json.dumps(
        {"months": [m["month"] for m in monthly], "series": series},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def test_a_complaint_received_over_http_appears_on_an_open_screen_without_a_reload(
    screen_page: Page, pages_server: PageServer
) -> None:
    open_screen(screen_page, pages_server)
    before = hotline_received(pages_server)
    expect(figure(screen_page, "channel.HOTLINE_12345.received")).to_have_text(shown(before))
    loaded = screen_page.evaluate("performance.getEntriesByType('navigation').length")
    receive_over_http(pages_server, "企业反映办事窗口排队时间过长")
    expect(figure(screen_page, "channel.HOTLINE_12345.received")).to_have_text(
        shown(before + 1), timeout=WAIT
    )
    assert screen_page.evaluate("performance.getEntriesByType('navigation').length") == loaded


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[PageServer]:
    """A server of the test's own, to stop and start again."""
    server = page_server_on(tmp_path)
    yield server
    server.stop()


def test_the_screen_reconnects_after_a_restart_and_shows_what_was_written_meanwhile(
    browser: Browser, own_server: PageServer
) -> None:
    context, guard = guarded_context(browser, viewport=SCREEN)
    page = context.new_page()
    open_screen(page, own_server)
    before = hotline_received(own_server)
    own_server.stop()
    expect(page.locator("#status")).not_to_have_text("实时", timeout=WAIT)
    with closing(open_ledger(own_server.settings)) as ledger:  # written while no server ran
        ledger.receive_complaint(
            CommandContext(Actor("office-duty", Role.OFFICE)),
            channel=Channel.HOTLINE_12345,
            summary="停机期间受理的来电",
            first_responder=unit_id_for(DEMO_UNIT),
        )
    own_server.start()
    expect(page.locator("#status")).to_have_text("实时", timeout=WAIT)
    expect(figure(page, "channel.HOTLINE_12345.received")).to_have_text(
        shown(before + 1), timeout=WAIT
    )
    context.close()
    guard.check()


def test_the_token_given_in_the_url_is_kept_and_taken_out_of_the_address(
    screen_page: Page, pages_server: PageServer
) -> None:
    open_screen(screen_page, pages_server)
    assert "token" not in screen_page.url
    screen_page.reload()  # a big screen restarted: no token in the URL any more
    expect(screen_page.locator("#status")).to_have_text("实时", timeout=WAIT)
    expect(figure(screen_page, "board.open")).to_be_visible(timeout=WAIT)


def test_a_screen_opened_with_no_token_says_how_to_open_it(
    screen_page: Page, pages_server: PageServer
) -> None:
    screen_page.goto(f"{pages_server.url}/screen")
    expect(screen_page.locator(".no-token")).to_contain_text("带令牌的链接", timeout=WAIT)


def test_a_screen_given_a_wrong_token_says_it_was_refused(
    screen_page: Page, pages_server: PageServer
) -> None:
    screen_page.goto(f"{pages_server.url}/screen#token=not-a-token")
    expect(screen_page.locator("#status")).to_have_text(
        "令牌无效或已吊销，请用新的链接打开", timeout=WAIT
    )


def test_the_tasks_escalated_highest_are_named_first_on_the_screen(
    screen_page: Page, pages_server: PageServer
) -> None:
    board = pages_server.gql("{ taskBoard { attention { id title tier } } }", {}, Role.VIEWER)
    last = board["taskBoard"]["attention"][-1]  # in plan order: the last of the red ones
    escalate = """mutation($input: EscalateTaskInput!) { escalateTask(input: $input) {
                    __typename ... on MutationSuccess { position } } }"""
    for reason in ("两次催办仍未推进", "涉及多个部门，须领导小组协调"):
        escalate_input = {"input": {"taskId": last["id"], "reason": reason}}
        assert pages_server.gql(escalate, escalate_input)["escalateTask"]["__typename"] == (
            "MutationSuccess"
        )
    open_screen(screen_page, pages_server)
    first = screen_page.locator(".attention li").first
    expect(first).to_have_attribute("data-task", last["id"], timeout=WAIT)
    expect(first.locator(".title")).to_have_text(last["title"])
