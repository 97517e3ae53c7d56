// The ledger's names in the users' words: every enum value of the API in Chinese, and
// the formats figures are shown in.

export const CHANNEL = {
  GOOD_BAD_REVIEW: "好差评",
  HOTLINE_12345: "12345热线",
  FAULT_FINDING: "找茬儿",
  MEDIA: "媒体曝光",
  THREE_TEAMS: "三支队伍",
};
export const CHANNELS = Object.keys(CHANNEL);

export const LIGHT = { GREEN: "绿灯", YELLOW: "黄灯", RED: "红灯" };
export const LIGHT_COLOR = { GREEN: "#2fb36d", YELLOW: "#f0b429", RED: "#e5484d" };

export const TIER = { TASK_FORCE: "专班", OFFICE: "督办办公室", LEADING_GROUP: "领导小组" };

export const TASK_STATE = {
  REGISTERED: "已登记",
  ASSIGNED: "已交办",
  IN_PROGRESS: "推进中",
  COMPLETION_REQUESTED: "申请办结",
  CLOSED: "已办结",
};

export const COMPLAINT_STATE = {
  RECEIVED: "已受理",
  DISPATCHED: "已派发",
  RETURNED: "已退回",
  SIGNED_FOR: "已签收",
  VERIFIED: "已核实",
  UNFOUNDED: "不属实",
  APPEAL_UPHELD: "申诉成立",
  RECTIFIED: "已整改",
  CALLED_BACK: "已回访",
  CLOSED: "已办结",
};

export const INTERVIEW_STATE = { SCHEDULED: "已安排", HELD: "已约谈", FOLLOWED_UP: "已跟踪问效", CANCELLED: "已取消" };
export const REFERRAL_STATE = { MADE: "已移交", ACKNOWLEDGED: "已接收", CONCLUDED: "已办结" };

export const LEGACY_STATE = { REGISTERED: "已登记", PLANNED: "已制定方案", SUSPENDED: "暂缓", RESOLVED: "已化解" };
export const LEGACY_CATEGORY = {
  LAND: "土地",
  PLANNING_CONSTRUCTION: "规划建设",
  PROPERTY_TITLE: "不动产登记",
  ARREARS: "拖欠账款",
  EXPROPRIATION: "征收补偿",
  ENTERPRISE_DISPUTE: "涉企纠纷",
  OTHER: "其他",
};

export const ROLE = { OFFICE: "督办办公室", UNIT: "责任单位", INSPECTOR: "纪检监察", LEADER: "领导", VIEWER: "大屏观看" };
export const UNIT_KIND = { DEPARTMENT: "部门", SUBDISTRICT: "街道", STATIONED: "驻区单位", ENTERPRISE: "企业" };
export const VERDICT = { REWARD: "奖励", PENALTY: "惩处", NONE: "无" };

export function label(table, value) {
  return (value && table[value]) || value || "—";
}

// A rate as the API gives it: already a percentage, one decimal (projections/rates.py).
export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${Number(rate).toFixed(1)}%`;
}

export function number(value) {
  return value === null || value === undefined ? "—" : Number(value).toLocaleString("zh-CN");
}

// A business date (YYYY-MM-DD) as the users write it.
export function date(value) {
  if (!value) return "—";
  const [y, m, d] = String(value).slice(0, 10).split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

// A moment (ISO with offset) in Beijing time.
export function moment(value) {
  if (!value) return "—";
  const shown = new Date(value).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  return shown;
}
