"""The forms of a case's page (#/complaints/<id>) and of the inbox in a real browser: every
everyday act of a case's lifecycle goes through its form, by the office and by the unit the
case is dispatched to, and the API shows it; a refusal (a bad input, a wrong state, a stale
page) is said in plain Chinese beside the field it concerns, or above the form's button when
it concerns none."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from playwright.sync_api import Page, expect

from domain.meta import Role
from tests.clock import now
from tests.pages.case_pages import (
    WAIT,
    act,
    beijing_input,
    days_from_now,
    go,
    open_as,
    read,
    recorded,
    submit,
    unit_ids,
)
from tests.pages.cases import OFFICE_UNIT, OTHER_UNIT, case, receive, state_shown
from tests.pages.conftest import screenshot
from tests.pages.server import DEMO_UNIT, PageServer

TEAM_OF = "query($id: ID!) { node(id: $id) { ... on Complaint { team { key name } } } }"


def test_a_case_goes_from_receipt_to_the_fault_finders_reward_through_the_forms(
    page: Page, pages_server: PageServer
) -> None:
    summary = f"办事指南与实际要求不符 {uuid4().hex[:8]}"
    open_as(page, pages_server, Role.OFFICE, "#/complaints?channel=FAULT_FINDING")
    submit(
        page,
        "receiveComplaint",
        {"summary": summary, "firstResponder": OFFICE_UNIT, "subjectUnit": DEMO_UNIT},
    )
    expect(page.locator("p.notice")).to_contain_text("已受理并记录", timeout=WAIT)
    page.locator("p.notice a").click()
    expect(page.locator('dd[data-fact="summary"]')).to_have_text(summary, timeout=WAIT)
    complaint_id = page.evaluate("decodeURIComponent(location.hash.split('/')[2])")
    assert case(pages_server, complaint_id)["history"]["state"]["summary"] == summary

    unit = page.context.new_page()  # another tab: the unit's staff, signed in there
    open_as(unit, pages_server, Role.UNIT, f"#/complaints/{complaint_id}")
    steps: list[tuple[Page, str, dict[str, str], str, str]] = [
        (page, "dispatchComplaint", {"unit": DEMO_UNIT}, "派发", "DISPATCHED"),
        (unit, "returnComplaint", {"reason": "不属本单位职责"}, "退单", "RETURNED"),
        (page, "dispatchComplaint", {"unit": DEMO_UNIT}, "派发", "DISPATCHED"),
        (unit, "signForComplaint", {}, "签收", "SIGNED_FOR"),
        (unit, "replyToComplaint", {"text": "已收悉，正在核实"}, "首次答复", "SIGNED_FOR"),
        (
            page,
            "extendComplaintDeadline",
            {"workingDays": "2", "reason": "需现场核查"},
            "延长办理时限",
            "SIGNED_FOR",
        ),
        (
            page,
            "handOverComplaint",
            {"toUnit": OTHER_UNIT, "note": "职责调整"},
            "移交责任单位",
            "SIGNED_FOR",
        ),
        (page, "verifyComplaint", {"founded": "属实", "finding": "指南未更新"}, "核实", "VERIFIED"),
        (
            unit,
            "reportRectification",
            {"narrative": "已更新指南", "evidence": "网站截图\n更新记录"},
            "报告整改",
            "RECTIFIED",
        ),
        (page, "callBack", {"satisfied": "满意", "note": "回访满意"}, "回访", "CALLED_BACK"),
        (page, "closeComplaint", {"note": "办结"}, "办结", "CLOSED"),
        (
            page,
            "grantReward",
            {"amountYuan": "200", "note": "找茬儿有奖"},
            "发放找茬儿奖励",
            "CLOSED",
        ),
    ]
    acted = page
    for tab, mutation, fill, title, state in steps:
        if tab is not acted:  # the other tab acted meanwhile: a form sends the version it shows
            tab.bring_to_front()
            tab.reload()
            acted = tab
        expect(tab.locator(f'form[data-mutation="{mutation}"]')).to_be_visible(timeout=WAIT)
        submit(tab, mutation, fill)
        recorded(tab, title)
        state_shown(tab, state)
        assert case(pages_server, complaint_id)["node"]["state"] == state, mutation
    known = case(pages_server, complaint_id)
    assert known["node"]["accountableUnit"]["name"] == OTHER_UNIT
    assert known["node"]["rewardYuan"] == 200
    assert known["history"]["state"]["extension_days"] == 2
    expect(page.locator('dd[data-fact="rewardYuan"]')).to_have_text("200 元")
    screenshot(page, "complaint-closed")


def test_an_unfounded_cases_appeal_and_an_unsatisfied_call_back_go_through_the_forms(
    page: Page, pages_server: PageServer
) -> None:
    units = unit_ids(pages_server)
    ids = []
    for _ in range(2):
        given = receive(pages_server, "GOOD_BAD_REVIEW")
        ids.append(given["itemId"])
        sent = act(
            pages_server,
            "dispatchComplaint",
            {"complaintId": given["itemId"], "unit": units[DEMO_UNIT]},
        )
        act(
            pages_server,
            "signForComplaint",
            {"complaintId": given["itemId"], "unit": units[DEMO_UNIT]},
            Role.UNIT,
            sent["position"],
        )
    unfounded, unsatisfied = ids
    found = act(
        pages_server,
        "verifyComplaint",
        {"complaintId": unsatisfied, "founded": True, "finding": "属实"},
    )
    act(
        pages_server,
        "reportRectification",
        {"complaintId": unsatisfied, "narrative": "已整改"},
        Role.UNIT,
        found["position"],
    )

    open_as(page, pages_server, Role.OFFICE, f"#/complaints/{unfounded}")
    submit(page, "verifyComplaint", {"founded": "不属实", "finding": "经核实不属实"})
    recorded(page, "核实")
    state_shown(page, "UNFOUNDED")
    submit(page, "reviewAppeal", {"upheld": "申诉成立", "note": "复核后申诉成立"})
    recorded(page, "申诉复核")
    state_shown(page, "APPEAL_UPHELD")
    assert case(pages_server, unfounded)["node"]["state"] == "APPEAL_UPHELD"

    go(page, f"#/complaints/{unsatisfied}")
    submit(page, "callBack", {"satisfied": "不满意", "note": "仍有问题"})
    recorded(page, "回访")
    submit(page, "reopenComplaint", {"reason": "回访不满意，重新整改"})
    recorded(page, "重新办理")
    state_shown(page, "VERIFIED")
    assert case(pages_server, unsatisfied)["history"]["state"]["reopen_count"] == 1


def problem_of(page: Page, mutation: str, field: str | None = None) -> Any:
    """Where the form of ``mutation`` says what went wrong: beside ``field``, or above its
    button."""
    form = page.locator(f'form[data-mutation="{mutation}"]')
    return form.locator(f"#{mutation}-{field}-problem" if field else ".form-problem")


def test_refusals_are_said_in_chinese_beside_the_field_they_concern(
    page: Page, pages_server: PageServer
) -> None:
    units = unit_ids(pages_server)
    fresh = receive(pages_server)
    open_as(page, pages_server, Role.OFFICE, "#/complaints")
    submit(
        page, "receiveComplaint", {"summary": "补录", "occurredAt": beijing_input(days_from_now(3))}
    )
    expect(problem_of(page, "receiveComplaint", "occurredAt")).to_contain_text(
        "输入不符合规则：不能晚于现在", timeout=WAIT
    )
    expect(page.locator("#receiveComplaint-occurredAt")).to_have_attribute("aria-invalid", "true")

    go(page, f"#/complaints/{fresh['itemId']}")
    state_shown(page, "RECEIVED")
    submit(page, "extendComplaintDeadline", {"workingDays": "50", "reason": "太久"})
    expect(problem_of(page, "extendComplaintDeadline", "workingDays")).to_contain_text(
        "输入不符合规则：延期累计不得超过", timeout=WAIT
    )
    page.locator("details.other-acts summary").click()
    for form in page.locator("details.other-acts form.act").all():
        for text in form.locator("textarea[required]").all():
            text.fill("测试")
        for figure in form.locator('input[type="number"]').all():
            figure.fill("1")
        form.locator('button[type="submit"]').click()
        mutation = form.get_attribute("data-mutation")
        expect(problem_of(page, str(mutation))).to_contain_text(
            "当前状态（已受理）不允许此操作", timeout=WAIT
        )
    assert case(pages_server, fresh["itemId"])["node"]["version"] == 1

    act(
        pages_server,
        "dispatchComplaint",
        {"complaintId": fresh["itemId"], "unit": units[DEMO_UNIT]},
    )
    submit(page, "dispatchComplaint", {"unit": OTHER_UNIT})  # the page still shows version 1
    expect(problem_of(page, "dispatchComplaint")).to_contain_text(
        "该事项已被他人更新", timeout=WAIT
    )
    page.reload()
    state_shown(page, "DISPATCHED")
    submit(page, "signForComplaint", {"unit": OTHER_UNIT})
    expect(problem_of(page, "signForComplaint", "unit")).to_contain_text(
        "输入不符合规则：该投诉并未派发给此单位", timeout=WAIT
    )
    screenshot(page, "complaint-refusals")


def test_a_three_teams_case_names_its_team_on_the_form_and_is_refused_without_one(
    page: Page, pages_server: PageServer
) -> None:
    [team, *_] = read(pages_server, "{ teams { key name } }")["teams"]
    open_as(page, pages_server, Role.OFFICE, "#/complaints?channel=THREE_TEAMS")
    submit(page, "receiveComplaint", {"summary": "窗口服务态度差", "firstResponder": OFFICE_UNIT})
    expect(problem_of(page, "receiveComplaint", "team")).to_contain_text(
        "三支队伍监督渠道的投诉须选择监督队伍", timeout=WAIT
    )
    submit(page, "receiveComplaint", {"team": team["name"]})
    expect(page.locator("p.notice")).to_contain_text("已受理并记录", timeout=WAIT)
    page.locator("p.notice a").click()
    expect(page.locator('dd[data-fact="team"]')).to_have_text(team["name"], timeout=WAIT)
    complaint_id = page.evaluate("decodeURIComponent(location.hash.split('/')[2])")
    shown = read(pages_server, TEAM_OF, {"id": complaint_id})["node"]["team"]
    assert shown == team


MATERIALS = """query($id: ID!) { node(id: $id) { ... on Complaint {
  materialRequests { items breach } } } }"""


def test_the_unit_asks_for_materials_once_and_a_second_list_naming_more_shows_as_a_breach(
    page: Page, pages_server: PageServer
) -> None:
    fresh = receive(pages_server)
    units = unit_ids(pages_server)
    sent = act(
        pages_server,
        "dispatchComplaint",
        {"complaintId": fresh["itemId"], "unit": units[DEMO_UNIT]},
    )
    signed = {"complaintId": fresh["itemId"], "unit": units[DEMO_UNIT]}
    act(pages_server, "signForComplaint", signed, Role.UNIT, after=sent["position"])
    open_as(page, pages_server, Role.UNIT, f"#/complaints/{fresh['itemId']}")
    submit(page, "requestMaterials", {"items": "营业执照副本\n法定代表人身份证明"})
    recorded(page, "一次性告知补正材料")
    submit(page, "requestMaterials", {"items": "营业执照副本\n租赁合同"})
    recorded(page, "一次性告知补正材料")
    shown = page.locator("table.material-requests tbody tr")
    expect(shown).to_have_count(2, timeout=WAIT)
    expect(shown.nth(0).locator('[data-column="breach"]')).to_have_text("符合")
    expect(shown.nth(1).locator('[data-column="breach"]')).to_contain_text("违反")
    asked = read(pages_server, MATERIALS, {"id": fresh["itemId"]})["node"]["materialRequests"]
    assert [r["breach"] for r in asked] == [False, True]
    assert asked[1]["items"] == ["营业执照副本", "租赁合同"]


INTAKE_OF = """query($id: ID!) { node(id: $id) { ... on Complaint {
  intake { key } receipt { receiptedAt } enterprise { name } } } }"""


def test_a_24_hour_line_case_names_its_line_and_enterprise_on_the_form_and_its_page_shows_them(
    page: Page, pages_server: PageServer
) -> None:
    [line, *_] = read(pages_server, "{ intakes { key name receiptHours } }")["intakes"]
    served_by = {"name": "王五", "post": "服务秘书"}
    firm = {"name": "恒力石化", "creditCode": "91210200123456789R", "servedBy": served_by}
    act(pages_server, "registerEnterprise", {**firm, "unit": unit_ids(pages_server)[OFFICE_UNIT]})
    open_as(page, pages_server, Role.OFFICE, "#/complaints?channel=MEDIA")
    shown = f"{line['name']}（{line['receiptHours']}小时内受理）"
    given = {"summary": "夜间来电", "firstResponder": OFFICE_UNIT, "intake": shown}
    submit(page, "receiveComplaint", {**given, "enterprise": "恒力石化"})
    expect(problem_of(page, "receiveComplaint", "intake")).to_contain_text(
        "受理的是12345热线渠道的投诉", timeout=WAIT
    )
    submit(page, "receiveComplaint", {"channel": "12345热线"})
    expect(page.locator("p.notice")).to_contain_text("已受理并记录", timeout=WAIT)
    page.locator("p.notice a").click()
    expect(page.locator('dd[data-fact="intake"]')).to_have_text(line["name"], timeout=WAIT)
    expect(page.locator('dd[data-fact="enterprise"]')).to_have_text("恒力石化")
    expect(page.locator('dd[data-fact="receiptBy"]')).to_contain_text(str(now().year))
    complaint_id = page.evaluate("decodeURIComponent(location.hash.split('/')[2])")
    recorded_case = read(pages_server, INTAKE_OF, {"id": complaint_id})["node"]
    assert recorded_case == {
        "intake": {"key": line["key"]},
        "receipt": {"receiptedAt": None},
        "enterprise": {"name": "恒力石化"},
    }
