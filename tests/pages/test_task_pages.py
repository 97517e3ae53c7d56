"""The task board (#/tasks) and a task's page (#/tasks/<id>) in a real browser: the figures
shown are the API's, the filters and the pages of the list pick what the API picks, and each
everyday act's form records the act once and, given what the ledger refuses, says why in
Chinese beside the field concerned."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.pages.conftest import screenshot
from tests.pages.server import DEMO_UNIT, PageServer
from tests.pages.work_pages import (
    LIGHT,
    TASK_STATE,
    TIER,
    WAIT,
    accepted_task,
    act,
    api,
    apply_filters,
    assigned_task,
    chinese_date,
    fill_form,
    general_problem,
    ledger_today,
    new_task,
    notice,
    open_page,
    problem_beside,
    rows,
    task_now,
    unit_ids,
)

BOARD = """query($after: String, $filter: TaskFilter) {
  tasks(first: 20, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id number title planYear deadline light state tier progress leadUnits { name } }
  }
}"""
OTHER_UNIT = "区投资促进局"
LIGHT_COLOUR = {
    "GREEN": "rgb(47, 179, 109)",
    "YELLOW": "rgb(240, 180, 41)",
    "RED": "rgb(229, 72, 77)",
}


def board_rows_of(tasks: list[dict]) -> list[dict[str, str]]:
    """The rows the board should show for the API's ``tasks``."""
    return [
        {
            "year": str(t["planYear"]),
            "number": str(t["number"]) if t["number"] is not None else "—",
            "title": t["title"],
            "lead": "、".join(u["name"] for u in t["leadUnits"]) or "—",
            "deadline": chinese_date(t["deadline"]),
            "light": LIGHT.get(t["light"], "—"),
            "state": TASK_STATE[t["state"]],
            "tier": TIER[t["tier"]],
            "progress": f"{t['progress']}%",
        }
        for t in tasks
    ]


def api_board(server: PageServer, role: Role = Role.OFFICE, **given: object) -> dict:
    return api(server, BOARD, given, role)["tasks"]


def test_the_task_board_shows_the_apis_tasks_and_pages_through_them_by_cursor(
    page: Page, pages_server: PageServer
) -> None:
    first = api_board(pages_server)
    second = api_board(pages_server, after=first["pageInfo"]["endCursor"])
    open_page(page, pages_server, Role.OFFICE, "/tasks")
    assert rows(page.locator("table.tasks")) == board_rows_of(first["nodes"])
    lit = next(t for t in first["nodes"] if t["light"])
    badge = page.locator("table.tasks tbody tr", has_text=lit["title"]).locator(".light")
    expect(badge).to_have_css("background-color", LIGHT_COLOUR[lit["light"]])
    screenshot(page, "task-board")
    page.locator("nav.pager a.next").click()
    expect(page.locator("table.tasks tbody tr").first).to_contain_text(
        second["nodes"][0]["title"], timeout=WAIT
    )
    assert rows(page.locator("table.tasks")) == board_rows_of(second["nodes"])
    expect(page.locator("nav.pager .count")).to_contain_text("第 21–", timeout=WAIT)
    page.locator("nav.pager a.previous").click()
    expect(page.locator("table.tasks tbody tr").first).to_contain_text(
        first["nodes"][0]["title"], timeout=WAIT
    )


def board_shows(page: Page, expected: list[dict]) -> None:
    """The board lists ``expected`` (the API's tasks), or says that none match."""
    if not expected:
        expect(page.locator("section.view .empty")).to_have_text("没有符合条件的事项", timeout=WAIT)
        return
    titles = page.locator("table.tasks td[data-column=title]")
    expect(titles).to_have_text([task["title"] for task in expected], timeout=WAIT)
    assert rows(page.locator("table.tasks")) == board_rows_of(expected)


