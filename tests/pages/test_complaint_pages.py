"""The complaint inbox (#/complaints) and a case's page (#/complaints/<id>) in a real browser:
the figures shown are the API's, the filters and pages narrow the list as the API does, and a
unit's staff see their own unit's cases only. Each test makes the cases it needs; others may
exist (test_complaint_forms.py sends the forms)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.pages.case_pages import (
    COMPLAINT_STATE,
    LIGHT,
    WAIT,
    act,
    cell,
    cn_date,
    days_from_now,
    expect_ids,
    go,
    open_as,
    read,
    unit_ids,
)
from tests.pages.cases import CASE, OTHER_UNIT, cell_ids, receive, state_shown
from tests.pages.conftest import screenshot
from tests.pages.server import DEMO_UNIT, PageServer

CHANNELS = ("GOOD_BAD_REVIEW", "HOTLINE_12345", "FAULT_FINDING", "MEDIA", "THREE_TEAMS")
ROWS = "table.inbox tbody tr"
LIST = """query($filter: ComplaintFilter, $first: Int, $after: String) {
  complaints(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { id state closeBy light overdue returns handlingUnit { name } }
  }
}"""


def listed(server: PageServer, position: int = 0, role: Role = Role.OFFICE, **filter: Any) -> Any:
    """The API's first page of 20 cases under ``filter``."""
    variables = {"filter": filter, "first": 20}
    return read(server, LIST, variables, role, position)["complaints"]


def test_the_inbox_shows_each_channels_cases_with_their_deadlines_and_lights_as_the_api_does(
    page: Page, pages_server: PageServer
) -> None:
    units = unit_ids(pages_server)
    late = receive(pages_server, occurredAt=days_from_now(-28).isoformat())
    dispatched = receive(pages_server, "MEDIA")
    act(
        pages_server,
        "dispatchComplaint",
        {"complaintId": dispatched["itemId"], "unit": units[OTHER_UNIT]},
    )
    last = receive(pages_server, "FAULT_FINDING")

    open_as(page, pages_server, Role.OFFICE, "#/complaints?channel=HOTLINE_12345")
    shown = listed(pages_server, last["position"], channels=["HOTLINE_12345"])
    expect_ids(page, ROWS, [c["id"] for c in shown["nodes"]])
    for complaint in shown["nodes"]:
        row = complaint["id"]
        assert cell(page, row, "state") == COMPLAINT_STATE[complaint["state"]]
        assert cell(page, row, "closeBy").startswith(cn_date(complaint["closeBy"]))
        assert cell(page, row, "light") == LIGHT[complaint["light"]]
        assert cell(page, row, "overdue") == ("已逾期" if complaint["overdue"] else "否")
        handling = complaint["handlingUnit"]
        assert cell(page, row, "handlingUnit") == (handling["name"] if handling else "—")
    assert read(
        pages_server,
        "query($id: ID!) { node(id: $id) { ... on Complaint { overdue } } }",
        {"id": late["itemId"]},
    )["node"]["overdue"]
    for channel in CHANNELS:
        count = listed(pages_server, channels=[channel])["totalCount"]
        expect(page.locator(f'nav.tabs a[data-channel="{channel}"] .count')).to_have_text(
            f"{count:,}"
        )
    everything = listed(pages_server)["totalCount"]
    expect(page.locator('nav.tabs a[data-channel="ALL"] .count')).to_have_text(f"{everything:,}")
    expect(page.locator("nav.pager .where")).to_contain_text(f"共 {shown['totalCount']:,} 条")
    screenshot(page, "complaint-inbox")


def test_the_inbox_filters_by_state_unit_and_overdue_through_its_controls(
    page: Page, pages_server: PageServer
) -> None:
    units = unit_ids(pages_server)
    other = units[OTHER_UNIT]
    late = receive(pages_server, subjectUnit=other, occurredAt=days_from_now(-28).isoformat())
    sent = receive(pages_server, subjectUnit=other)
    done = act(pages_server, "dispatchComplaint", {"complaintId": sent["itemId"], "unit": other})
    open_as(page, pages_server, Role.OFFICE, "#/complaints")
    expect_ids(page, ROWS, cell_ids(listed(pages_server, done["position"])))

    page.locator("#filter-state").select_option("DISPATCHED")
    expect(page).to_have_url(re.compile(r"#/complaints\?state=DISPATCHED$"), timeout=WAIT)
    expect_ids(page, ROWS, cell_ids(listed(pages_server, states=["DISPATCHED"])))

    page.locator("#filter-unit").select_option(other)
    by_unit = listed(pages_server, states=["DISPATCHED"], unit=other)
    assert sent["itemId"] in cell_ids(by_unit) or by_unit["totalCount"] > 20
    expect_ids(page, ROWS, cell_ids(by_unit))

    page.locator("#filter-state").select_option("")
    page.locator("#filter-overdue").check()
    overdue = listed(pages_server, unit=other, overdueOnly=True)
    assert late["itemId"] in cell_ids(overdue) or overdue["totalCount"] > 20
    expect_ids(page, ROWS, cell_ids(overdue))
    expect(page.locator("#filter-overdue")).to_be_checked()


