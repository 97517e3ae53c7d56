// The fields of an event's data and of an item's state, named in Chinese (a field not
// named here is shown by its own name), and their values shown as text: units by name,
// moments in Beijing time, yes/no in words. The value itself is kept beside the text
// (data-json) so what is shown can be held against what the API answered.
import { el } from "../../common/dom.js";
import {
  CHANNEL,
  COMPLAINT_STATE,
  INTERVIEW_STATE,
  LEGACY_CATEGORY,
  LEGACY_STATE,
  REFERRAL_STATE,
  ROLE,
  TASK_STATE,
  TIER,
  UNIT_KIND,
  VERDICT,
  moment,
} from "../../common/labels.js";

export const FIELD = {
  id: "编号",
  version: "版本",
  state: "状态",
  title: "标题",
  name: "名称",
  kind: "类别",
  section: "所属部分",
  description: "内容",
  plan_year: "计划年度",
  number: "序号",
  lead_units: "牵头单位",
  cooperating_units: "协同单位",
  cooperation_note: "协同说明",
  assigned_on: "交办日期",
  deadline: "办结时限",
  new_deadline: "申请的新时限",
  milestones: "节点",
  milestones_reached: "已完成节点",
  accepted_by: "领办单位",
  progress: "进度（%）",
  percent: "进度（%）",
  tier: "督办层级",
  urge_count: "催办次数",
  pending_extension: "待批延期",
  closed_on: "办结日期",
  last_occurred_at: "最近业务时间",
  channel: "渠道",
  summary: "摘要",
  complainant_name: "投诉人姓名",
  complainant_phone: "投诉人电话",
  subject_unit: "被投诉单位",
  first_responder: "首问负责单位",
  accountable_unit: "责任单位",
  handling_unit: "承办单位",
  unit: "单位",
  to_unit: "转至单位",
  received_on: "受理日期",
  dispatched_on: "派单日期",
  first_reply_by: "首次答复时限",
  close_by: "办结时限",
  sign_by: "签收时限",
  return_by: "退单时限",
  first_reply_days: "答复时限（工作日）",
  close_days: "办结时限（工作日）",
  sign_days: "签收时限（工作日）",
  return_days: "退单时限（工作日）",
  working_days: "工作日数",
  provisional: "时限待定",
  deadline_provisional: "时限待定",
  reply_working_days: "答复用时（工作日）",
  first_replied_on: "首次答复日期",
  rectified_on: "整改日期",
  return_count: "退单次数",
  reopen_count: "重办次数",
  extension_days: "延长工作日",
  satisfied: "是否满意",
  founded: "是否属实",
  upheld: "申诉是否成立",
  finding: "核实情况",
  reward: "奖励",
  amount_yuan: "奖励金额（元）",
  text: "答复内容",
  narrative: "情况说明",
  evidence: "佐证",
  reason: "理由",
  note: "备注",
  outcome: "处理结果",
  accountable: "是否追责",
  persons: "涉及人员",
  cited_items: "引用事项",
  interviewee: "约谈对象",
  scheduled_for: "约谈时间",
  facts: "约谈情况",
  commitments: "承诺事项",
  demands: "整改要求",
  rectify_by: "整改期限",
  rectified: "是否整改到位",
  category: "类别",
  cause: "成因",
  parties: "涉及主体",
  responsible_unit: "责任单位",
  target_year: "目标年度",
  baseline: "属于基数",
  registered_on: "登记日期",
  resumes_to: "恢复后状态",
  plan: "化解方案",
  key: "节点",
  period: "考核期",
  score: "得分",
  verdict: "奖惩",
  recorded_on: "记录日期",
  former_names: "曾用名",
  merged_into: "并入单位",
  into: "并入单位",
  year: "年度",
  goal: "目标",
  due: "期限",
  required_resolved_percent: "要求化解比例（%）",
  days_off: "放假日期",
  source: "来源",
  digest: "摘要值",
  purpose: "查阅目的",
  items: "涉及事项",
  fields: "查阅字段",
  read_in: "查阅途径",
  role: "角色",
  expires_at: "有效期至",
  secret_hash: "令牌摘要",
  originator_id_type: "编号类型",
};

// Fields that say what an act was about and why: shown first, in full, on the timeline.
export const WHY = ["title", "name", "reason", "narrative", "note", "outcome", "facts", "finding", "summary", "text", "purpose", "cause", "plan", "cooperation_note"];

export function fieldName(key) {
  return FIELD[key] || key;
}

const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The API's enum values as the read models hold them (lower case), by field.
const STATES = { ...LEGACY_STATE, ...INTERVIEW_STATE, ...REFERRAL_STATE, ...COMPLAINT_STATE, ...TASK_STATE };
const ENUM = { state: STATES, resumes_to: STATES, channel: CHANNEL, tier: TIER, category: LEGACY_CATEGORY, kind: UNIT_KIND, verdict: VERDICT, role: ROLE };

export function valueText(value, unitNames, key = "") {
  if (value === null || value === undefined || value === "") return "—";
  if (value === true) return "是";
  if (value === false) return "否";
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(v, unitNames, key)).join("、") : "—";
  if (typeof value === "object") return JSON.stringify(value);
  const text = String(value);
  const named = ENUM[key] && ENUM[key][text.toUpperCase()];
  if (named) return named;
  if (UUID.test(text) && unitNames.has(text)) return unitNames.get(text);
  if (MOMENT.test(text)) return `${moment(text)}（北京时间）`;
  return text;
}

// Fields as a definition list: each name, and its value as text (data-json: the value).
export function fieldList(fields, unitNames, keys = Object.keys(fields)) {
  return el(
    "dl",
    { class: "fields" },
    keys.map((key) => [
      el("dt", { dataset: { field: key }, title: key }, fieldName(key)),
      el("dd", { dataset: { field: key, json: JSON.stringify(fields[key] === undefined ? null : fields[key]) } }, valueText(fields[key], unitNames, key)),
    ]),
  );
}
