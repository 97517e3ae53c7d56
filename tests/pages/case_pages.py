"""What the working pages' tests share: acts through the API (reading their own writes),
opening a page as a role, waiting for a list to show given items, and the page's words for
the API's values (dates, states, lights) to compare the two."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from api.labels import page_labels
from domain.meta import Role
from tests.clock import now
from tests.pages.server import PageServer

BEIJING = ZoneInfo("Asia/Shanghai")
WAIT = 20_000
"""How long (ms) a page may take to show what a test waits for: generous, never asserted."""

RESULT = (
    "__typename ... on MutationSuccess { itemId version position } ... on UserError { message }"
)

LABELS = page_labels()  # the product's own, as the pages show them
COMPLAINT_STATE = LABELS["ComplaintState"]
LIGHT: dict[str | None, str] = {**LABELS["Light"], None: "—"}
INTERVIEW_STATE = LABELS["InterviewState"]
REFERRAL_STATE = LABELS["ReferralState"]


def read(
    server: PageServer,
    query: str,
    variables: dict[str, Any] | None = None,
    role: Role = Role.OFFICE,
    position: int = 0,
) -> Any:
    """The ``data`` of a query that must succeed, including the write at ``position``."""
    assert server.live is not None, "the server is stopped"
    headers = {"authorization": f"Bearer {server.tokens[role]}"}
    if position:
        headers["x-ledger-position"] = str(position)
    response = server.live.client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, response.text
    return body["data"]


def act(
    server: PageServer,
    mutation: str,
    given: dict[str, Any],
    role: Role = Role.OFFICE,
    after: int = 0,
) -> Any:
    """Run a mutation that must succeed, once the read models include position ``after``
    (what a unit may act on is read from them); its MutationSuccess (``itemId``,
    ``position``)."""
    input_type = f"{mutation[0].upper()}{mutation[1:]}Input"
    document = f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ {RESULT} }} }}"
    result = read(server, document, {"i": given}, role, after)[mutation]
    assert result["__typename"] == "MutationSuccess", result
    return result


def unit_ids(server: PageServer) -> dict[str, str]:
    """Each unit's global id, by name."""
    return {u["name"]: u["id"] for u in read(server, "{ units { id name } }")["units"]}


def open_as(page: Page, server: PageServer, role: Role, hash_path: str) -> None:
    """Sign in as ``role`` (the token in the URL fragment) and open ``#hash_path``."""
    page.goto(server.link("/", role))
    expect(page.locator("header.top .who")).to_be_visible(timeout=WAIT)
    go(page, hash_path)


def go(page: Page, hash_path: str) -> None:
    page.evaluate("path => { window.location.hash = path; }", hash_path)


SHOWN_IDS = "rows => [...document.querySelectorAll(rows)].map((row) => row.dataset.id)"
SAME_IDS = f"""({{ rows, ids }}) => JSON.stringify(({SHOWN_IDS})(rows)) === JSON.stringify(ids)"""


def expect_ids(page: Page, rows: str, ids: list[str]) -> None:
    """Wait until the rows ``rows`` (a CSS selector) show the items ``ids``, in order."""
    try:
        page.wait_for_function(SAME_IDS, arg={"rows": rows, "ids": ids}, timeout=WAIT)
    except PlaywrightTimeout:
        assert page.evaluate(SHOWN_IDS, rows) == ids  # says what is shown instead
        raise


def cell(page: Page, row_id: str, column: str) -> str:
    """The text of a column of the row showing ``row_id``."""
    return page.locator(f'tr[data-id="{row_id}"] td[data-column="{column}"]').inner_text()


def cn_date(day: str | None) -> str:
    """A business date (2021-03-08) as the pages write it (2021年3月8日)."""
    if not day:
        return "—"
    year, month, dom = day[:10].split("-")
    return f"{year}年{int(month)}月{int(dom)}日"


def beijing_input(moment: datetime) -> str:
    """A moment as a datetime-local input takes it, in Beijing time."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


def days_from_now(days: float) -> datetime:
    """The suite clock's moment ``days`` from now (negative: ago)."""
    return now() + timedelta(days=days)


def submit(page: Page, mutation: str, fill: dict[str, str] | None = None) -> None:
    """Fill the form of ``mutation`` (field name -> value; a select is chosen by its label)
    and send it."""
    form = page.locator(f'form[data-mutation="{mutation}"]')
    for name, value in (fill or {}).items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("node => node.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.locator('button[type="submit"]').click()


def recorded(page: Page, title: str) -> None:
    """Wait for the page to say the act ``title`` was recorded (the page is read again)."""
    expect(page.locator("p.notice")).to_contain_text(f"已记录：{title}", timeout=WAIT)
