"""What the tests of the working pages share: opening a page signed in as a role, reading a
table the way a person sees it, the API's acts that set up what a test needs, and the
ledger's figures in the words the pages use (so that a test compares like with like)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Locator, Page, expect

from api.labels import page_labels
from domain.meta import Role
from tests.pages.server import DEMO_UNIT, PageServer

WAIT = 20_000
"""How long (ms) a page may take to show what a test waits for: generous, never a measure."""

LABELS = page_labels()  # the product's own, as the pages show them
LIGHT = LABELS["Light"]
TIER = LABELS["Tier"]
TASK_STATE = LABELS["TaskState"]
LEGACY_STATE = LABELS["LegacyState"]
LEGACY_CATEGORY = LABELS["LegacyCategory"]

RESULT = """__typename
  ... on MutationSuccess { itemId version position }
  ... on UserError { message }"""


def chinese_date(day: str | None) -> str:
    """2021-04-09 as the pages write it: 2021年4月9日."""
    if not day:
        return "—"
    year, month, of_month = day[:10].split("-")
    return f"{year}年{int(month)}月{int(of_month)}日"


def open_page(page: Page, server: PageServer, role: Role, path: str) -> None:
    """Sign in as ``role`` (the token given in the fragment) and open ``#path``. A page
    already showing the service is left first: a new fragment alone loads nothing."""
    if page.url.startswith(server.url):
        page.goto("about:blank")
    page.goto(server.link("/", role))
    expect(page.locator("header.top .who")).to_be_visible(timeout=WAIT)
    page.goto(f"{server.url}/#{path}")


def rows(table: Locator) -> list[dict[str, str]]:
    """Each row of a page's table: its cells' text by column key."""
    expect(table).to_be_visible(timeout=WAIT)
    found: list[dict[str, str]] = table.locator("tbody tr").evaluate_all(
        """trs => trs.map(tr => Object.fromEntries(
             [...tr.cells].map(td => [td.dataset.column, td.innerText.trim()])))"""
    )
    return found


def fill_form(page: Page, mutation: str, values: dict[str, Any]) -> None:
    """Fill the fields of the form of ``mutation`` (a list picks options by their label)
    and send it."""
    for name, value in values.items():
        field = page.locator(f"#{mutation}-{name}")
        if isinstance(value, list):
            field.select_option(label=value)
        elif isinstance(value, bool):
            field.set_checked(value)
        elif field.evaluate("node => node.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(str(value))
    page.locator(f"form[data-mutation={mutation}] button[type=submit]").click()


def apply_filters(page: Page, form: str = "form.filters") -> None:
    """Send the filters (or the period) of ``form`` and wait until the page drawn before is
    gone: what is read next is the list they picked."""
    drawn = page.locator("section.view").element_handle()
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_function("view => !view.isConnected", arg=drawn, timeout=WAIT)


def problem_beside(page: Page, mutation: str, field: str) -> Locator:
    return page.locator(f"#{mutation}-{field}-problem")


def general_problem(page: Page, mutation: str) -> Locator:
    return page.locator(f"form[data-mutation={mutation}] .form-problem")


def notice(page: Page) -> Locator:
    return page.locator("section.view .notice")


_written = [0]
"""The highest log position the tests of this worker wrote through ``act``: every read
through ``api`` includes it, as the pages include their own writes."""


def api(
    server: PageServer,
    query: str,
    variables: dict[str, Any] | None = None,
    role: Role = Role.OFFICE,
) -> Any:
    """The ``data`` of a request that must succeed, as ``role``, reading the writes of ``act``."""
    assert server.live is not None, "the server is stopped"
    response = server.live.client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={
            "authorization": f"Bearer {server.tokens[role]}",
            "x-ledger-position": str(_written[0]),
        },
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def act(server: PageServer, mutation: str, given: dict[str, Any], role: Role = Role.OFFICE) -> str:
    """Run ``mutation`` through the API; it must succeed. The item's global id."""
    name = mutation[0].upper() + mutation[1:]
    query = f"mutation($input: {name}Input!) {{ {mutation}(input: $input) {{ {RESULT} }} }}"
    result = server.gql(query, {"input": given}, role)[mutation]
    assert result["__typename"] == "MutationSuccess", result
    _written[0] = max(_written[0], result["position"])
    item_id: str = result["itemId"]
    return item_id


def ledger_today(server: PageServer) -> date:
    """The ledger's business date (its clock, which the suite may have moved)."""
    return date.fromisoformat(api(server, "{ taskBoard { asOf } }")["taskBoard"]["asOf"])


def unit_ids(server: PageServer) -> dict[str, str]:
    return {u["name"]: u["id"] for u in api(server, "{ units { id name } }")["units"]}


def new_task(server: PageServer, title: str) -> str:
    """A task of this year's plan, registered only."""
    given = {"planYear": ledger_today(server).year, "title": title}
    return act(server, "registerTask", given)


def assigned_task(
    server: PageServer, title: str, lead: str, cooperating: tuple[str, ...] = (), days: int = 90
) -> str:
    """A task assigned to ``lead`` with two milestones (m1, m2), due in ``days``."""
    task = new_task(server, title)
    units, today = unit_ids(server), ledger_today(server)
    act(
        server,
        "assignTask",
        {
            "taskId": task,
            "leadUnits": [units[lead]],
            "cooperatingUnits": [units[name] for name in cooperating],
            "deadline": (today + timedelta(days=days)).isoformat(),
            "milestones": [
                {"key": "m1", "title": "制定方案", "due": (today + timedelta(days=20)).isoformat()},
                {"key": "m2", "title": "全面实施", "due": (today + timedelta(days=60)).isoformat()},
            ],
        },
    )
    return task


def accepted_task(server: PageServer, title: str, lead: str, **given: Any) -> str:
    """A task assigned to ``lead`` and accepted: by the unit token when it is its unit, else
    recorded by the office."""
    task = assigned_task(server, title, lead, **given)
    accepting = Role.UNIT if lead == DEMO_UNIT else Role.OFFICE
    act(server, "acceptTask", {"taskId": task, "unit": unit_ids(server)[lead]}, accepting)
    return task


def task_now(server: PageServer, task: str, role: Role = Role.OFFICE) -> dict[str, Any]:
    """The task as the API has it now."""
    query = """query($id: ID!) { node(id: $id) { ... on Task {
      id version state progress deadline tier urgeCount light
      leadUnits { name } cooperatingUnits { name } } } }"""
    found: dict[str, Any] = api(server, query, {"id": task}, role)["node"]
    return found
