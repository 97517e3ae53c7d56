"""An item's timeline (#/timeline/<id>), in a real browser: every event the API has for the
item, with who, when on both time axes and why, back-dated entries marked; the item's state
at a version, a business time and a record time picked on the page, as the API rebuilds
it; complainants' personal data masked until a purpose is stated, that read recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.clock import now
from tests.pages.conftest import screenshot
from tests.pages.review_story import (
    COMPLAINANT,
    EVENT,
    PATIENCE_MS,
    ReviewStory,
    act,
    beijing_field,
    beijing_text,
    deadline_ahead,
    open_as,
    shown_fields,
    shown_positions,
    tell,
    unit_id,
)
from tests.pages.server import PageServer

ROWS = "table.events tbody tr"
DISCLOSURES = """query($f: EventFilter) {
  events(filter: $f, first: 100) { nodes { actor { role } data } } }"""
HISTORY = f"""query($id: ID!, $version: Int, $asOf: DateTime, $knownAt: DateTime, $after: String) {{
  history(itemId: $id, asOfVersion: $version, asOf: $asOf, knownAt: $knownAt) {{
    version state eventPage(first: 100, after: $after) {{
      totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {EVENT} }} }} }} }}"""


@pytest.fixture(scope="module")
def story(pages_server: PageServer) -> ReviewStory:
    return tell(pages_server, pause_before_acceptance=True)


def history(server: PageServer, item: str, **point: Any) -> dict[str, Any]:
    found: dict[str, Any] = server.gql(HISTORY, {"id": item, **point})["history"]
    return found


def every_event(server: PageServer, item: str) -> list[dict[str, Any]]:
    events, after = [], None
    while True:
        page = history(server, item, after=after)["eventPage"]
        events += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return events
        after = page["pageInfo"]["endCursor"]


MODES = {"version": "指定版本", "asOf": "指定业务时间", "knownAt": "指定记录时间"}


def pick(page: Page, mode: str, value: str) -> None:
    """Choose how to pick the point (version, business time, record time), give it, and ask
    for the state there."""
    page.get_by_label(MODES[mode]).check()
    field = page.locator(f"#pick-{mode}")
    if mode == "version":
        field.select_option(value)
    else:
        field.fill(value)
    page.get_by_role("button", name="查看该时点状态").click()


def test_the_timeline_shows_exactly_the_api_events_of_an_item_with_who_when_and_why(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    events = every_event(pages_server, story.task)

    open_as(page, pages_server, Role.INSPECTOR, f"/timeline/{story.task}")

    expect(page.locator(ROWS)).to_have_count(len(events), timeout=PATIENCE_MS)
    assert shown_positions(page, ROWS) == [e["position"] for e in events]
    rows = page.locator(ROWS)
    for row, event, named in zip(
        rows.all(), events, ["登记事项", "交办", "领办", "报送进展"], strict=True
    ):
        expect(row.locator("td[data-column=type]")).to_have_text(named)
        expect(row.locator("td[data-column=actor]")).to_contain_text(event["actor"]["id"])
        expect(row.locator("time.occurred")).to_have_text(beijing_text(event["occurredAt"]))
        expect(row.locator("time.recorded")).to_have_text(beijing_text(event["recordedAt"]))
    expect(rows.nth(2).locator("td[data-column=actor]")).to_contain_text("责任单位 · 区经济发展局")
    expect(rows.nth(3).locator("td[data-column=why]")).to_contain_text("情况说明：完成方案编制")
    screenshot(page, "timeline")


def test_back_dated_entries_are_marked_as_the_api_flags_them(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    events = every_event(pages_server, story.task)
    assert [e["backdated"] for e in events] == [True, True, False, False]

    open_as(page, pages_server, Role.OFFICE, f"/timeline/{story.task}")

    rows = page.locator(ROWS)
    expect(rows).to_have_count(4, timeout=PATIENCE_MS)
    for row, event in zip(rows.all(), events, strict=True):
        marks = row.locator(".mark.backdated")
        expect(marks).to_have_count(1 if event["backdated"] else 0)
    expect(rows.first.locator(".mark.backdated")).to_contain_text("补录 晚 5 天记录")


def test_picking_a_version_shows_the_state_the_api_rebuilds_at_that_version(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    at_two = history(pages_server, story.task, version=2)
    open_as(page, pages_server, Role.LEADER, f"/timeline/{story.task}")
    expect(page.locator(".state-result h3")).to_have_attribute(
        "data-version", "4", timeout=PATIENCE_MS
    )

    pick(page, "version", "2")

    expect(page.locator(".state-result h3")).to_have_text("版本 2 时的状态", timeout=PATIENCE_MS)
    assert shown_fields(page, ".state-result") == at_two["state"]
    expect(page.locator(".state-result dd[data-field=state]")).to_have_text("已交办")


def test_picking_a_business_time_shows_what_had_happened_by_then(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    registered = every_event(pages_server, story.task)[0]
    between = datetime.fromisoformat(registered["occurredAt"]) + timedelta(hours=12)
    as_of = history(pages_server, story.task, asOf=between.isoformat(timespec="seconds"))
    assert as_of["version"] == 1
    open_as(page, pages_server, Role.INSPECTOR, f"/timeline/{story.task}")
    expect(page.locator(".state-result h3")).to_be_visible(timeout=PATIENCE_MS)

    pick(page, "asOf", beijing_field(between))

    expect(page.locator(".state-result h3")).to_have_attribute(
        "data-version", "1", timeout=PATIENCE_MS
    )
    assert shown_fields(page, ".state-result") == as_of["state"]
    expect(page.locator(".state-result dd[data-field=state]")).to_have_text("已登记")


def test_picking_a_record_time_shows_what_the_ledger_knew_then(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    assigned = every_event(pages_server, story.task)[1]
    recorded = datetime.fromisoformat(assigned["recordedAt"])
    typed = recorded.replace(microsecond=0) + timedelta(seconds=1)  # the acceptance is later
    known = history(pages_server, story.task, knownAt=typed.isoformat())
    assert known["version"] == 2
    open_as(page, pages_server, Role.OFFICE, f"/timeline/{story.task}")
    expect(page.locator(".state-result h3")).to_be_visible(timeout=PATIENCE_MS)

    pick(page, "knownAt", beijing_field(typed))

    expect(page.locator(".state-result h3")).to_have_attribute(
        "data-version", "2", timeout=PATIENCE_MS
    )
    assert shown_fields(page, ".state-result") == known["state"]
    expect(page.locator(".state-result h3")).to_contain_text("台账所知")


def test_a_long_history_is_read_a_page_at_a_time_to_its_last_event(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    task = act(pages_server, "registerTask", {"planYear": 2021, "title": "多次催办的事项"})[
        "itemId"
    ]
    act(
        pages_server,
        "assignTask",
        {"taskId": task, "leadUnits": [unit_id(pages_server)], "deadline": deadline_ahead()},
    )
    for n in range(58):
        act(pages_server, "urgeTask", {"taskId": task, "reason": f"第 {n + 1} 次催办"})
    events = every_event(pages_server, task)
    assert len(events) == 60

    open_as(page, pages_server, Role.INSPECTOR, f"/timeline/{task}")
    expect(page.locator(".paged-events .count")).to_have_text(
        "共 60 条，已显示 50 条", timeout=PATIENCE_MS
    )
    page.get_by_role("button", name="加载更多").click()

    expect(page.locator(".paged-events .count")).to_have_text(
        "共 60 条，已显示 60 条", timeout=PATIENCE_MS
    )
    expect(page.get_by_role("button", name="加载更多")).to_be_hidden()
    assert shown_positions(page, ROWS) == [e["position"] for e in events]
    expect(page.locator(ROWS).last).to_contain_text("理由：第 58 次催办")


def test_complainants_are_masked_until_a_purpose_is_stated_and_the_read_is_recorded(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    since = now()
    open_as(page, pages_server, Role.INSPECTOR, f"/timeline/{story.complaint}")
    name = page.locator(".state-result dd[data-field=complainant_name]")
    expect(name).to_have_text("张**", timeout=PATIENCE_MS)

    page.get_by_label("查阅目的").fill("核查12345工单办理情况")
    page.get_by_role("button", name="按此目的查看个人信息").click()

    expect(name).to_have_text(COMPLAINANT[0], timeout=PATIENCE_MS)
    expect(page.locator(".state-result dd[data-field=complainant_phone]")).to_have_text(
        COMPLAINANT[1]
    )
    expect(page.locator(".purpose-status")).to_contain_text("已记入审计记录")
    recorded = pages_server.gql(
        DISCLOSURES,
        {"f": {"itemType": "Disclosure", "recordedFrom": since.isoformat()}},
    )["events"]["nodes"]
    assert [(d["actor"]["role"], d["data"]["purpose"], d["data"]["items"]) for d in recorded] == [
        ("INSPECTOR", "核查12345工单办理情况", [story.complaint.partition(":")[2]])
    ]


def test_a_unit_reads_its_own_items_timeline_but_not_another_units(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    other = act(pages_server, "registerTask", {"planYear": 2021, "title": "他单位的事项"})["itemId"]
    act(
        pages_server,
        "assignTask",
        {
            "taskId": other,
            "leadUnits": [unit_id(pages_server, "区住建局")],
            "deadline": deadline_ahead(),
        },
    )

    open_as(page, pages_server, Role.UNIT, f"/timeline/{story.task}")
    expect(page.locator(ROWS)).to_have_count(4, timeout=PATIENCE_MS)
    expect(page.locator("p.purpose")).to_contain_text("不能查看个人信息")

    page.get_by_label("事项编号").fill(other)
    page.get_by_role("button", name="打开时间线").click()
    expect(page.locator(".problem")).to_contain_text("找不到该事项", timeout=PATIENCE_MS)
