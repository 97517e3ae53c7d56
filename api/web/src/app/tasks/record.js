// What a task's page shows of it: its facts, its milestones and whether each was reached,
// and its record (progress reports, urgings, escalations, extensions and 销号), each entry
// with who did it and when.
import { el, table } from "../../common/dom.js";
import { ROLE, TASK_STATE, TIER, date, label, moment } from "../../common/labels.js";
import { milestoneTable } from "../milestones.js";
import { lightBadge, progressBar, unitNames } from "./cells.js";

// The units named to cooperate, then the kinds of unit that cooperate whole (各街道: every
// 街道, as the ledger has them when it is read).
function cooperatorsShown(task) {
  const named = task.cooperatingUnits.length ? unitNames(task.cooperatingUnits) : null;
  const groups = (task.cooperatingGroups || []).map((group) => group.label);
  const shown = [named, ...groups].filter(Boolean);
  return shown.length ? shown.join("、") : "—";
}

const OTHER_STEPS = {
  Accepted: "签收",
  ExtensionRequested: "申请延期",
  ExtensionApproved: "批准延期",
  ExtensionRejected: "不批准延期",
  CompletionRequested: "申请销号",
  Verified: "核验销号",
  CompletionRejected: "退回销号申请",
  Reopened: "重新打开",
};

export function tierOf(value) {
  return label(TIER, String(value || "").toUpperCase());
}

function fact(term, ...shown) {
  return [el("dt", {}, term), el("dd", { dataset: { fact: term } }, ...shown)];
}

export function taskFacts(task, state, unitName) {
  const pending = state.pending_extension;
  return el(
    "dl",
    { class: "facts task-facts" },
    fact("年度与序号", `${task.planYear}年${task.number ? `第${task.number}项` : ""}`),
    state.section ? fact("所属部分", state.section) : null,
    fact("状态", label(TASK_STATE, task.state)),
    fact("灯号", lightBadge(task.light)),
    fact("督办层级", label(TIER, task.tier)),
    fact("进度", progressBar(task.progress)),
    fact("牵头单位", unitNames(task.leadUnits)),
    fact("协同单位", cooperatorsShown(task)),
    state.cooperation_note ? fact("协同要求", state.cooperation_note) : null,
    fact("交办日期", date(task.assignedOn)),
    fact("办结时限", date(task.deadline), pending ? el("span", { class: "pending" }, `（申请延期至${date(pending)}，待审批）`) : null),
    state.accepted_by ? fact("签收单位", unitName(state.accepted_by)) : null,
    fact("催办次数", String(task.urgeCount)),
    task.closedOn ? fact("销号日期", date(task.closedOn)) : null,
  );
}

function who(event, unitName) {
  const unit = event.actor.unit ? `（${unitName(event.actor.unit)}）` : "";
  return `${event.actor.id} · ${label(ROLE, event.actor.role)}${unit}`;
}

function section(title, name, events, columns) {
  return el(
    "section",
    { class: `record ${name}` },
    el("h2", {}, title),
    events.length ? table(columns, events, { class: name }) : el("p", { class: "hint" }, "暂无"),
  );
}

// `task`: the API's Task, its milestones with their lights as of today.
export function taskRecord(task, events, unitName) {
  const of = (type) => events.filter((event) => event.type === type);
  const when = { title: "时间", key: "when", cell: (e) => moment(e.occurredAt) };
  const by = { title: "经办", key: "who", cell: (e) => who(e, unitName) };
  const milestones = task.milestones || [];
  const titleOf = (key) => (milestones.find((m) => m.key === key) || { title: key }).title;
  return [
    el("section", { class: "record milestones" }, el("h2", {}, "节点"), milestoneTable(milestones)),
    section("进展报告", "reports", of("ProgressReported").reverse(), [
      when,
      by,
      { title: "进度", key: "percent", cell: (e) => `${e.data.percent}%` },
      { title: "进展情况", key: "narrative", cell: (e) => e.data.narrative },
      { title: "佐证材料", key: "evidence", cell: (e) => (e.data.evidence || []).join("；") || "—" },
      { title: "达成节点", key: "reached", cell: (e) => (e.data.milestones_reached || []).map(titleOf).join("、") || "—" },
    ]),
    section("催办记录", "urgings", of("Urged").reverse(), [when, by, { title: "催办事由", key: "reason", cell: (e) => e.data.reason }]),
    section("升级督办", "escalations", of("Escalated").reverse(), [
      when,
      by,
      { title: "升至", key: "tier", cell: (e) => tierOf(e.data.tier) },
      { title: "理由", key: "reason", cell: (e) => e.data.reason },
    ]),
    section("签收、延期与销号", "steps", events.filter((e) => e.type in OTHER_STEPS).reverse(), [
      when,
      by,
      { title: "办理", key: "step", cell: (e) => OTHER_STEPS[e.type] },
      { title: "内容", key: "said", cell: (e) => stepSaid(e, unitName) },
    ]),
  ];
}

function stepSaid(event, unitName) {
  const data = event.data;
  if (event.type === "Accepted") return unitName(data.unit);
  if (event.type === "ExtensionRequested") return `延至${date(data.new_deadline)}：${data.reason}`;
  return data.summary || data.reason || data.note || "—";
}
