"""Interviews (约谈) and referrals (移交纪检监察) on #/oversight in a real browser: the lists and
the office's candidates are the API's, an interview is scheduled from a candidate, held and
followed up, a referral cites events ticked from an item's record and discipline inspection
acknowledges and concludes it, each through its form; a refusal is said in plain Chinese
beside the field it concerns; a unit's staff see their own unit's items only."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.pages.case_pages import (
    INTERVIEW_STATE,
    REFERRAL_STATE,
    WAIT,
    act,
    beijing_input,
    cell,
    days_from_now,
    expect_ids,
    go,
    open_as,
    read,
    recorded,
    submit,
    unit_ids,
)
from tests.pages.cases import OTHER_UNIT
from tests.pages.conftest import screenshot
from tests.pages.server import DEMO_UNIT, PageServer

INTERVIEWS = "table.interviews tbody tr"
REFERRALS = "table.referrals tbody tr"
LISTS = """query($interviews: InterviewFilter, $referrals: ReferralFilter) {
  interviews(first: 20, filter: $interviews) { nodes { id state } }
  referrals(first: 20, filter: $referrals) { nodes { id state } }
}"""
ITEM = "query($id: ID!) { node(id: $id) { id version } history(itemId: $id) { state } }"
CANDIDATES = "{ interviewCandidates { reasons unit { id } } }"


def a_task(server: PageServer) -> str:
    return str(read(server, "{ tasks(first: 1) { nodes { id } } }")["tasks"]["nodes"][0]["id"])


def schedule(server: PageServer, unit: str, days: float = -1) -> Any:
    """An interview of ``unit`` (a name) scheduled through the API three days ago, for
    ``days`` from now (by default yesterday: due, so it can be held now)."""
    given = {
        "unit": unit_ids(server)[unit],
        "interviewees": [{"name": "王某", "post": "局长"}],
        "reason": "牵头任务逾期",
        "citedItems": [a_task(server)],
        "scheduledFor": days_from_now(days).isoformat(),
        "occurredAt": days_from_now(-3).isoformat(),
    }
    return act(server, "scheduleInterview", given)


def refer(server: PageServer, unit: str, evidence: int) -> Any:
    given = {"unit": unit_ids(server)[unit], "reason": "约谈后仍未整改", "evidence": [evidence]}
    return act(server, "referToDiscipline", given)


def listed(server: PageServer, position: int = 0, role: Role = Role.OFFICE, **filters: Any) -> Any:
    return read(server, LISTS, filters, role, position)


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


def known(server: PageServer, item_id: str) -> Any:
    """The item's state in the log (its history's last state)."""
    return read(server, ITEM, {"id": item_id})["history"]["state"]


def test_the_page_lists_interviews_referrals_and_candidates_as_the_api_does(
    page: Page, pages_server: PageServer
) -> None:
    interview = schedule(pages_server, OTHER_UNIT)
    referral = refer(pages_server, OTHER_UNIT, interview["position"])
    both = listed(pages_server, referral["position"])
    candidates = read(pages_server, CANDIDATES)["interviewCandidates"]
    open_as(page, pages_server, Role.OFFICE, "#/oversight")
    expect_ids(page, INTERVIEWS, ids(both["interviews"]["nodes"]))
    expect_ids(page, REFERRALS, ids(both["referrals"]["nodes"]))
    for node in both["interviews"]["nodes"]:
        assert cell(page, node["id"], "state") == INTERVIEW_STATE[node["state"]]
    for node in both["referrals"]["nodes"]:
        assert cell(page, node["id"], "state") == REFERRAL_STATE[node["state"]]
    rows = page.locator("table.candidates tbody tr")
    expect(rows).to_have_count(len(candidates))
    for row, candidate in zip(rows.all(), candidates, strict=True):
        assert row.get_attribute("data-unit") == candidate["unit"]["id"]
        tasks = len(candidate["reasons"].get("overdue_tasks", []))
        if tasks:
            expect(row.locator('td[data-column="reasons"]')).to_contain_text(
                f"牵头任务逾期 {tasks} 项"
            )
    screenshot(page, "oversight")

    page.locator("#filter-interview-state").select_option("SCHEDULED")
    scheduled = listed(pages_server, interviews={"states": ["SCHEDULED"]})
    expect_ids(page, INTERVIEWS, ids(scheduled["interviews"]["nodes"]))
    other = unit_ids(pages_server)[OTHER_UNIT]
    page.locator("#filter-unit").select_option(other)
    by_unit = listed(
        pages_server, interviews={"states": ["SCHEDULED"], "unit": other}, referrals={"unit": other}
    )
    assert interview["itemId"] in ids(by_unit["interviews"]["nodes"])
    expect_ids(page, INTERVIEWS, ids(by_unit["interviews"]["nodes"]))
    expect_ids(page, REFERRALS, ids(by_unit["referrals"]["nodes"]))


def test_an_interview_is_scheduled_from_a_candidate_held_and_followed_up_through_the_forms(
    page: Page, pages_server: PageServer
) -> None:
    candidate = read(pages_server, CANDIDATES)["interviewCandidates"][0]
    open_as(page, pages_server, Role.OFFICE, "#/oversight")
    row = page.locator(f'table.candidates tr[data-unit="{candidate["unit"]["id"]}"]')
    row.get_by_role("link", name="据此安排约谈").click()
    form = page.locator('form[data-mutation="scheduleInterview"]')
    expect(form.locator('[name="unit"]')).to_have_value(candidate["unit"]["id"], timeout=WAIT)
    behind = {i for items in candidate["reasons"].values() for i in items}
    picked = form.locator('[name="citedItems"] option:checked')
    expect(picked).to_have_count(len(behind))
    scheduled = {  # recorded afterwards (补录): arranged three days ago, for yesterday
        "intervieweeName": "张某",
        "intervieweePost": "主任",
        "scheduledFor": beijing_input(days_from_now(-1)),
        "occurredAt": beijing_input(days_from_now(-3)),
    }
    submit(page, "scheduleInterview", scheduled)
    recorded(page, "安排约谈")
    page.locator("p.notice a").click()
    panel = page.locator("section.opened")
    expect(panel.locator('dd[data-fact="interviewee"]')).to_have_text("张某（主任）", timeout=WAIT)
    interview_id = str(panel.get_attribute("data-id"))
    state = known(pages_server, interview_id)
    assert state["unit"] == candidate["unit"]["id"].split(":")[1]
    assert set(state["cited_items"]) == behind
    expect(panel.locator('dd[data-fact="citedItems"] li')).to_have_count(len(behind))

    rectify_by = days_from_now(40).date().isoformat()
    fill = {"facts": "任务逾期属实", "commitments": "月底前完成", "demands": "提交整改报告"}
    submit(page, "holdInterview", {**fill, "rectifyBy": rectify_by})
    recorded(page, "记录约谈")
    expect(panel.locator('dd[data-fact="state"]')).to_have_text("已约谈", timeout=WAIT)
    submit(page, "recordFollowUp", {"narrative": "已按要求整改", "rectified": "已整改到位"})
    recorded(page, "跟踪问效")
    expect(panel.locator('dd[data-fact="rectified"]')).to_have_text("已整改到位", timeout=WAIT)
    state = known(pages_server, interview_id)
    assert (state["state"], state["rectified"], state["rectify_by"]) == (
        "followed_up",
        True,
        rectify_by,
    )
    expect(panel.locator("table.history tbody")).to_contain_text("提交整改报告")
    screenshot(page, "oversight-interview")


def test_refusals_on_interviews_are_said_beside_their_fields_and_a_cancel_goes_through(
    page: Page, pages_server: PageServer
) -> None:
    interview = schedule(pages_server, OTHER_UNIT)  # for yesterday
    open_as(page, pages_server, Role.OFFICE, f"#/oversight?interview={interview['itemId']}")
    page.locator("#scheduleInterview-citedItems").select_option(a_task(pages_server))
    late = {"reason": "逾期", "scheduledFor": "2020-01-06T09:00"}
    submit(
        page, "scheduleInterview", {"intervieweeName": "李某", "intervieweePost": "局长", **late}
    )
    problem = page.locator("#scheduleInterview-scheduledFor-problem")
    expect(problem).to_contain_text("输入不符合规则：不能早于安排约谈的时间", timeout=WAIT)

    before_it = {"facts": "属实", "rectifyBy": days_from_now(40).date().isoformat()}
    submit(page, "holdInterview", {**before_it, "occurredAt": beijing_input(days_from_now(-2))})
    expect(page.locator("#holdInterview-occurredAt-problem")).to_contain_text(
        "不能早于安排的约谈时间", timeout=WAIT
    )
    too_early = days_from_now(-2).date().isoformat()
    submit(page, "holdInterview", {"facts": "属实", "rectifyBy": too_early, "occurredAt": ""})
    expect(page.locator("#holdInterview-rectifyBy-problem")).to_contain_text(
        "输入不符合规则：须晚于约谈日期", timeout=WAIT
    )
    submit(page, "cancelInterview", {"reason": "负责人出差，另行安排"})
    recorded(page, "取消约谈")
    assert known(pages_server, interview["itemId"])["state"] == "cancelled"
    page.locator("details.other-acts summary").click()
    submit(
        page, "holdInterview", {"facts": "属实", "rectifyBy": days_from_now(40).date().isoformat()}
    )
    refused = page.locator('form[data-mutation="holdInterview"] .form-problem')
    expect(refused).to_contain_text("当前状态（已取消）不允许此操作", timeout=WAIT)


def test_a_referral_cites_events_ticked_from_a_record_and_inspection_concludes_it(
    page: Page, pages_server: PageServer
) -> None:
    task = a_task(pages_server)
    first_event = read(
        pages_server,
        "query($id: ID!) { history(itemId: $id) { eventPage(first: 1) { nodes { position } } } }",
        {"id": task},
    )["history"]["eventPage"]["nodes"][0]["position"]
    open_as(page, pages_server, Role.OFFICE, "#/oversight")
    submit(
        page,
        "referToDiscipline",
        {"unit": OTHER_UNIT, "reason": "屡次约谈仍未整改", "evidence": "999999999"},
    )
    expect(page.locator("#referToDiscipline-evidence-problem")).to_contain_text(
        "输入不符合规则：台账中没有位置为 999999999 的事件", timeout=WAIT
    )
    page.locator('form[data-mutation="referToDiscipline"] [name="evidence"]').fill("")
    page.locator("#evidence-item").select_option(task)
    page.get_by_role("button", name="列出事件").click()
    # a task's events are named as a task's (登记事项, 交办), never the log's English names
    expect(page.locator("table.evidence tbody tr").first.locator("td").nth(2)).to_have_text(
        "登记事项", timeout=WAIT
    )
    page.get_by_label(f"位置 {first_event}", exact=True).check()
    evidence = page.locator('form[data-mutation="referToDiscipline"] [name="evidence"]')
    expect(evidence).to_have_value(str(first_event))
    page.locator('form[data-mutation="referToDiscipline"] button[type="submit"]').click()
    recorded(page, "移交纪检监察")
    page.locator("p.notice a").click()
    panel = page.locator("section.opened")
    expect(panel.locator('dd[data-fact="evidence"]')).to_have_text(str(first_event), timeout=WAIT)
    referral_id = str(panel.get_attribute("data-id"))
    state = known(pages_server, referral_id)
    assert (state["evidence"], state["cited_items"]) == ([first_event], [task.split(":")[1]])

    inspector = page.context.new_page()
    open_as(inspector, pages_server, Role.INSPECTOR, f"#/oversight?referral={referral_id}")
    inspector.locator("details.other-acts summary").click()
    submit(inspector, "recordReferralOutcome", {"outcome": "给予诫勉谈话", "accountable": "已追责"})
    refused = inspector.locator('form[data-mutation="recordReferralOutcome"] .form-problem')
    expect(refused).to_contain_text("当前状态（已移交）不允许此操作", timeout=WAIT)
    submit(inspector, "acknowledgeReferral", {"note": "已接收，立案审查"})
    recorded(inspector, "接收移交")
    submit(inspector, "recordReferralOutcome", {"outcome": "给予诫勉谈话", "accountable": "已追责"})
    recorded(inspector, "记录处理结果")
    opened = inspector.locator("section.opened")
    expect(opened.locator('dd[data-fact="accountable"]')).to_have_text("已追责", timeout=WAIT)
    state = known(pages_server, referral_id)
    assert (state["state"], state["outcome"], state["accountable"]) == (
        "concluded",
        "给予诫勉谈话",
        True,
    )
    screenshot(inspector, "oversight-referral")


def test_a_units_token_sees_only_its_own_units_interviews_and_referrals(
    page: Page, pages_server: PageServer
) -> None:
    own = schedule(pages_server, DEMO_UNIT)
    other = schedule(pages_server, OTHER_UNIT)
    referral = refer(pages_server, DEMO_UNIT, own["position"])
    mine = listed(pages_server, referral["position"], Role.UNIT)
    assert (
        own["itemId"] in ids(mine["interviews"]["nodes"]) or len(mine["interviews"]["nodes"]) == 20
    )
    assert other["itemId"] not in ids(mine["interviews"]["nodes"])
    open_as(page, pages_server, Role.UNIT, "#/oversight")
    expect_ids(page, INTERVIEWS, ids(mine["interviews"]["nodes"]))
    expect_ids(page, REFERRALS, ids(mine["referrals"]["nodes"]))
    expect(page.locator("h1")).to_contain_text(DEMO_UNIT)
    for absent in ("table.candidates", "form.act", "#filter-unit"):
        expect(page.locator(absent)).to_have_count(0)
    go(page, f"#/oversight?interview={other['itemId']}")
    expect(page.locator("#page")).to_contain_text("找不到该约谈或移交", timeout=WAIT)


REFERRAL_CANDIDATES = "{ referralCandidates { reasons referralsSoFar unit { id } } }"


def test_units_whose_rectification_after_an_interview_went_unmet_are_listed_for_referral(
    page: Page, pages_server: PageServer
) -> None:
    arranged = {
        "unit": unit_ids(pages_server)[OTHER_UNIT],
        "interviewees": [{"name": "赵某", "post": "局长"}],
        "reason": "牵头任务逾期",
        "citedItems": [a_task(pages_server)],
        "scheduledFor": days_from_now(-10).isoformat(),
        "occurredAt": days_from_now(-13).isoformat(),
    }
    interview = act(pages_server, "scheduleInterview", arranged)
    held = {
        "interviewId": interview["itemId"],
        "facts": "任务逾期属实",
        "commitments": ["限期整改"],
        "demands": ["五日内整改"],
        "rectifyBy": days_from_now(-3).date().isoformat(),
        "occurredAt": days_from_now(-9).isoformat(),
    }
    done = act(pages_server, "holdInterview", held)  # and no follow-up: the demand went unmet
    toward = read(pages_server, REFERRAL_CANDIDATES, {}, Role.OFFICE, done["position"])[
        "referralCandidates"
    ]
    other = unit_ids(pages_server)[OTHER_UNIT]
    assert other in [c["unit"]["id"] for c in toward if c["unit"]]
    open_as(page, pages_server, Role.INSPECTOR, "#/oversight")
    rows = page.locator("table.referral-candidates tbody tr")
    expect(rows).to_have_count(len(toward), timeout=WAIT)
    for row, candidate in zip(rows.all(), toward, strict=True):
        assert row.get_attribute("data-unit") == candidate["unit"]["id"]
        unmet = len(candidate["reasons"].get("unmet_rectifications", []))
        if unmet:
            expect(row.locator('td[data-column="reasons"]')).to_contain_text(
                f"约谈整改要求逾期未落实 {unmet} 项"
            )
        expect(row.locator('td[data-column="referralsSoFar"]')).to_have_text(
            str(candidate["referralsSoFar"])
        )


def test_a_unit_saves_its_own_interviews_notice_and_referral_letter_as_pdf(
    page: Page, pages_server: PageServer, tmp_path: Any
) -> None:
    interview = schedule(pages_server, DEMO_UNIT)
    referral = refer(pages_server, DEMO_UNIT, interview["position"])
    listed(pages_server, referral["position"], Role.UNIT)
    open_as(page, pages_server, Role.UNIT, "#/oversight")
    for key, item, shown, name in (
        ("interview", interview, "下载约谈通知书（PDF）", "约谈通知书"),
        ("referral", referral, "下载移交函（PDF）", "移交函"),
    ):
        go(page, f"#/oversight?{key}={item['itemId']}")
        with page.expect_download(timeout=WAIT) as saving:
            page.get_by_role("button", name=shown).click()
        saved = saving.value
        assert name in saved.suggested_filename and saved.suggested_filename.endswith(".pdf")
        path = tmp_path / f"{key}.pdf"
        saved.save_as(path)
        assert path.read_bytes().startswith(b"%PDF")
