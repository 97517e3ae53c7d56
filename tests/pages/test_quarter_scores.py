"""督导考核奖惩 in a real browser: the unit scorecards page (#/scorecards) shows every unit's
score as the API computes it, the office publishes an ended quarter there (once; again only
when something changed, with the reason) and sees the published scores, a quarter not yet
ended is refused in Chinese beside the field; the big screen's league shows the latest
quarter published, with the enterprises' ratings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from domain.meta import Role
from tests.pages.conftest import screenshot
from tests.pages.server import DEMO_UNIT, PageServer, page_server_on
from tests.pages.work_pages import (
    LABELS,
    WAIT,
    act,
    api,
    chinese_date,
    fill_form,
    ledger_today,
    notice,
    open_page,
    problem_beside,
    unit_ids,
)

TERMS = LABELS["ScoreTerm"]
ENTRY = """rank score unit { name } terms { key value points }
           enterpriseRating { mean evaluations }"""
FORMULA = "formula { version terms { key penalty weight } }"
SCORES = f"""query($period: String!) {{
  unitScores(period: $period) {{ {FORMULA} entries {{ {ENTRY} }} }} }}"""
PUBLISHED = f"""query($quarter: String!) {{
  quarterScores(quarter: $quarter) {{ quarter publishedOn publications {FORMULA}
                                      entries {{ {ENTRY} }} }} }}"""
OVERVIEW = f"""{{ supervisionOverview {{ publishedScores {{
  quarter publishedOn publications {FORMULA} entries {{ {ENTRY} }} }} }} }}"""


def quarter_before(day: date, back: int) -> str:
    """The quarter ``back`` quarters before the one ``day`` falls in (0: its own)."""
    index = day.year * 4 + (day.month - 1) // 3 - back
    return f"{index // 4}-Q{index % 4 + 1}"


def quarter_name(quarter: str) -> str:
    year, part = quarter.split("-Q")
    return f"{year}年第{'一二三四'[int(part) - 1]}季度"


def tenth(value: str | Decimal) -> str:
    return f"{Decimal(value):.1f}"


def evaluate(server: PageServer, quarter: str, enterprise: str, score: int) -> None:
    """An enterprise's rating of the demo unit in ``quarter`` (企业评议机关)."""
    given = {
        "enterprise": enterprise,
        "unit": unit_ids(server)[DEMO_UNIT],
        "quarter": quarter,
        "scores": [{"criterion": "服务态度", "score": str(score)}],
    }
    act(server, "recordEnterpriseEvaluation", given)


def shown_rows(table: Locator) -> dict[str, dict[str, str]]:
    """Each unit's row of a score table: its cells' text by term (rank, score, rating too)."""
    expect(table).to_be_visible(timeout=WAIT)
    found: dict[str, dict[str, str]] = table.locator("tbody tr").evaluate_all(
        """trs => Object.fromEntries(trs.map(tr => [tr.dataset.unit, Object.fromEntries(
             [...tr.querySelectorAll("td")].map(td => [td.dataset.term, td.innerText.trim()]))]))"""
    )
    return found


def expected_term(term: dict[str, Any] | None, penalty: bool) -> str:
    """A term's cell as the page writes it (a rate's percentage checked apart: see ``rates``)."""
    if term is None or (not penalty and term["value"] is None):
        return "不计"
    if penalty:
        count = Decimal(term["value"])
        return f"{count.normalize():f}\n扣{tenth(-Decimal(term['points']))}分" if count else "0"
    return f"%\n得{tenth(term['points'])}分"


def expected_rows(scores: dict[str, Any]) -> dict[str, dict[str, str]]:
    rows = {}
    for entry in scores["entries"]:
        terms = {term["key"]: term for term in entry["terms"]}
        rating = entry["enterpriseRating"]
        cells = {
            "rank": str(entry["rank"]),
            "score": tenth(entry["score"])
            + (f"\n{TERMS['full_marks']}" if "full_marks" in terms else ""),
            "rating": f"{tenth(rating['mean'])}（{rating['evaluations']}份）" if rating else "—",
        }
        for term in scores["formula"]["terms"]:
            cells[term["key"]] = expected_term(terms.get(term["key"]), term["penalty"])
        rows[entry["unit"]["name"]] = cells
    return rows


def rates(shown: dict[str, str]) -> dict[str, str]:
    """The rows with each rate's percentage taken out (it is checked by ``rates_agree``)."""
    return {
        key: text if "%" not in text else "%" + text.split("%", 1)[1] for key, text in shown.items()
    }


