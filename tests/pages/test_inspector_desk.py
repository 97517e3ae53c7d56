"""The inspector's desk (#/desk), in a real browser: the current seal and how far the chain
is verified, as the API gives them; the audit trail searched by actor, unit, item, type and
both time axes, back-dated entries only or imports left out, giving the API's results; a
referral's dossier with each cited event in full; personal data opened only for a purpose
stated on the page, that read then found in the trail as a Disclosure."""

from __future__ import annotations

import json
import time
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
    beijing_field,
    beijing_text,
    open_as,
    tell,
    unit_id,
)
from tests.pages.server import PageServer

ROWS = ".trail-results table.events tbody tr"
TRAIL = f"""query($f: EventFilter, $purpose: String) {{
  events(filter: $f, first: 50, purpose: $purpose) {{ totalCount nodes {{ {EVENT} }} }} }}"""
SEAL = "{ ledgerSeal { position chain seal verifiedUpTo holds firstBadPosition } }"


@pytest.fixture(scope="module")
def story(pages_server: PageServer) -> ReviewStory:
    return tell(pages_server)


def trail(server: PageServer, given: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = server.gql(TRAIL, {"f": given}, Role.INSPECTOR)["events"]
    return found


def expect_rows(page: Page, events: list[dict[str, Any]], total: int) -> None:
    """The trail's rows are these events, in this order, of ``total`` in all."""
    page.wait_for_function(
        """([rows, wanted]) => JSON.stringify([...document.querySelectorAll(rows)]
             .map(r => Number(r.dataset.position))) === wanted""",
        arg=[ROWS, json.dumps([e["position"] for e in events], separators=(",", ":"))],
        timeout=PATIENCE_MS,
    )
    said = f"共 {total} 条，已显示 {len(events)} 条" if total else "没有符合条件的记录"
    expect(page.locator(".trail-results .count")).to_have_text(said)


def search(page: Page, fill: dict[str, str], *, checks: tuple[str, ...] = ()) -> None:
    """Clear the form, fill the fields (by id) and tick the boxes (by label), then search."""
    page.get_by_role("button", name="清空条件").click()
    for name, value in fill.items():
        control = page.locator(f"#trail-{name}")
        if control.evaluate("c => c.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    for shown in checks:
        page.get_by_label(shown).check()
    page.get_by_role("button", name="查询", exact=True).click()


def test_the_desk_shows_the_current_seal_and_how_far_the_chain_is_verified(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    deadline = time.monotonic() + 60
    while (seal := pages_server.gql(SEAL)["ledgerSeal"])["verifiedUpTo"] != seal["position"]:
        assert time.monotonic() < deadline, f"the verifier did not reach the seal: {seal}"
        time.sleep(0.2)  # the verifier walks in the background; nothing is measured

    open_as(page, pages_server, Role.INSPECTOR, "/desk")

    shown = page.locator(".seal-panel")
    expect(shown.locator("[data-seal=position]")).to_have_text(
        str(seal["position"]), timeout=PATIENCE_MS
    )
    expect(shown.locator("[data-seal=chain]")).to_have_text(seal["chain"])
    expect(shown.locator("[data-seal=seal]")).to_have_text(seal["seal"])
    expect(shown.locator("[data-seal=verifiedUpTo]")).to_contain_text(str(seal["verifiedUpTo"]))
    expect(shown.locator("[data-seal=holds]")).to_contain_text("完好")


def test_the_trail_searched_by_each_filter_gives_the_api_results(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    unit_actor = pages_server.gql("{ me { actor } }", role=Role.UNIT)["me"]["actor"]
    events = trail(pages_server, {"itemId": story.task})["nodes"]
    half_a_day_in = datetime.fromisoformat(events[0]["occurredAt"]) + timedelta(hours=12)
    recorded = datetime.fromisoformat(events[-1]["recordedAt"]).replace(microsecond=0)
    unit = unit_id(pages_server)
    cases: list[tuple[dict[str, Any], dict[str, str], tuple[str, ...]]] = [
        ({"itemId": story.task}, {"itemId": story.task}, ()),
        (
            {"actorId": unit_actor, "itemId": story.task},
            {"actorId": unit_actor, "itemId": story.task},
            (),
        ),
        (
            {"unit": unit, "itemType": "Task", "eventType": "ProgressReported"},
            {"unit": unit, "eventType": "Task.ProgressReported"},
            (),
        ),
        (
            {
                "itemId": story.task,
                "occurredFrom": half_a_day_in.isoformat(),
                "occurredTo": events[1]["occurredAt"],
            },
            {
                "itemId": story.task,
                "occurredFrom": beijing_field(half_a_day_in),
                "occurredTo": beijing_field(
                    datetime.fromisoformat(events[1]["occurredAt"]) + timedelta(seconds=1)
                ),
            },
            (),
        ),
        (
            {"itemType": "Referral", "recordedFrom": recorded.isoformat()},
            {"itemType": "Referral", "recordedFrom": beijing_field(recorded)},
            (),
        ),
        (
            {"itemId": story.task, "backdatedOnly": True},
            {"itemId": story.task},
            ("只看补录（记录时间远晚于业务时间）",),
        ),
        (
            {"itemType": "Unit", "excludeImported": True},
            {"itemType": "Unit"},
            ("排除导入的既有记录",),
        ),
        ({"itemType": "Unit"}, {"itemType": "Unit"}, ()),
    ]
    open_as(page, pages_server, Role.INSPECTOR, "/desk")
    expect(page.locator(".trail-results .count")).to_contain_text("共", timeout=PATIENCE_MS)

    for asked, fill, checks in cases:
        expected = trail(pages_server, asked)
        search(page, fill, checks=checks)
        expect_rows(page, expected["nodes"], expected["totalCount"])
        if asked.get("backdatedOnly"):
            assert [e["version"] for e in expected["nodes"]] == [1, 2]
            expect(page.locator(f"{ROWS} .mark.backdated")).to_have_count(2)
            screenshot(page, "inspector-desk")
        if asked.get("excludeImported"):  # the plan's units are imported: none of them
            assert not any(e["imported"] for e in expected["nodes"])
    expect(page.locator(f"{ROWS} .mark.imported").first).to_have_text("导入")


def test_the_referral_dossier_shows_each_cited_event_in_full(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    cited = {e["position"]: e for e in trail(pages_server, {"positions": story.evidence})["nodes"]}
    open_as(page, pages_server, Role.INSPECTOR, "/desk")

    page.locator(f".referral-list a[href*='{story.referral.partition(':')[2]}']").click()

    articles = page.locator("section.cited article.cited-event")
    expect(articles).to_have_count(len(story.evidence), timeout=PATIENCE_MS)
    assert [int(p) for p in articles.evaluate_all("a => a.map(x => x.dataset.position)")] == sorted(
        story.evidence
    )
    for article in articles.all():
        event = cited[int(article.get_attribute("data-position") or 0)]
        expect(article.locator("[data-fact=item]")).to_have_text(
            f"{event['itemType']}:{event['itemId']}"
        )
        expect(article.locator("[data-fact=actor]")).to_contain_text(event["actor"]["id"])
        expect(article.locator("[data-fact=occurredAt]")).to_have_text(
            beijing_text(event["occurredAt"])
        )
        expect(article.locator("[data-fact=requestId]")).to_have_text(event["requestId"])
        expect(article.locator("[data-fact=chain]")).to_have_text(event["chain"])
        fields = article.locator("dl.fields dd").evaluate_all(
            "c => c.map(x => [x.dataset.field, JSON.parse(x.dataset.json)])"
        )
        assert dict(fields) == event["data"]
    complaint, progress = story.evidence
    expect(page.locator(f"article[data-position='{complaint}'] h3")).to_contain_text(
        "投诉件 · 受理"
    )
    expect(page.locator(f"article[data-position='{progress}'] h3")).to_contain_text(
        "督办事项 · 报送进展"
    )
    expect(page.locator("[data-fact=reason]")).to_have_text("长期逾期不整改")
    expect(page.locator("[data-fact=persons]")).to_have_text("某科长")
    screenshot(page, "referral-dossier")


def test_personal_data_opens_only_for_a_stated_purpose_and_the_read_appears_as_a_disclosure(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    purpose = "核查移交线索涉及的12345工单"
    inspector = pages_server.gql("{ me { actor } }", role=Role.INSPECTOR)["me"]["actor"]
    since = now().replace(microsecond=0)
    open_as(page, pages_server, Role.INSPECTOR, f"/desk?itemId={story.complaint}")
    name = page.locator(f"{ROWS} dd[data-field=complainant_name]")
    expect(name).to_have_text("张**", timeout=PATIENCE_MS)

    page.get_by_label("查阅目的").fill(purpose)
    page.get_by_role("button", name="按此目的查看个人信息").click()

    expect(name).to_have_text(COMPLAINANT[0], timeout=PATIENCE_MS)
    expect(page.locator(f"{ROWS} dd[data-field=complainant_phone]")).to_have_text(COMPLAINANT[1])
    asked = {"itemType": "Disclosure", "actorId": inspector, "recordedFrom": since.isoformat()}
    disclosures = trail(pages_server, asked)
    [mine] = [d for d in disclosures["nodes"] if d["data"]["purpose"] == purpose]
    assert mine["data"]["items"] == [story.complaint.partition(":")[2]]
    search(
        page, {"itemType": "Disclosure", "actorId": inspector, "recordedFrom": beijing_field(since)}
    )
    expect_rows(page, disclosures["nodes"], disclosures["totalCount"])
    expect(
        page.locator(f"{ROWS}[data-position='{mine['position']}'] [data-column=why]")
    ).to_contain_text(f"查阅目的：{purpose}")


def test_a_leader_reads_the_desk_with_personal_data_masked_and_no_purpose_to_state(
    page: Page, pages_server: PageServer, story: ReviewStory
) -> None:
    open_as(page, pages_server, Role.LEADER, f"/desk?itemId={story.complaint}")

    expect(page.locator(f"{ROWS} dd[data-field=complainant_name]")).to_have_text(
        "张**", timeout=PATIENCE_MS
    )
    expect(page.locator("p.purpose")).to_contain_text("不能查看个人信息")
    expect(page.get_by_label("查阅目的")).to_have_count(0)