def test_the_board_filters_by_unit_year_light_state_and_tier(
    page: Page, pages_server: PageServer
) -> None:
    unit = unit_ids(pages_server)[OTHER_UNIT]
    open_page(page, pages_server, Role.OFFICE, "/tasks")
    expect(page.locator("table.tasks")).to_be_visible(timeout=WAIT)
    page.locator("#filter-unit").select_option(label=OTHER_UNIT)
    apply_filters(page)
    expect(page).to_have_url(re.compile(r"unit="), timeout=WAIT)
    board_shows(page, api_board(pages_server, filter={"unit": unit})["nodes"])

    for light in ("RED", "GREEN"):
        page.locator("#filter-year").fill("2021")
        page.locator("#filter-light").select_option(light)
        page.locator("#filter-state").select_option("ASSIGNED")
        page.locator("#filter-tier").select_option("TASK_FORCE")
        apply_filters(page)
        expect(page).to_have_url(re.compile(f"light={light}"), timeout=WAIT)
        every = {
            "unit": unit,
            "planYear": 2021,
            "lights": [light],
            "states": ["ASSIGNED"],
            "tiers": ["TASK_FORCE"],
        }
        board_shows(page, api_board(pages_server, filter=every)["nodes"])


def test_a_unit_sees_on_the_board_only_the_tasks_it_leads_or_cooperates_on(
    page: Page, pages_server: PageServer
) -> None:
    open_page(page, pages_server, Role.UNIT, "/tasks")
    mine = api_board(pages_server, Role.UNIT)["nodes"]
    board_shows(page, mine)
    assert 0 < len(mine) < api_board(pages_server)["totalCount"]
    expect(page.locator("#filter-unit")).to_have_count(0)
    expect(page.locator("details.register")).to_have_count(0)
    theirs = next(
        t for t in api_board(pages_server)["nodes"] if t["id"] not in {m["id"] for m in mine}
    )
    page.goto(f"{pages_server.url}/#/tasks/{theirs['id']}")
    expect(page.locator("section.view .problem")).to_have_text(
        "没有这个事项，或您无权查看。", timeout=WAIT
    )


MILESTONES = """query($id: ID!) { node(id: $id) { ... on Task {
  milestones { key light missed } } } }"""


def test_a_tasks_page_shows_its_units_milestones_reports_urgings_and_escalations(
    page: Page, pages_server: PageServer
) -> None:
    task = accepted_task(pages_server, "政务服务驿站建设", DEMO_UNIT, cooperating=(OTHER_UNIT,))
    report = {
        "taskId": task,
        "percent": 40,
        "narrative": "两个试点村驿站已建成",
        "milestonesReached": ["m1"],
    }
    act(pages_server, "reportProgress", {**report, "evidence": ["长管办发〔2021〕12号"]}, Role.UNIT)
    act(pages_server, "urgeTask", {"taskId": task, "reason": "进度滞后于节点"})
    act(pages_server, "escalateTask", {"taskId": task, "reason": "涉及多个部门"})
    shown = task_now(pages_server, task)

    open_page(page, pages_server, Role.OFFICE, f"/tasks/{task}")
    facts = page.locator("dl.task-facts")
    expect(facts.locator("[data-fact=牵头单位]")).to_have_text(DEMO_UNIT, timeout=WAIT)
    expect(facts.locator("[data-fact=协同单位]")).to_have_text(OTHER_UNIT)
    expect(facts.locator("[data-fact=办结时限]")).to_have_text(chinese_date(shown["deadline"]))
    expect(facts.locator("[data-fact=灯号]")).to_have_text(LIGHT[shown["light"]])
    expect(facts.locator("[data-fact=督办层级]")).to_have_text(TIER[shown["tier"]])
    expect(facts.locator("[data-fact=进度]")).to_have_text("40%")
    expect(facts.locator("[data-fact=催办次数]")).to_have_text(str(shown["urgeCount"]))
    milestones = rows(page.locator("table.milestones"))
    assert [(m["title"], m["reached"][:3]) for m in milestones] == [
        ("制定方案", "已达成"),
        ("全面实施", "未达成"),
    ]
    today = ledger_today(pages_server)
    assert milestones[1]["due"] == chinese_date((today + timedelta(days=60)).isoformat())
    judged = api(pages_server, MILESTONES, {"id": task})["node"]["milestones"]
    assert [(m["light"], m["missed"]) for m in milestones] == [
        (LIGHT[m["light"]] if m["light"] else "—", "已逾期" if m["missed"] else "否")
        for m in judged
    ]
    [reported] = rows(page.locator("table.reports"))
    assert (reported["percent"], reported["narrative"], reported["reached"]) == (
        "40%",
        report["narrative"],
        "制定方案",
    )
    assert reported["evidence"] == "长管办发〔2021〕12号"
    assert rows(page.locator("table.urgings"))[0]["reason"] == "进度滞后于节点"
    escalated = rows(page.locator("table.escalations"))[0]
    assert (escalated["tier"], escalated["reason"]) == (TIER["OFFICE"], "涉及多个部门")
    expect(page.locator("a.timeline")).to_have_attribute("href", f"#/timeline/{task}")
    screenshot(page, "task-page")


