"""The columns of each 台账 sheet: Chinese headers, what kind of value each holds, and how
wide it is shown.

Every sheet begins with 台账编号 (the row's stable number, see ``api.exports.item_acts``)
and 系统编号 (the item's id in the ledger), so that a sheet can be read back and matched to
the ledger; the dates of an item's acts (登记, 交办, 销号, 重新办理 ...) are columns of
their own, written as dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """What a column holds, and so how a writer writes it."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    MOMENT = "moment"  # a date and a time of day, Beijing time
    LIST = "list"  # joined with 、
    FLAG = "flag"  # 是 / 否, empty when unknown


T, N, D, M, L, F = Kind.TEXT, Kind.NUMBER, Kind.DATE, Kind.MOMENT, Kind.LIST, Kind.FLAG


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = Kind.TEXT
    width: int = 12


@dataclass(frozen=True)
class Sheet:
    """One list as a sheet: its name (the sheet's tab) and its columns, in order."""

    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _sheet(title: str, *columns: tuple[str, str, Kind, int]) -> Sheet:
    head = (Column("number", "台账编号", T, 16), Column("id", "系统编号", T, 38))
    return Sheet(title, head + tuple(Column(*c) for c in columns))


SHEETS: dict[str, Sheet] = {
    "tasks": _sheet(
        "督办事项",
        ("plan_year", "计划年度", N, 9),
        ("plan_number", "序号", N, 6),
        ("section", "板块", T, 16),
        ("title", "事项名称", T, 40),
        ("description", "工作内容", T, 48),
        ("lead_units", "牵头单位", L, 24),
        ("cooperating_units", "协同单位", L, 30),
        ("cooperation_note", "协同说明", T, 30),
        ("milestones", "工作节点", L, 36),
        ("deadline", "完成时限", D, 12),
        ("state", "状态", T, 10),
        ("light", "灯色", T, 8),
        ("progress", "进度（%）", N, 9),
        ("tier", "督办层级", T, 14),
        ("urges", "催办次数", N, 9),
        ("registered_on", "登记日期", D, 12),
        ("assigned_on", "交办日期", D, 12),
        ("accepted_on", "接收日期", D, 12),
        ("completion_requested_on", "申请销号日期", D, 13),
        ("closed_on", "销号日期", D, 12),
        ("reopened_on", "重新打开日期", D, 13),
    ),
    "complaints": _sheet(
        "投诉台账",
        ("channel", "渠道", T, 12),
        ("summary", "诉求内容", T, 40),
        ("complainant_name", "投诉人", T, 10),
        ("complainant_phone", "联系电话", T, 14),
        ("first_responder", "首问单位", T, 18),
        ("accountable_unit", "责任单位", T, 18),
        ("handling_unit", "承办单位", T, 18),
        ("received_on", "受理日期", D, 12),
        ("close_by", "办结时限", D, 12),
        ("state", "状态", T, 10),
        ("overdue", "是否超期", F, 9),
        ("returns", "退单次数", N, 9),
        ("reopenings", "重新办理次数", N, 12),
        ("satisfied", "回访满意", F, 9),
        ("reward_yuan", "奖励金额（元）", N, 12),
        ("dispatched_on", "派单日期", D, 12),
        ("signed_for_on", "签收日期", D, 12),
        ("rectified_on", "整改日期", D, 12),
        ("called_back_on", "回访日期", D, 12),
        ("closed_on", "办结日期", D, 12),
        ("reopened_on", "重新办理日期", D, 13),
    ),
    "legacy-issues": _sheet(
        "历史遗留问题总台账",
        ("title", "问题名称", T, 36),
        ("category", "类别", T, 12),
        ("cause", "成因", T, 30),
        ("parties", "涉及主体", L, 24),
        ("responsible_unit", "责任单位", T, 18),
        ("tier", "督办层级", T, 14),
        ("target_year", "化解目标年度", N, 12),
        ("baseline", "摸底存量", F, 9),
        ("state", "状态", T, 10),
        ("milestones", "工作节点", L, 36),
        ("registered_on", "登记日期", D, 12),
        ("planned_on", "方案制定日期", D, 13),
        ("suspended_on", "中止日期", D, 12),
        ("resolved_on", "销号日期", D, 12),
        ("reopened_on", "重新打开日期", D, 13),
        ("history", "办理过程", L, 48),
    ),
    "interviews": _sheet(
        "约谈",
        ("unit", "被约谈单位", T, 18),
        ("interviewees", "约谈对象", L, 30),
        ("reason", "约谈事由", T, 36),
        ("state", "状态", T, 10),
        ("scheduled_for", "约谈时间", M, 17),
        ("registered_on", "安排日期", D, 12),
        ("held_on", "约谈日期", D, 12),
        ("rectify_by", "整改时限", D, 12),
        ("rectified", "已整改", F, 8),
        ("rectified_on", "整改确认日期", D, 13),
        ("cancelled_on", "取消日期", D, 12),
    ),
    "referrals": _sheet(
        "移交纪检监察",
        ("unit", "被移交单位", T, 18),
        ("persons", "涉及人员", L, 20),
        ("reason", "移交事由", T, 36),
        ("evidence", "证据（日志位置）", L, 18),
        ("state", "状态", T, 10),
        ("outcome", "处理结果", T, 30),
        ("accountable", "追责", F, 8),
        ("made_on", "移交日期", D, 12),
        ("acknowledged_on", "接收日期", D, 12),
        ("concluded_on", "办结日期", D, 12),
    ),
    "scorecards": _sheet(
        "单位考核",
        ("unit", "单位", T, 20),
        ("period", "考核期", T, 9),
        ("tasks_led", "牵头事项", N, 9),
        ("tasks_cooperating", "协同事项", N, 9),
        ("urges", "被催办", N, 8),
        ("escalated", "被升级", N, 8),
        ("tasks_closed", "销号", N, 7),
        ("tasks_closed_on_time", "按期销号", N, 9),
        ("tasks_reopened", "重新打开", N, 9),
        ("overdue", "期末逾期", N, 9),
        ("received", "受理", N, 7),
        ("returned", "退单", N, 7),
        ("late_sign_fors", "签收超时", N, 9),
        ("late_returns", "退单超时", N, 9),
        ("overdue_sign_fors", "期末待签收超时", N, 13),
        ("material_requests", "要求补正", N, 9),
        ("once_notice_breaches", "违反一次告知", N, 12),
        ("closed", "办结", N, 7),
        ("closed_on_time", "按期办结", N, 9),
        ("called_back", "回访", N, 7),
        ("satisfied", "满意", N, 7),
        ("bad_reviews", "差评", N, 7),
        ("media_exposures", "媒体曝光", N, 9),
        ("interviews", "约谈", N, 7),
        ("interviews_rectified", "约谈后整改", N, 10),
        ("referrals", "移交纪检", N, 9),
        ("referrals_accountable", "追责", N, 7),
        ("assessments", "考核得分", L, 30),
    ),
    "events": _sheet(
        "审计日志",
        ("item_type", "事项类型", T, 14),
        ("version", "版本", N, 6),
        ("type", "事件", T, 20),
        ("occurred_at", "发生时间", M, 17),
        ("recorded_at", "记录时间", M, 17),
        ("actor_id", "操作人", T, 20),
        ("actor_role", "角色", T, 12),
        ("actor_unit", "所在单位", T, 38),
        ("request_id", "请求编号", T, 20),
        ("imported", "导入", F, 6),
        ("data", "内容", T, 60),
    ),
}
"""Every list that exports as a 台账 sheet, by its name in ``ledger export`` and in
``/exports/{list}.xlsx``."""
