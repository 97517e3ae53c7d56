// The everyday acts on a task, each a form shown only to those who may do it (as
// api/permissions.py has it: the office does every one; a lead unit accepts, reports,
// asks for an extension and for 销号; a cooperating unit reports; a leader escalates and
// decides extensions) and only in the states where it can be done. The acts that judge
// what the page showed (deciding an extension, 销号 or its rejection) carry the version
// seen: if the task changed meanwhile, the ledger refuses and the page says so.
import { ApiError } from "../../common/gql.js";
import { TIER, UNIT_KIND, date, label } from "../../common/labels.js";
import { actForms, relationsOf } from "../acts.js";
import { milestoneField, readMilestones } from "../milestones.js";

const OPEN = ["ASSIGNED", "IN_PROGRESS"];
const GROUPS = Object.entries(UNIT_KIND).map(([kind, name]) => [kind, `全体${name}`]);
const TIERS = Object.keys(TIER);
const reason = (name, shown) => ({ name, label: shown, type: "textarea", required: true });
const note = { name: "note", label: "意见", type: "textarea" };

const ACTS = [
  { mutation: "assignTask", title: "交办", states: ["REGISTERED"], fields: assignFields, toInput: withMilestones },
  { mutation: "acceptTask", title: "签收", states: ["ASSIGNED"], by: ["lead"], fields: acceptFields, fixed: acceptingUnit },
  { mutation: "reportProgress", title: "报告进展", states: ["IN_PROGRESS"], by: ["lead", "cooperating"], fields: progressFields },
  { mutation: "urgeTask", title: "催办", states: OPEN, fields: () => [reason("reason", "催办事由")] },
  { mutation: "escalateTask", title: "升级督办", states: OPEN, by: ["leader"], when: (t) => t.tier !== "LEADING_GROUP", fields: escalateFields },
  { mutation: "requestExtension", title: "申请延期", states: OPEN, by: ["lead"], when: (t, s) => !s.pending_extension, fields: extensionFields },
  {
    mutation: "decideExtension",
    title: "审批延期",
    states: OPEN,
    by: ["leader"],
    when: (t, s) => s.pending_extension,
    fields: decideFields,
    toInput: decided,
    versioned: true,
  },
  { mutation: "requestCompletion", title: "申请销号", states: ["IN_PROGRESS"], by: ["lead"], fields: () => [reason("summary", "完成情况")] },
  { mutation: "verifyTask", title: "核验销号", states: ["COMPLETION_REQUESTED"], fields: () => [note], versioned: true },
  { mutation: "rejectCompletion", title: "退回销号申请", states: ["COMPLETION_REQUESTED"], fields: () => [reason("reason", "退回理由")], versioned: true },
  { mutation: "reopenTask", title: "重新打开", states: ["CLOSED"], fields: () => [reason("reason", "理由")] },
];

function assignFields({ units }) {
  const options = units.filter((unit) => unit.state === "ACTIVE").map((unit) => [unit.id, unit.name]);
  return [
    { name: "leadUnits", label: "牵头单位", type: "select", multiple: true, required: true, options },
    { name: "cooperatingUnits", label: "协同单位", type: "select", multiple: true, options },
    { name: "cooperatingGroups", label: "全体协同（如 各街道）", type: "select", multiple: true, options: GROUPS },
    { name: "cooperationNote", label: "协同要求", type: "text", maxLength: 500 },
    { name: "deadline", label: "办结时限", type: "date", required: true },
    milestoneField(),
  ];
}

function withMilestones(values) {
  return { ...values, milestones: readMilestones(values.milestones) };
}

function acceptFields({ task, me }) {
  if (me.role === "UNIT") return [];
  return [{ name: "unit", label: "签收单位", type: "select", required: true, options: task.leadUnits.map((u) => [u.id, u.name]) }];
}

function acceptingUnit({ me }) {
  return me.role === "UNIT" ? { unit: me.unit.id } : {};
}

function progressFields({ task, state }) {
  const reached = new Set(state.milestones_reached || []);
  const open = (state.milestones || []).filter((m) => !reached.has(m.key));
  return [
    { name: "percent", label: "完成进度（%）", type: "number", min: 0, required: true, value: task.progress, hint: "0到100之间的整数" },
    { name: "narrative", label: "进展情况", type: "textarea", required: true, rows: 4 },
    { name: "evidence", label: "佐证材料", type: "lines", hint: "每行一项" },
    open.length
      ? { name: "milestonesReached", label: "本次达成的节点", type: "select", multiple: true, options: open.map(milestoneOption) }
      : null,
  ].filter(Boolean);
}

function milestoneOption(milestone) {
  return [milestone.key, `${milestone.title}（${milestone.due}）`];
}

function escalateFields({ task }) {
  const next = TIERS[TIERS.indexOf(task.tier) + 1];
  return [{ ...reason("reason", "升级理由"), hint: `由${label(TIER, task.tier)}升至${label(TIER, next)}` }];
}

function extensionFields() {
  return [{ name: "newDeadline", label: "延至", type: "date", required: true }, reason("reason", "延期理由")];
}

function decideFields({ state }) {
  return [
    { name: "approved", label: `是否批准延至${date(state.pending_extension)}`, type: "select", options: [["yes", "批准"], ["no", "不批准"]] },
    note,
  ];
}

function decided(values) {
  if (!values.approved) throw new ApiError("请选择批准或不批准", "BAD_USER_INPUT", "approved");
  return { ...values, approved: values.approved === "yes" };
}

// The forms the caller may use on the task now; `done(success, title)` after each act.
export function taskActs({ task, state, units, context, done }) {
  const mine = (list, unitId) => list.some((unit) => unit.id === unitId);
  const kind = context.me.unit && context.me.unit.kind;
  const ofGroup = (task.cooperatingGroups || []).some((group) => group.kind === kind);
  const relations = relationsOf(context.me, (unitId) => [
    mine(task.leadUnits, unitId) && "lead",
    (mine(task.cooperatingUnits, unitId) || ofGroup) && "cooperating",
  ]);
  const given = { task, state, units, me: context.me };
  return actForms({ acts: ACTS, item: task, state, relations, given, idField: "taskId", context, done });
}