def test_the_office_registers_a_task_on_the_board_and_a_number_below_one_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    year = ledger_today(pages_server).year
    open_page(page, pages_server, Role.OFFICE, "/tasks")
    page.locator("details.register summary").click()
    given = {"planYear": year, "number": 0, "title": "做好公共资源交易监督管理"}
    fill_form(page, "registerTask", given)
    expect(problem_beside(page, "registerTask", "number")).to_contain_text(
        "须为1或以上", timeout=WAIT
    )
    fill_form(page, "registerTask", {"number": 99})
    expect(page.locator("section.view h1")).to_have_text(given["title"], timeout=WAIT)
    expect(notice(page)).to_have_text("已记录：登记事项")
    task = page.url.split("#/tasks/")[1]
    assert task_now(pages_server, task)["state"] == "REGISTERED"


def test_the_office_assigns_a_task_and_a_deadline_before_the_assignment_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    task = new_task(pages_server, "推进园区改革")
    today = ledger_today(pages_server)
    open_page(page, pages_server, Role.OFFICE, f"/tasks/{task}")
    expect(page.locator("form[data-mutation=assignTask]")).to_be_visible(timeout=WAIT)
    page.locator("#assignTask-leadUnits").select_option(label=[DEMO_UNIT])
    fill_form(page, "assignTask", {"deadline": (today - timedelta(days=1)).isoformat()})
    expect(problem_beside(page, "assignTask", "deadline")).to_contain_text(
        "办结时限须在交办之后", timeout=WAIT
    )
    fill_form(
        page,
        "assignTask",
        {"deadline": (today + timedelta(days=90)).isoformat(), "milestones": "下月底 完成方案"},
    )
    expect(problem_beside(page, "assignTask", "milestones")).to_contain_text(
        "须为“日期 内容”", timeout=WAIT
    )
    due = (today + timedelta(days=30)).isoformat()
    fill_form(page, "assignTask", {"milestones": f"{due} 完成方案"})
    expect(notice(page)).to_have_text("已记录：交办", timeout=WAIT)
    expect(page.locator("[data-fact=状态]")).to_have_text("已交办")
    assigned = task_now(pages_server, task)
    assert (assigned["state"], assigned["leadUnits"]) == ("ASSIGNED", [{"name": DEMO_UNIT}])
    assert assigned["deadline"] == (today + timedelta(days=90)).isoformat()
    assert rows(page.locator("table.milestones"))[0]["title"] == "完成方案"


def test_the_lead_unit_accepts_and_reports_progress_and_a_percent_of_150_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    task = assigned_task(pages_server, "健全政务帮办机制", DEMO_UNIT)
    open_page(page, pages_server, Role.UNIT, f"/tasks/{task}")
    fill_form(page, "acceptTask", {})
    expect(notice(page)).to_have_text("已记录：签收", timeout=WAIT)
    assert task_now(pages_server, task)["state"] == "IN_PROGRESS"
    fill_form(page, "reportProgress", {"percent": 150, "narrative": "帮办清单已列制"})
    expect(problem_beside(page, "reportProgress", "percent")).to_contain_text(
        "须在0到100之间", timeout=WAIT
    )
    page.locator("#reportProgress-milestonesReached").select_option(["m1"])
    fill_form(page, "reportProgress", {"percent": 35, "evidence": "帮办清单\n帮办流程图"})
    expect(notice(page)).to_have_text("已记录：报告进展", timeout=WAIT)
    assert task_now(pages_server, task)["progress"] == 35
    expect(page.locator("table.reports tbody tr")).to_have_count(1)
    assert rows(page.locator("table.milestones"))[0]["reached"].startswith("已达成")


