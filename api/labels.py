"""Chinese labels for the codes the ledger stores, for people reading exports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from domain.assessment import AssessmentKind, AssessmentState, Verdict
from domain.channels import CHANNEL_LABELS, Channel
from domain.complaint_events import ComplaintState
from domain.enterprise import EnterpriseState
from domain.escalation import Tier
from domain.finding import FindingKind
from domain.interview import InterviewState
from domain.legacy_issue import CATEGORY_LABELS, LegacyCategory, LegacyState
from domain.legacy_target import TargetShortfall, TargetState
from domain.measure import MeasureKind, MeasureState
from domain.meta import Role
from domain.referral import ReferralState
from domain.score_formula import FULL_MARKS
from domain.task_events import TaskState
from domain.timeliness import LIGHT_LABELS, Light
from domain.unit import UnitKind, UnitState

LABELS: dict[Enum, str] = {
    TaskState.REGISTERED: "已登记",
    TaskState.ASSIGNED: "已交办",
    TaskState.IN_PROGRESS: "办理中",
    TaskState.COMPLETION_REQUESTED: "申请销号",
    TaskState.CLOSED: "已销号",
    ComplaintState.RECEIVED: "已受理",
    ComplaintState.DISPATCHED: "已派单",
    ComplaintState.RETURNED: "已退单",
    ComplaintState.SIGNED_FOR: "已签收",
    ComplaintState.VERIFIED: "已核实",
    ComplaintState.UNFOUNDED: "核实不属实",
    ComplaintState.APPEAL_UPHELD: "申诉成立",
    ComplaintState.RECTIFIED: "已整改",
    ComplaintState.CALLED_BACK: "已回访",
    ComplaintState.CLOSED: "已办结",
    LegacyState.REGISTERED: "已登记",
    LegacyState.PLANNED: "化解中",
    LegacyState.SUSPENDED: "已中止",
    LegacyState.RESOLVED: "已销号",
    Tier.TASK_FORCE: "项目专班",
    Tier.OFFICE: "领导小组办公室",
    Tier.LEADING_GROUP: "领导小组",
    UnitKind.DEPARTMENT: "区直部门",
    UnitKind.SUBDISTRICT: "街道",
    UnitKind.STATIONED: "驻区单位",
    UnitKind.ENTERPRISE: "区属企业",
    AssessmentKind.RESULTS_APPLIED: "成果运用转化",
    AssessmentKind.UNIT_ASSESSMENT: "督导考核奖惩",
    AssessmentKind.ENTERPRISE_EVALUATION: "企业评议机关",
    Verdict.REWARD: "奖励",
    Verdict.PENALTY: "惩处",
    Verdict.NONE: "无",
    UnitState.ACTIVE: "在册",
    UnitState.MERGED: "已合并",
    InterviewState.SCHEDULED: "已安排",
    InterviewState.HELD: "已约谈",
    InterviewState.FOLLOWED_UP: "已跟踪整改",
    InterviewState.CANCELLED: "已取消",
    ReferralState.MADE: "已移交",
    ReferralState.ACKNOWLEDGED: "已接收",
    ReferralState.CONCLUDED: "已办结",
    AssessmentState.RECORDED: "已记录",
    EnterpriseState.REGISTERED: "已登记",
    EnterpriseState.UNDER_CONTRACT: "契约服务中",
    TargetState.SET: "已设定",
    TargetShortfall.SHARE_NOT_REACHED: "化解比例未达要求",
    TargetShortfall.NEW_PROBLEMS_REGISTERED: "新增了问题（不增新量）",
    MeasureKind.RULE_CHANGE: "制度修订",
    MeasureKind.PROCESS_CHANGE: "流程优化",
    MeasureKind.TRAINING: "培训",
    MeasureState.PROPOSED: "已提出",
    MeasureState.IMPLEMENTED: "已落实",
    MeasureState.EVALUATED: "已评估",
    FindingKind.COMPLAINT: "投诉",
    FindingKind.EXPOSURE: "媒体曝光",
    FindingKind.INTERVIEW: "约谈",
    FindingKind.LEGACY_ISSUE: "历史遗留问题",
    Role.OFFICE: "督办办公室",
    Role.UNIT: "责任单位",
    Role.INSPECTOR: "纪检监察",
    Role.LEADER: "领导",
    Role.VIEWER: "查看",
}


SCORE_TERM_LABELS: dict[str, str] = {
    "task_on_time": "任务按时完成率",
    "efficiency": "行政效能（按时办结率）",
    "rectification": "整改率",
    "enterprise_rating": "企业评议",
    "overdue_tasks": "逾期事项",
    "interviews": "约谈",
    "referrals": "移交纪检监察",
    "once_notice_breaches": "违反一次告知",
    "late_answers": "超时签收/退单",
    FULL_MARKS: "无可计量指标，按满分",
}
"""督导考核奖惩: each term of a unit's score (``ScoreTerm.key``, domain/score_formula.py)."""


TABLES: tuple[Mapping[Any, str], ...] = (LABELS, CHANNEL_LABELS, CATEGORY_LABELS, LIGHT_LABELS)


def label(code: Enum | None) -> str:
    """The Chinese label of ``code``, or its value when it has none."""
    if code is None:
        return ""
    for table in TABLES:
        if code in table:
            return table[code]
    return str(code.value)


PAGE_ENUMS: tuple[type[Enum], ...] = (
    AssessmentKind,
    AssessmentState,
    Verdict,
    Channel,
    ComplaintState,
    Tier,
    InterviewState,
    LegacyCategory,
    LegacyState,
    TargetState,
    TargetShortfall,
    Role,
    ReferralState,
    EnterpriseState,
    TaskState,
    Light,
    UnitKind,
    UnitState,
    MeasureKind,
    MeasureState,
    FindingKind,
)
"""The enums of the API (each of the same name in the schema), whose labels the pages show."""


def page_labels() -> dict[str, dict[str, str]]:
    """Every label the pages show, by the API's enum and value (``{"Channel": {"MEDIA":
    ...}}``), and the score terms' by key (``ScoreTerm``): the pages say what the exports
    say. ``ledger export-labels`` writes it to api/web/src/common/labels.json, which a test
    keeps in step."""
    labels = {kind.__name__: {code.name: label(code) for code in kind} for kind in PAGE_ENUMS}
    return {**labels, "ScoreTerm": dict(SCORE_TERM_LABELS)}


def page_labels_json() -> str:
    """``page_labels`` as the pages import it (api/web/src/common/labels.json)."""
    return json.dumps(page_labels(), ensure_ascii=False, indent=2) + "\n"
