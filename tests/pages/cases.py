"""The complaint pages' tests share these: a case received through the API, a case as the API
knows it, and waiting for a case's page to show a state."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from playwright.sync_api import Page, expect

from tests.pages.case_pages import COMPLAINT_STATE, WAIT, act, read, unit_ids
from tests.pages.server import PageServer

OTHER_UNIT = "区住建局"
"""A unit other than the unit token's."""
OFFICE_UNIT = "区管委会办公室"
CASE = """query($id: ID!) {
  node(id: $id) {
    ... on Complaint { id version state closeBy accountableUnit { name } rewardYuan }
  }
  history(itemId: $id) { state eventPage { totalCount } }
}"""


def receive(server: PageServer, channel: str = "HOTLINE_12345", **given: Any) -> Any:
    units = unit_ids(server)
    fields = {
        "summary": f"窗口办事排队过长 {uuid4().hex[:8]}",
        "firstResponder": units[OFFICE_UNIT],
    }
    if channel == "THREE_TEAMS":  # a 三支队伍监督 case names its team
        fields["team"] = "supervisors"
    return act(server, "receiveComplaint", {"channel": channel, **fields, **given})


def case(server: PageServer, complaint_id: str) -> Any:
    return read(server, CASE, {"id": complaint_id})


def state_shown(page: Page, state: str) -> None:
    expect(page.locator('dd[data-fact="state"]')).to_contain_text(
        COMPLAINT_STATE[state], timeout=WAIT
    )


def cell_ids(connection: Any) -> list[str]:
    return [c["id"] for c in connection["nodes"]]