def test_an_act_on_a_task_that_changed_meanwhile_is_refused_in_plain_chinese(
    page: Page, pages_server: PageServer
) -> None:
    task = assigned_task(pages_server, "提升政务帮办效果", DEMO_UNIT)
    open_page(page, pages_server, Role.UNIT, f"/tasks/{task}")
    expect(page.locator("form[data-mutation=acceptTask]")).to_be_visible(timeout=WAIT)
    act(
        pages_server,
        "acceptTask",
        {"taskId": task, "unit": unit_ids(pages_server)[DEMO_UNIT]},
        Role.UNIT,
    )
    fill_form(page, "acceptTask", {})
    expect(general_problem(page, "acceptTask")).to_contain_text(
        "当前状态（办理中）不允许此操作", timeout=WAIT
    )

    act(pages_server, "requestCompletion", {"taskId": task, "summary": "已完成"}, Role.UNIT)
    page.reload()
    expect(page.locator("[data-fact=状态]")).to_have_text("申请销号", timeout=WAIT)
    expect(page.locator("form[data-mutation=verifyTask]")).to_have_count(0)  # the office's act
    open_page(page, pages_server, Role.OFFICE, f"/tasks/{task}")
    expect(page.locator("form[data-mutation=verifyTask]")).to_be_visible(timeout=WAIT)
    act(pages_server, "rejectCompletion", {"taskId": task, "reason": "缺少佐证"})  # by another
    act(pages_server, "requestCompletion", {"taskId": task, "summary": "已补佐证"}, Role.UNIT)
    fill_form(page, "verifyTask", {"note": "材料齐全"})
    expect(general_problem(page, "verifyTask")).to_contain_text("已被他人更新", timeout=WAIT)
    assert task_now(pages_server, task)["state"] == "COMPLETION_REQUESTED"


def test_the_office_urges_and_escalates_and_a_reason_over_the_limit_is_refused_beside_it(
    page: Page, pages_server: PageServer
) -> None:
    task = accepted_task(pages_server, "大力提高窗口人员形象", DEMO_UNIT)
    open_page(page, pages_server, Role.OFFICE, f"/tasks/{task}")
    expect(page.locator("form[data-mutation=urgeTask]")).to_be_visible(timeout=WAIT)
    fill_form(page, "urgeTask", {"reason": "催" * 5001})
    expect(problem_beside(page, "urgeTask", "reason")).to_contain_text(
        "超过上限5000个字", timeout=WAIT
    )
    fill_form(page, "urgeTask", {"reason": "统一服装尚未完成"})
    expect(notice(page)).to_have_text("已记录：催办", timeout=WAIT)
    fill_form(page, "escalateTask", {"reason": "两次催办仍未推进"})
    expect(notice(page)).to_have_text("已记录：升级督办", timeout=WAIT)
    now = task_now(pages_server, task)
    assert (now["urgeCount"], now["tier"]) == (1, "OFFICE")
    expect(page.locator("[data-fact=督办层级]")).to_have_text(TIER["OFFICE"])
    expect(page.locator("form[data-mutation=escalateTask] .hint")).to_have_text(
        f"由{TIER['OFFICE']}升至{TIER['LEADING_GROUP']}"
    )


def test_an_extension_is_asked_by_the_lead_unit_and_decided_by_a_leader(
    page: Page, pages_server: PageServer
) -> None:
    task = accepted_task(pages_server, "推进政务服务驿站建设", DEMO_UNIT)
    deadline = task_now(pages_server, task)["deadline"]
    open_page(page, pages_server, Role.UNIT, f"/tasks/{task}")
    fill_form(page, "requestExtension", {"newDeadline": deadline, "reason": "村级选址调整"})
    expect(problem_beside(page, "requestExtension", "newDeadline")).to_contain_text(
        "须晚于现在的办结时限", timeout=WAIT
    )
    later = (ledger_today(pages_server) + timedelta(days=120)).isoformat()
    fill_form(page, "requestExtension", {"newDeadline": later})
    expect(notice(page)).to_have_text("已记录：申请延期", timeout=WAIT)
    expect(page.locator("[data-fact=办结时限] .pending")).to_contain_text(chinese_date(later))

    open_page(page, pages_server, Role.LEADER, f"/tasks/{task}")
    fill_form(page, "decideExtension", {"note": "同意"})
    expect(problem_beside(page, "decideExtension", "approved")).to_contain_text(
        "请选择批准或不批准", timeout=WAIT
    )
    fill_form(page, "decideExtension", {"approved": "批准"})
    expect(notice(page)).to_have_text("已记录：审批延期", timeout=WAIT)
    assert task_now(pages_server, task)["deadline"] == later


