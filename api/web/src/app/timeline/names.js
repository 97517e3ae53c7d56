// The log's names in the reviewers' words: each item type, and each event type of each
// item type (an event's `type` is its name within its item: `Registered` is a task's, a
// unit's or a legacy problem's, so the label is looked up by both).

export const ITEM_TYPE = {
  Task: "督办事项",
  Complaint: "投诉件",
  LegacyIssue: "历史遗留问题",
  LegacyTarget: "化解目标",
  Interview: "约谈",
  Referral: "移交纪检监察",
  Assessment: "考核",
  Unit: "单位",
  HolidayCalendar: "节假日日历",
  AccessToken: "访问令牌",
  Disclosure: "个人信息查阅",
};

export const EVENT_TYPE = {
  Task: {
    Registered: "登记事项",
    Assigned: "交办",
    Accepted: "领办",
    ProgressReported: "报送进展",
    Urged: "催办",
    Escalated: "提级督办",
    ExtensionRequested: "申请延期",
    ExtensionApproved: "批准延期",
    ExtensionRejected: "驳回延期",
    CompletionRequested: "申请销号",
    Verified: "核验销号",
    CompletionRejected: "驳回办结申请",
    Reopened: "重新办理",
  },
  Complaint: {
    Received: "受理",
    Dispatched: "派单",
    Redispatched: "重新派单",
    SignedFor: "签收",
    Returned: "退单",
    Replied: "答复",
    Verified: "核实",
    AppealReviewed: "申诉复核",
    RectificationReported: "报告整改",
    CalledBack: "回访",
    Reopened: "重新办理",
    DeadlineExtended: "延长时限",
    DeadlinesRecomputed: "重算时限",
    HandedOver: "转办",
    Closed: "办结",
    RewardGranted: "发放奖励",
  },
  LegacyIssue: {
    Registered: "登记问题",
    PlanAdopted: "制定化解方案",
    MilestoneReached: "完成节点",
    Escalated: "提级",
    Suspended: "中止",
    Resumed: "恢复推进",
    ResolutionVerified: "化解销号",
    Reopened: "重新打开",
  },
  LegacyTarget: { Set: "设定目标", Revised: "调整目标" },
  Interview: { Scheduled: "安排约谈", Held: "实施约谈", FollowUpRecorded: "跟踪问效", Cancelled: "取消约谈" },
  Referral: { Made: "移交纪检监察", Acknowledged: "接收移交", OutcomeRecorded: "记录处理结果" },
  Assessment: { Recorded: "记录考核结果", Revised: "修订考核结果" },
  Unit: { Registered: "登记单位", Renamed: "更名", Merged: "合并" },
  HolidayCalendar: { Opened: "建立节假日日历", ScheduleAdopted: "采用节假日安排" },
  AccessToken: { Issued: "发放令牌", Revoked: "吊销令牌" },
  Disclosure: { Recorded: "查阅个人信息" },
};

export function itemTypeName(itemType) {
  return ITEM_TYPE[itemType] || itemType || "—";
}

export function eventTypeName(itemType, type) {
  return (EVENT_TYPE[itemType] && EVENT_TYPE[itemType][type]) || type;
}

// Every event type as [itemType, type, label], item by item (for a picker).
export function eventTypes() {
  return Object.entries(EVENT_TYPE).flatMap(([itemType, types]) => Object.entries(types).map(([type, shown]) => [itemType, type, shown]));
}

// The item a global id (Task:<uuid>) or an event names, as the timeline's path.
export function timelinePath(itemType, itemId) {
  return `/timeline/${encodeURIComponent(itemType ? `${itemType}:${itemId}` : itemId)}`;
}