def test_paging_through_the_inbox_follows_the_apis_pages_both_ways(
    page: Page, pages_server: PageServer
) -> None:
    for _ in range(3):
        last = receive(pages_server, "THREE_TEAMS")
    variables: dict[str, Any] = {"filter": {"channels": ["THREE_TEAMS"]}, "first": 2}
    first = read(pages_server, LIST, variables, position=last["position"])["complaints"]
    second = read(pages_server, LIST, {**variables, "after": first["pageInfo"]["endCursor"]})
    open_as(page, pages_server, Role.OFFICE, "#/complaints?channel=THREE_TEAMS&size=2")
    expect_ids(page, ROWS, cell_ids(first))
    expect(page.locator("nav.pager .where")).to_contain_text(
        f"第 1 页 · 第 1–2 条 · 共 {first['totalCount']} 条"
    )
    page.get_by_role("link", name="下一页").click()
    expect_ids(page, ROWS, cell_ids(second["complaints"]))
    expect(page.locator("nav.pager .where")).to_contain_text("第 2 页 · 第 3–")
    page.get_by_role("link", name="上一页").click()
    expect_ids(page, ROWS, cell_ids(first))


def test_a_units_token_sees_only_its_own_units_cases_and_no_office_forms(
    page: Page, pages_server: PageServer
) -> None:
    units = unit_ids(pages_server)
    own = receive(pages_server, subjectUnit=units[DEMO_UNIT])
    act(pages_server, "dispatchComplaint", {"complaintId": own["itemId"], "unit": units[DEMO_UNIT]})
    others = receive(pages_server, firstResponder=units[OTHER_UNIT], subjectUnit=units[OTHER_UNIT])
    mine = listed(pages_server, others["position"], role=Role.UNIT)
    open_as(page, pages_server, Role.UNIT, "#/complaints")
    expect_ids(page, ROWS, cell_ids(mine))
    expect(page.locator("h1")).to_contain_text(DEMO_UNIT)
    expect(page.locator("#filter-unit")).to_have_count(0)
    expect(page.locator('form[data-mutation="receiveComplaint"]')).to_have_count(0)
    seen = "query($id: ID!) { node(id: $id) { id } }"
    assert read(pages_server, seen, {"id": own["itemId"]}, Role.UNIT)["node"] is not None
    assert read(pages_server, seen, {"id": others["itemId"]}, Role.UNIT)["node"] is None

    go(page, f"#/complaints/{others['itemId']}")
    expect(page.locator("#page")).to_contain_text("找不到该投诉，或您无权查看", timeout=WAIT)
    go(page, f"#/complaints/{own['itemId']}")
    state_shown(page, "DISPATCHED")
    forms = page.locator("form.act").evaluate_all("forms => forms.map((f) => f.dataset.mutation)")
    assert sorted(forms) == [
        "replyToComplaint",
        "reportRectification",
        "requestMaterials",
        "returnComplaint",
        "signForComplaint",
    ]


def test_a_cases_page_shows_its_details_deadlines_and_history_as_the_api_gives_them(
    page: Page, pages_server: PageServer
) -> None:
    units = unit_ids(pages_server)
    given = receive(
        pages_server,
        complainantName="张三丰",
        complainantPhone="13812345678",
        subjectUnit=units[DEMO_UNIT],
    )
    done = act(
        pages_server,
        "dispatchComplaint",
        {"complaintId": given["itemId"], "unit": units[DEMO_UNIT]},
    )
    known = read(pages_server, CASE, {"id": given["itemId"]}, position=done["position"])
    state = known["history"]["state"]
    open_as(page, pages_server, Role.OFFICE, f"#/complaints/{given['itemId']}")
    state_shown(page, "DISPATCHED")
    fact = lambda key: page.locator(f'dd[data-fact="{key}"]')  # noqa: E731
    expect(fact("summary")).to_have_text(state["summary"])
    expect(fact("complainantName")).to_have_text(state["complainant_name"])
    expect(fact("complainantPhone")).to_have_text(state["complainant_phone"])
    assert "张三丰" not in page.content() and "13812345678" not in page.content()
    expect(fact("handlingUnit")).to_have_text(DEMO_UNIT)
    expect(fact("signBy")).to_contain_text(cn_date(state["sign_by"]))
    expect(fact("returnBy")).to_contain_text(cn_date(state["return_by"]))
    expect(fact("firstReplyBy")).to_contain_text(cn_date(state["first_reply_by"]))
    expect(fact("closeBy")).to_contain_text(cn_date(known["node"]["closeBy"]))
    expect(page.locator("table.history tbody tr")).to_have_count(
        known["history"]["eventPage"]["totalCount"]
    )
    expect(page.locator("table.history tbody")).to_contain_text(f"派至 {DEMO_UNIT}")
    timeline = page.locator("a.timeline")
    expect(timeline).to_have_attribute("href", f"#/timeline/{given['itemId'].replace(':', '%3A')}")
    screenshot(page, "complaint-page")