def test_completion_is_asked_rejected_verified_and_reopened_on_the_page(
    page: Page, pages_server: PageServer
) -> None:
    task = accepted_task(pages_server, "重视诉求办理", DEMO_UNIT)
    open_page(page, pages_server, Role.UNIT, f"/tasks/{task}")
    fill_form(page, "requestCompletion", {"summary": "诉求办理考核规范已印发"})
    expect(notice(page)).to_have_text("已记录：申请销号", timeout=WAIT)
    open_page(page, pages_server, Role.OFFICE, f"/tasks/{task}")
    fill_form(page, "rejectCompletion", {"reason": "缺少满意度数据"})
    expect(notice(page)).to_have_text("已记录：退回销号申请", timeout=WAIT)
    act(
        pages_server,
        "requestCompletion",
        {"taskId": task, "summary": "已补充满意度数据"},
        Role.UNIT,
    )
    page.reload()
    fill_form(page, "verifyTask", {"note": "核验通过"})
    expect(notice(page)).to_have_text("已记录：核验销号", timeout=WAIT)
    assert task_now(pages_server, task)["state"] == "CLOSED"
    fill_form(page, "reopenTask", {"reason": "群众再次投诉"})
    expect(notice(page)).to_have_text("已记录：重新打开", timeout=WAIT)
    assert task_now(pages_server, task)["state"] == "IN_PROGRESS"
    steps = [row["step"] for row in rows(page.locator("table.steps"))]
    assert steps == ["重新打开", "核验销号", "申请销号", "退回销号申请", "申请销号", "签收"]


def test_each_role_sees_only_the_acts_it_may_do_on_a_task(
    page: Page, pages_server: PageServer
) -> None:
    task = accepted_task(pages_server, "丰富舆论宣传", OTHER_UNIT, cooperating=(DEMO_UNIT,))
    forms = page.locator("form.act")
    seen = {}
    for role in (Role.UNIT, Role.LEADER, Role.INSPECTOR, Role.OFFICE):
        open_page(page, pages_server, role, f"/tasks/{task}")
        expect(page.locator("dl.task-facts")).to_be_visible(timeout=WAIT)
        seen[role] = forms.evaluate_all("fs => fs.map(f => f.dataset.mutation)")
    assert seen[Role.UNIT] == ["reportProgress"]  # cooperating: reports, nothing else
    assert seen[Role.LEADER] == ["escalateTask"]
    assert seen[Role.INSPECTOR] == []
    assert seen[Role.OFFICE] == [
        "reportProgress",
        "urgeTask",
        "escalateTask",
        "requestExtension",
        "requestCompletion",
    ]


def test_a_long_unbroken_title_and_evidence_wrap_within_the_page_and_push_nothing_off_it(
    page: Page, pages_server: PageServer
) -> None:
    # a document's reference or an address pasted whole: no space to break the line at
    reference = "OA-" + "0123456789" * 49
    task = accepted_task(pages_server, reference, DEMO_UNIT)
    report = {"taskId": task, "percent": 10, "narrative": "已上传", "evidence": [reference]}
    act(pages_server, "reportProgress", report, Role.UNIT)

    open_page(page, pages_server, Role.OFFICE, f"/tasks/{task}")
    expect(page.locator("h1")).to_have_text(reference, timeout=WAIT)
    expect(page.locator("table.reports")).to_contain_text(reference)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def test_a_department_cooperating_as_one_of_all_departments_sees_the_task_and_reports_on_it(
    page: Page, pages_server: PageServer
) -> None:
    plan = api(
        pages_server,
        """{ tasks(first: 100) { nodes {
             id planYear number state leadUnits { id } cooperatingGroups { kind label } } } }""",
    )["tasks"]["nodes"]
    [item] = [t for t in plan if (t["planYear"], t["number"]) == (2021, 23)]
    assert "DEPARTMENT" in [group["kind"] for group in item["cooperatingGroups"]]
    if item["state"] == "ASSIGNED":  # its lead unit takes it on, so progress can be reported
        act(pages_server, "acceptTask", {"taskId": item["id"], "unit": item["leadUnits"][0]["id"]})
    open_page(page, pages_server, Role.UNIT, f"/tasks/{item['id']}")  # 区经济发展局, a department
    groups = "、".join(group["label"] for group in item["cooperatingGroups"])
    expect(page.locator("[data-fact=协同单位]")).to_contain_text(groups, timeout=WAIT)
    expect(page.locator("form[data-mutation=reportProgress]")).to_be_visible()
