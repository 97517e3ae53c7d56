"""The legacy-problem ledger (#/legacy, #/legacy/<id>) and the unit scorecards
(#/scorecards) in a real browser: totals, lists and cards equal the API's, the filters and
the period picker pick what the API picks, and each act on a legacy problem records once
and, when the ledger refuses, says why in Chinese beside the field concerned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.pages.conftest import screenshot
from tests.pages.server import DEMO_UNIT, PageServer
from tests.pages.work_pages import (
    LEGACY_CATEGORY,
    LEGACY_STATE,
    TIER,
    WAIT,
    act,
    api,
    apply_filters,
    chinese_date,
    fill_form,
    general_problem,
    ledger_today,
    notice,
    open_page,
    problem_beside,
    rows,
    unit_ids,
)

OTHER_UNIT = "区住建局"
ISSUES = """query($filter: LegacyIssueFilter) {
  legacyIssues(first: 20, filter: $filter) {
    totalCount
    nodes { title category tier targetYear baseline registeredOn state responsibleUnit { name } }
  }
}"""
TOTALS = """{ legacyIssueTotals {
  total baseline newSinceBaseline resolved suspended remaining resolutionRate
  targets { year dueIssues resolved resolvedPercent }
} }"""
CARDS = """query($period: String!) {
  unitScorecards(period: $period) { name figures overdueTasks overdueSignFors assessments }
}"""


def target_year(server: PageServer) -> int:
    """The first target year a problem registered today may have."""
    year = ledger_today(server).year
    return next((target for target in (2021, 2022, 2025) if target >= year), year)


def legacy_issue(server: PageServer, title: str, unit: str = DEMO_UNIT, **given: Any) -> str:
    fields = {
        "title": title,
        "category": "LAND",
        "cause": "早年划拨手续不全",
        "responsibleUnit": unit_ids(server)[unit],
        "targetYear": target_year(server),
        "baseline": True,
        **given,
    }
    return act(server, "registerLegacyIssue", fields)


def planned_issue(server: PageServer, title: str, unit: str = DEMO_UNIT) -> str:
    issue = legacy_issue(server, title, unit)
    milestones = [{"key": "m1", "title": "完成测绘", "due": ledger_today(server).isoformat()}]
    act(server, "adoptPlan", {"issueId": issue, "plan": "补办划拨手续", "milestones": milestones})
    return issue


def list_rows_of(issues: list[dict]) -> list[dict[str, str]]:
    return [
        {
            "registered": chinese_date(i["registeredOn"]),
            "title": i["title"],
            "category": LEGACY_CATEGORY[i["category"]],
            "unit": i["responsibleUnit"]["name"],
            "tier": TIER[i["tier"]],
            "targetYear": f"{i['targetYear']}年",
            "baseline": "摸底基数" if i["baseline"] else "基数后新增",
            "state": LEGACY_STATE[i["state"]],
        }
        for i in issues
    ]


def list_shows(page: Page, expected: list[dict]) -> None:
    """The ledger lists ``expected`` (the API's problems), or says that none match."""
    if not expected:
        expect(page.locator("section.view .empty")).to_have_text("没有符合条件的问题", timeout=WAIT)
        return
    titles = page.locator("table.legacy-issues td[data-column=title]")
    expect(titles).to_have_text([issue["title"] for issue in expected], timeout=WAIT)
    assert rows(page.locator("table.legacy-issues")) == list_rows_of(expected)


def issue_state(server: PageServer, issue: str) -> dict[str, Any]:
    query = "query($id: ID!) { node(id: $id) { ... on LegacyIssue { state tier } } }"
    found: dict[str, Any] = api(server, query, {"id": issue})["node"]
    return found


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def test_the_legacy_ledger_shows_the_apis_totals_and_problems(
    page: Page, pages_server: PageServer
) -> None:
    legacy_issue(pages_server, "港区厂房土地证未办")
    legacy_issue(pages_server, "拖欠施工企业工程款", OTHER_UNIT, category="ARREARS", baseline=False)
    totals = api(pages_server, TOTALS)["legacyIssueTotals"]
    issues = api(pages_server, ISSUES)["legacyIssues"]["nodes"]
    open_page(page, pages_server, Role.OFFICE, "/legacy")
    tiles = page.locator(".tiles")
    for name in ("total", "baseline", "newSinceBaseline", "resolved", "suspended", "remaining"):
        expect(tiles.locator(f"[data-figure={name}] .value")).to_have_text(
            str(totals[name]), timeout=WAIT
        )
    expect(tiles.locator("[data-figure=resolutionRate] .value")).to_have_text(
        rate(totals["resolutionRate"])
    )
    targets = rows(page.locator("table.targets"))
    assert [(t["year"], t["dueIssues"], t["resolved"], t["resolvedPercent"]) for t in targets] == [
        (f"{t['year']}年", str(t["dueIssues"]), str(t["resolved"]), rate(t["resolvedPercent"]))
        for t in totals["targets"]
    ]
    assert rows(page.locator("table.legacy-issues")) == list_rows_of(issues)
    screenshot(page, "legacy-ledger")


def test_the_legacy_ledger_filters_by_category_state_unit_and_target_year(
    page: Page, pages_server: PageServer
) -> None:
    legacy_issue(pages_server, "征收补偿款未到位", OTHER_UNIT, category="EXPROPRIATION")
    planned_issue(pages_server, "园区道路规划调整", OTHER_UNIT)
    open_page(page, pages_server, Role.OFFICE, "/legacy")
    page.locator("#filter-category").select_option("EXPROPRIATION")
    apply_filters(page)
    expected = api(pages_server, ISSUES, {"filter": {"categories": ["EXPROPRIATION"]}})
    list_shows(page, expected["legacyIssues"]["nodes"])

    page.locator("#filter-category").select_option("")
    page.locator("#filter-state").select_option("PLANNED")
    page.locator("#filter-unit").select_option(label=OTHER_UNIT)
    page.locator("#filter-year").fill(str(target_year(pages_server)))
    apply_filters(page)
    every = {
        "states": ["PLANNED"],
        "unit": unit_ids(pages_server)[OTHER_UNIT],
        "targetYear": target_year(pages_server),
    }
    expected = api(pages_server, ISSUES, {"filter": every})["legacyIssues"]["nodes"]
    list_shows(page, expected)
    assert "园区道路规划调整" in [issue["title"] for issue in expected]


def test_a_unit_sees_its_own_legacy_problems_and_not_the_zones_totals(
    page: Page, pages_server: PageServer
) -> None:
    legacy_issue(pages_server, "本单位遗留的办证问题")
    legacy_issue(pages_server, "他单位遗留的拆迁问题", OTHER_UNIT)
    mine = api(pages_server, ISSUES, role=Role.UNIT)["legacyIssues"]["nodes"]
    open_page(page, pages_server, Role.UNIT, "/legacy")
    list_shows(page, mine)
    assert {issue["responsibleUnit"]["name"] for issue in mine} == {DEMO_UNIT}
    expect(page.locator(".tiles")).to_have_count(0)
    expect(page.locator("details.register")).to_have_count(0)


def test_the_office_registers_a_legacy_problem_and_a_past_target_year_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    open_page(page, pages_server, Role.OFFICE, "/legacy")
    page.locator("details.register summary").click()
    given = {
        "title": "某公司厂区不动产权证办理",
        "category": "不动产确权办证",
        "cause": "建设时未办理规划手续",
        "parties": "某公司\n区住建局",
        "responsibleUnit": DEMO_UNIT,
        "targetYear": 2020,
        "baseline": True,
    }
    fill_form(page, "registerLegacyIssue", given)
    expect(problem_beside(page, "registerLegacyIssue", "targetYear")).to_contain_text(
        "不早于今年", timeout=WAIT
    )
    fill_form(page, "registerLegacyIssue", {"targetYear": target_year(pages_server)})
    expect(page.locator("section.view h1")).to_have_text(given["title"], timeout=WAIT)
    expect(notice(page)).to_have_text("已记录：登记问题")
    expect(page.locator("[data-fact=涉及当事方]")).to_have_text("某公司、区住建局")
    issue = page.url.split("#/legacy/")[1]
    assert issue_state(pages_server, issue)["state"] == "REGISTERED"


def test_the_office_adopts_a_plan_and_a_plan_over_the_limit_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    issue = legacy_issue(pages_server, "老旧厂区土地性质变更")
    open_page(page, pages_server, Role.OFFICE, f"/legacy/{issue}")
    expect(page.locator("form[data-mutation=adoptPlan]")).to_be_visible(timeout=WAIT)
    fill_form(page, "adoptPlan", {"plan": "方" * 20001})
    expect(problem_beside(page, "adoptPlan", "plan")).to_contain_text(
        "超过上限20000个字", timeout=WAIT
    )
    due = ledger_today(pages_server).isoformat()
    fill_form(
        page, "adoptPlan", {"plan": "分两步变更土地性质", "milestones": f"{due} 完成土地测绘"}
    )
    expect(notice(page)).to_have_text("已记录：制定化解方案", timeout=WAIT)
    assert issue_state(pages_server, issue)["state"] == "PLANNED"
    expect(page.locator("[data-fact=化解方案]")).to_have_text("分两步变更土地性质")
    [milestone] = rows(page.locator("table.milestones"))
    assert (milestone["title"], milestone["due"], milestone["reached"]) == (
        "完成土地测绘",
        chinese_date(due),
        "未达成",
    )
    screenshot(page, "legacy-issue")


def test_the_responsible_unit_marks_a_milestone_and_one_reached_meanwhile_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    issue = planned_issue(pages_server, "企业间厂房产权纠纷")
    open_page(page, pages_server, Role.UNIT, f"/legacy/{issue}")
    expect(page.locator("form[data-mutation=reachMilestone]")).to_be_visible(timeout=WAIT)
    seen = page.locator("form.act").evaluate_all("fs => fs.map(f => f.dataset.mutation)")
    assert seen == ["reachMilestone"]  # the rest is the office's
    act(pages_server, "reachMilestone", {"issueId": issue, "key": "m1"})  # the office, meanwhile
    fill_form(
        page,
        "reachMilestone",
        {"key": "完成测绘（" + ledger_today(pages_server).isoformat() + "）"},
    )
    expect(problem_beside(page, "reachMilestone", "key")).to_contain_text(
        "不是尚未达成的节点", timeout=WAIT
    )

    other = planned_issue(pages_server, "商户租金拖欠纠纷")
    open_page(page, pages_server, Role.UNIT, f"/legacy/{other}")
    fill_form(
        page,
        "reachMilestone",
        {"key": "完成测绘（" + ledger_today(pages_server).isoformat() + "）"},
    )
    expect(notice(page)).to_have_text("已记录：节点达成", timeout=WAIT)
    assert rows(page.locator("table.milestones"))[0]["reached"].startswith("已达成")


def test_the_office_escalates_suspends_resumes_resolves_and_reopens_a_legacy_problem(
    page: Page, pages_server: PageServer
) -> None:
    issue = planned_issue(pages_server, "历史划拨用地确权")
    open_page(page, pages_server, Role.OFFICE, f"/legacy/{issue}")
    fill_form(page, "escalateLegacyIssue", {"reason": "涉及多个部门"})
    expect(notice(page)).to_have_text("已记录：提级化解", timeout=WAIT)
    assert issue_state(pages_server, issue)["tier"] == "OFFICE"
    fill_form(page, "suspendLegacyIssue", {"reason": "暂" * 5001})
    expect(problem_beside(page, "suspendLegacyIssue", "reason")).to_contain_text(
        "超过上限5000个字", timeout=WAIT
    )
    fill_form(page, "suspendLegacyIssue", {"reason": "等待上级政策"})
    expect(notice(page)).to_have_text("已记录：中止", timeout=WAIT)
    fill_form(page, "resumeLegacyIssue", {"note": "政策已出台"})
    expect(notice(page)).to_have_text("已记录：恢复化解", timeout=WAIT)
    act(pages_server, "reachMilestone", {"issueId": issue, "key": "m1"})  # another, meanwhile
    fill_form(page, "verifyResolution", {"note": "已办结确权"})
    expect(general_problem(page, "verifyResolution")).to_contain_text("已被他人更新", timeout=WAIT)
    page.reload()
    fill_form(page, "verifyResolution", {"note": "已办结确权"})
    expect(notice(page)).to_have_text("已记录：化解销号", timeout=WAIT)
    assert issue_state(pages_server, issue)["state"] == "RESOLVED"
    fill_form(page, "reopenLegacyIssue", {"reason": "当事人再次上访"})
    expect(notice(page)).to_have_text("已记录：重新打开", timeout=WAIT)
    steps = [row["step"] for row in rows(page.locator("table.steps"))]
    assert steps[:3] == ["重新打开", "化解销号", "节点达成"]


def card_rows(page: Page) -> dict[str, dict[str, str]]:
    table = page.locator("table.scorecards")
    expect(table).to_be_visible(timeout=WAIT)
    found: dict[str, dict[str, str]] = table.locator("tbody tr").evaluate_all(
        """trs => Object.fromEntries(trs.map(tr => [tr.dataset.unit, Object.fromEntries(
             [...tr.querySelectorAll("td")]
               .map(td => [td.dataset.metric, td.innerText.trim()]))]))"""
    )
    return found


ASSESSMENT = {"results_applied": "成果运用", "unit_assessment": "督导考核"}


def assessment(scored: tuple[str, str]) -> str:
    """A score of the card as the page writes it: 督导考核 88.5, 督导考核（2021-Q2） 88.5."""
    key, score = scored
    kind, _, period = key.partition(":")
    return f"{ASSESSMENT[kind]}{f'（{period}）' if period else ''} {score}"


def expected_cards(
    server: PageServer, period: str, role: Role = Role.OFFICE
) -> dict[str, dict[str, str]]:
    """Each unit's cells as the page should show them: every metric's count (0 when the card
    has none) and the assessment scores."""
    cards = api(server, CARDS, {"period": period}, role)["unitScorecards"]
    metrics = ("tasks_led", "tasks_cooperating", "urges", "escalated", "tasks_closed")
    metrics += ("received", "returned", "late_sign_fors", "late_returns", "closed")
    metrics += ("material_requests", "once_notice_breaches", "interviews", "referrals")
    expected = {}
    for card in cards:
        cells = {key: f"{card['figures'].get(key, 0):,}" for key in metrics}
        cells["overdue"] = f"{card['overdueTasks']:,}"
        cells["overdue_sign_fors"] = f"{card['overdueSignFors']:,}"
        cells["assessments"] = "；".join(map(assessment, card["assessments"].items())) or "—"
        expected[card["name"]] = cells
    return expected


def shown_cards(page: Page, like: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The page's cells of the columns ``like`` has."""
    shown = card_rows(page)
    return {unit: {key: shown[unit][key] for key in cells} for unit, cells in like.items()}


def test_unit_scorecards_show_the_apis_figures_for_a_year_and_for_a_quarter(
    page: Page, pages_server: PageServer
) -> None:
    today = ledger_today(pages_server)
    task = act(pages_server, "registerTask", {"planYear": today.year, "title": "考核用事项"})
    deadline = today.replace(year=today.year + 1).isoformat()
    act(
        pages_server,
        "assignTask",
        {"taskId": task, "leadUnits": [unit_ids(pages_server)[DEMO_UNIT]], "deadline": deadline},
    )
    act(pages_server, "urgeTask", {"taskId": task, "reason": "尚未签收"})
    year, quarter = str(today.year), f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assessed = {"unit": unit_ids(pages_server)[DEMO_UNIT], "period": quarter, "score": "88.5"}
    act(pages_server, "recordAssessment", {**assessed, "kind": "UNIT_ASSESSMENT"})
    open_page(page, pages_server, Role.OFFICE, f"/scorecards?period={year}")
    expect(page.locator("section.view > h2")).to_have_text(f"{year}年各单位情况", timeout=WAIT)
    expected = expected_cards(pages_server, year)
    assert shown_cards(page, expected) == expected
    assert int(card_rows(page)[DEMO_UNIT]["urges"]) >= 1
    assert f"督导考核（{quarter}） 88.5" in card_rows(page)[DEMO_UNIT]["assessments"].split("；")
    screenshot(page, "scorecards")
    page.locator("#period-quarter").select_option(quarter[-2:])
    apply_filters(page, "form.period")
    expect(page.locator("section.view > h2")).to_have_text(
        f"{year}年第{quarter[-1]}季度各单位情况", timeout=WAIT
    )
    expected = expected_cards(pages_server, quarter)
    assert shown_cards(page, expected) == expected
    assert card_rows(page)[DEMO_UNIT]["assessments"] == "督导考核 88.5"


def test_a_unit_sees_its_own_scorecard_only(page: Page, pages_server: PageServer) -> None:
    open_page(page, pages_server, Role.UNIT, "/scorecards?period=2021")
    expect(page.locator("table.scorecards tbody tr")).to_have_count(1, timeout=WAIT)
    expected = expected_cards(pages_server, "2021", Role.UNIT)
    assert list(expected) == [DEMO_UNIT]
    assert shown_cards(page, expected) == expected
    expect(page.locator("section.bulletin")).to_have_count(0)  # the zone's bulletin: not a unit's


def test_the_export_button_downloads_the_ledger_as_a_workbook_with_the_tabs_token(
    page: Page, pages_server: PageServer, tmp_path: Path
) -> None:
    open_page(page, pages_server, Role.UNIT, "/legacy")
    with page.expect_download(timeout=WAIT) as download:
        page.get_by_role("button", name="导出Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("历史遗留问题总台账-") and saved.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(saved).active
    headers, *found = list(sheet.iter_rows(values_only=True))
    assert headers[:3] == ("台账编号", "系统编号", "问题名称")
    mine = api(pages_server, ISSUES, role=Role.UNIT)["legacyIssues"]["nodes"]
    assert len(found) == len(mine)


def test_the_office_saves_a_months_bulletin_as_pdf_from_the_scorecards_page(
    page: Page, pages_server: PageServer, tmp_path: Any
) -> None:
    month = ledger_today(pages_server).strftime("%Y-%m")
    open_page(page, pages_server, Role.OFFICE, f"/scorecards?period={month[:4]}")
    page.locator("#bulletin-month").fill(month)
    page.locator("#bulletin-month").dispatch_event("change")
    with page.expect_download(timeout=WAIT) as saving:
        page.get_by_role("button", name="下载督办通报（PDF）").click()
    assert "督办通报" in saving.value.suggested_filename
    path = tmp_path / "bulletin.pdf"
    saving.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