def rates_agree(shown: dict[str, dict[str, str]], scores: dict[str, Any]) -> None:
    for entry in scores["entries"]:
        for term in entry["terms"]:
            text = shown[entry["unit"]["name"]].get(term["key"], "")
            if "%" in text:  # a rate: its share as a percentage, to one decimal place
                assert abs(Decimal(text.split("%")[0]) - Decimal(term["value"]) * 100) <= Decimal(
                    "0.05"
                ), (term, text)


def table_shows(table: Locator, scores: dict[str, Any]) -> None:
    shown = shown_rows(table)
    assert {unit: rates(cells) for unit, cells in shown.items()} == expected_rows(scores)
    rates_agree(shown, scores)


def publish_on_page(page: Page, values: dict[str, str]) -> None:
    fill_form(page, "publishQuarterScores", values)


def test_the_office_publishes_an_ended_quarter_and_sees_its_published_scores(
    page: Page, pages_server: PageServer
) -> None:
    quarter = quarter_before(ledger_today(pages_server), 2)  # the screen's test publishes the last
    open_page(page, pages_server, Role.OFFICE, f"/scorecards?period={quarter}")
    section = page.locator("section.unit-scores")
    expect(section.locator("p.publication")).to_have_text("本季度考核结果尚未发布", timeout=WAIT)
    now = api(pages_server, SCORES, {"period": quarter})["unitScores"]
    expect(section.locator("p.formula").first).to_have_attribute(
        "data-version", now["formula"]["version"]
    )
    table_shows(section.locator("table.unit-scores").first, now)

    publish_on_page(page, {"quarter": quarter})
    expect(notice(page)).to_have_text("已记录：发布考核结果", timeout=WAIT)
    published = api(pages_server, PUBLISHED, {"quarter": quarter})["quarterScores"]
    day, version = chinese_date(published["publishedOn"]), published["formula"]["version"]
    expect(page.locator("section.unit-scores p.publication")).to_have_text(
        f"{day}发布，按公式 {version} 计算。"
    )
    table_shows(page.locator("section.unit-scores table.unit-scores").last, published)
    screenshot(page, "unit-scores")

    publish_on_page(page, {"quarter": quarter})  # nothing changed: nothing to publish again
    expect(problem_beside(page, "publishQuarterScores", "quarter")).to_contain_text(
        "无须再次发布", timeout=WAIT
    )
    evaluate(pages_server, quarter, "页面测试评议企业", 50)  # the figures change
    publish_on_page(page, {"quarter": quarter})
    expect(problem_beside(page, "publishQuarterScores", "reason")).to_contain_text(
        "不能为空", timeout=WAIT
    )
    publish_on_page(page, {"quarter": quarter, "reason": "补录企业评议结果"})
    expect(notice(page)).to_have_text("已记录：发布考核结果", timeout=WAIT)
    expect(page.locator("section.unit-scores p.publication")).to_contain_text("共发布2次")
    again = api(pages_server, PUBLISHED, {"quarter": quarter})["quarterScores"]
    assert again["publications"] == 2
    table_shows(page.locator("section.unit-scores table.unit-scores").last, again)
    assert shown_rows(page.locator("table.unit-scores").last)[DEMO_UNIT]["rating"] == "50.0（1份）"


def test_a_quarter_not_yet_ended_is_refused_in_chinese_beside_the_quarter(
    page: Page, pages_server: PageServer
) -> None:
    quarter = quarter_before(ledger_today(pages_server), 0)
    open_page(page, pages_server, Role.OFFICE, f"/scorecards?period={quarter}")
    expect(page.locator("#publishQuarterScores-quarter")).to_have_value(quarter, timeout=WAIT)
    publish_on_page(page, {})
    expect(problem_beside(page, "publishQuarterScores", "quarter")).to_contain_text(
        f"{quarter}尚未结束", timeout=WAIT
    )
    screenshot(page, "unit-scores-refused")
    assert api(pages_server, PUBLISHED, {"quarter": quarter})["quarterScores"] is None


def test_a_unit_sees_its_own_score_and_no_form_to_publish(
    page: Page, pages_server: PageServer
) -> None:
    quarter = quarter_before(ledger_today(pages_server), 0)
    open_page(page, pages_server, Role.UNIT, f"/scorecards?period={quarter}")
    table = page.locator("section.unit-scores table.unit-scores")
    expect(table.locator("tbody tr")).to_have_count(1, timeout=WAIT)
    assert list(shown_rows(table)) == [DEMO_UNIT]
    expect(page.locator("form[data-mutation=publishQuarterScores]")).to_have_count(0)


