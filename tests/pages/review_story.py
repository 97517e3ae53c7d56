"""What the reviewers' pages (an item's timeline, the inspector's desk) are tested on, made
through the API as the office and a unit would: a task back-dated at its start, a complaint
naming its complainant, a referral citing both; and how a test reads what a page shows."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.clock import now
from tests.pages.server import DEMO_UNIT, PageServer

BEIJING = ZoneInfo("Asia/Shanghai")
PATIENCE_MS = 20_000
COMPLAINANT = ("张三丰", "13812341234")
EVENT = (
    "position itemId itemType version type occurredAt recordedAt actor { id role unit }"
    " requestId imported backdated data chain"
)
RESULT = "__typename ... on MutationSuccess { itemId position } ... on UserError { message }"


def act(server: PageServer, mutation: str, given: dict[str, Any], role: Role = Role.OFFICE) -> Any:
    """The success of ``mutation`` with ``input: given`` (any other answer fails the test)."""
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    document = f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ {RESULT} }} }}"
    found = server.gql(document, {"i": given}, role)[mutation]
    assert found["__typename"] == "MutationSuccess", found
    return found


def deadline_ahead(days: int = 90) -> str:
    """A deadline ``days`` after today (by the suite's clock)."""
    return (now() + timedelta(days=days)).astimezone(BEIJING).date().isoformat()


def unit_id(server: PageServer, name: str = DEMO_UNIT) -> str:
    units = server.gql("{ units { id name } }")["units"]
    return next(u["id"] for u in units if u["name"] == name)


@dataclass(frozen=True)
class ReviewStory:
    task: str
    """Registered five days ago and assigned four days ago (both recorded now: back-dated),
    accepted by its lead unit's own staff, then its progress reported (now)."""
    complaint: str
    """A 12345 case naming its complainant."""
    referral: str
    """Citing the complaint's receipt and the task's progress report."""
    evidence: list[int]


def tell(server: PageServer, *, pause_before_acceptance: bool = False) -> ReviewStory:
    """The story, told now. ``pause_before_acceptance``: the acceptance is recorded in a
    later second of the clock than the assignment, so a record time typed to the second
    (as a person types it) can fall between them."""
    unit = unit_id(server)
    started = now()
    title = "涉企检查规范化专项整治"
    task = act(
        server,
        "registerTask",
        {
            "planYear": started.astimezone(BEIJING).year,
            "title": title,
            "occurredAt": (started - timedelta(days=5)).isoformat(),
        },
    )["itemId"]
    act(
        server,
        "assignTask",
        {
            "taskId": task,
            "leadUnits": [unit],
            "deadline": deadline_ahead(),
            "occurredAt": (started - timedelta(days=4)).isoformat(),
        },
    )
    if pause_before_acceptance:
        time.sleep(1.1)  # not a measurement: only a later second on the clock
    act(server, "acceptTask", {"taskId": task, "unit": unit}, Role.UNIT)
    progress = act(
        server,
        "reportProgress",
        {"taskId": task, "percent": 30, "narrative": "完成方案编制"},
        Role.UNIT,
    )
    complaint = act(
        server,
        "receiveComplaint",
        {
            "channel": "HOTLINE_12345",
            "summary": "企业开办材料反复退回",
            "firstResponder": unit,
            "complainantName": COMPLAINANT[0],
            "complainantPhone": COMPLAINANT[1],
        },
    )
    evidence = [complaint["position"], progress["position"]]
    referral = act(
        server,
        "referToDiscipline",
        {"unit": unit, "reason": "长期逾期不整改", "evidence": evidence, "persons": ["某科长"]},
    )["itemId"]
    return ReviewStory(task, complaint["itemId"], referral, evidence)


def open_as(page: Page, server: PageServer, role: Role, path: str) -> None:
    """Sign in as ``role`` (the token given in the URL fragment), then open ``#path``."""
    page.goto(server.link("/", role))
    expect(page.locator("header.top .who")).to_be_visible(timeout=PATIENCE_MS)
    page.goto(f"{server.url}/#{path}")


def beijing_text(moment: str) -> str:
    """A moment as the pages show it: Beijing time, as 2021/4/29 09:00:00."""
    at = datetime.fromisoformat(moment).astimezone(BEIJING)
    return f"{at.year}/{at.month}/{at.day} {at:%H:%M:%S}"


def beijing_field(moment: datetime) -> str:
    """A moment as typed into a page's date-and-time field: Beijing time, to the second."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M:%S")


def shown_positions(page: Page, rows: str) -> list[int]:
    positions: list[str] = page.locator(rows).evaluate_all(
        "rows => rows.map(r => r.dataset.position)"
    )
    return [int(p) for p in positions]


def shown_fields(page: Page, within: str) -> dict[str, Any]:
    """The fields a definition list of the page shows, each with the value it stands for."""
    pairs: list[list[Any]] = page.locator(f"{within} dl.fields dd").evaluate_all(
        "cells => cells.map(c => [c.dataset.field, JSON.parse(c.dataset.json)])"
    )
    return dict(pairs)
