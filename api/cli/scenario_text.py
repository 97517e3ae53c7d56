"""Wording for synthetic cases, in the users' own terms."""

from __future__ import annotations

from domain.channels import Channel
from domain.legacy_issue import LegacyCategory

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"]

COMPLAINT_TEXT = {
    Channel.GOOD_BAD_REVIEW: ["窗口办事等候时间过长", "工作人员服务态度差", "材料一次告知不清"],
    Channel.HOTLINE_12345: ["企业开办登记进度缓慢", "施工许可审批超时", "供水供暖报装迟缓"],
    Channel.FAULT_FINDING: ["审批环节存在体外循环", "收费标准未公示", "网上办事系统频繁故障"],
    Channel.MEDIA: ["媒体曝光项目审批推诿扯皮", "报道反映企业诉求无人回应"],
    Channel.THREE_TEAMS: ["发现窗口空岗", "反映政策落实不到位"],
}
"""A case's summary; a 三支队伍监督 case's follows the name of its team (特邀监察员反映...)."""

TASK_TITLES = [
    "推进工程建设项目审批提速",
    "落实惠企政策直达快享",
    "优化水电气暖报装服务",
    "规范涉企收费清理整治",
    "推进政务服务事项网上可办",
    "开展营商环境专项督查",
]

LEGACY_TEXT = {
    LegacyCategory.LAND: ["企业用地手续不全", "闲置土地处置"],
    LegacyCategory.PLANNING_CONSTRUCTION: ["规划调整遗留项目", "未批先建项目整改"],
    LegacyCategory.PROPERTY_TITLE: ["回迁楼房产证办理", "企业厂房不动产确权"],
    LegacyCategory.ARREARS: ["拖欠企业工程款", "拖欠中小企业账款"],
    LegacyCategory.EXPROPRIATION: ["征地补偿款未兑付", "动迁安置遗留问题"],
    LegacyCategory.ENTERPRISE_DISPUTE: ["招商引资承诺未兑现", "企业合同纠纷"],
    LegacyCategory.OTHER: ["其他历史遗留问题"],
}