def test_the_screens_league_shows_the_latest_quarter_published_with_the_ratings(
    screen_page: Page, pages_server: PageServer
) -> None:
    quarter = quarter_before(ledger_today(pages_server), 1)
    if api(pages_server, PUBLISHED, {"quarter": quarter})["quarterScores"] is None:
        evaluate(pages_server, quarter, "大屏测试评议企业", 90)
        act(pages_server, "publishQuarterScores", {"quarter": quarter})
    published = api(pages_server, OVERVIEW, role=Role.VIEWER)["supervisionOverview"][
        "publishedScores"
    ]
    assert published["quarter"] == quarter
    screen_page.goto(pages_server.link("/screen", Role.VIEWER))
    panel = screen_page.locator("#panel-league")
    expect(panel.locator("h2")).to_have_text(
        f"督导考核 排名 · {quarter_name(quarter)}", timeout=WAIT
    )
    expect(panel.locator("p.period")).to_contain_text(f"公式 {published['formula']['version']}")
    shown = panel.locator("ol.league li:not(.head)")
    expect(shown).to_have_count(min(10, len(published["entries"])), timeout=WAIT)
    rows = shown.evaluate_all(
        """lis => lis.map(li => [...li.querySelectorAll("span")].map(s => s.innerText.trim()))"""
    )
    assert rows == [
        [
            str(e["rank"]),
            e["unit"]["name"],
            tenth(e["score"]),
            tenth(e["enterpriseRating"]["mean"]) if e["enterpriseRating"] else "—",
        ]
        for e in published["entries"][:10]
    ]
    rated = [e for e in published["entries"] if e["unit"]["name"] == DEMO_UNIT]
    assert Decimal(rated[0]["enterpriseRating"]["mean"]) == 90
    body = panel.locator(".panel-body")
    assert body.evaluate(
        "b => b.scrollHeight <= b.clientHeight + 1 && b.scrollWidth <= b.clientWidth + 1"
    )
    assert screen_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    ) == [1920, 1080]
    screenshot(screen_page, "screen-published-league")


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[PageServer]:
    """A server of the test's own, on which nothing has been published yet."""
    server = page_server_on(tmp_path)
    yield server
    server.stop()


def own_act(server: PageServer, mutation: str, given: dict[str, Any]) -> None:
    """``mutation`` run as the office on a server of the test's own (``act`` reads the
    shared server's positions)."""
    name = mutation[0].upper() + mutation[1:]
    query = f"mutation($i: {name}Input!) {{ {mutation}(input: $i) {{ __typename }} }}"
    assert server.gql(query, {"i": given})[mutation]["__typename"] == "MutationSuccess"


def test_the_league_shows_the_assessments_until_a_quarter_is_published_then_the_publication(
    screen_page: Page, own_server: PageServer
) -> None:
    today = date.fromisoformat(own_server.gql("{ taskBoard { asOf } }")["taskBoard"]["asOf"])
    unit = {u["name"]: u["id"] for u in own_server.gql("{ units { id name } }")["units"]}
    assessed = {"unit": unit[DEMO_UNIT], "kind": "UNIT_ASSESSMENT", "score": "88.5"}
    own_act(own_server, "recordAssessment", {**assessed, "period": str(today.year)})
    screen_page.goto(own_server.link("/screen", Role.VIEWER))
    panel = screen_page.locator("#panel-league")
    expect(panel.locator("p.period")).to_have_text(f"考核期：{today.year}", timeout=WAIT)
    expect(panel.locator("h2")).to_have_text("督导考核 排名")
    expect(panel.locator("ol.league li .unit")).to_contain_text([DEMO_UNIT])
    loaded = screen_page.evaluate("performance.getEntriesByType('navigation').length")

    quarter = quarter_before(today, 1)
    own_act(own_server, "publishQuarterScores", {"quarter": quarter})
    expect(panel.locator("h2")).to_have_text(
        f"督导考核 排名 · {quarter_name(quarter)}", timeout=WAIT
    )
    expect(panel.locator("ol.league.published")).to_be_visible()
    assert screen_page.evaluate("performance.getEntriesByType('navigation').length") == loaded
