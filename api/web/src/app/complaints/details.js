// A case's details and deadlines: the figures of the Complaint type, and from its state
// in the log the text of the complaint, the complainant (masked as the API gives it) and
// the deadlines to sign for, return and first reply.
import { el, table } from "../../common/dom.js";
import { CHANNEL, COMPLAINT_STATE, date, label, moment, number } from "../../common/labels.js";
import { deadlineShown, lightBadge } from "./inbox_table.js";

function facts(pairs) {
  return el(
    "dl",
    { class: "facts" },
    pairs.filter(Boolean).map(([term, value, key]) => [el("dt", {}, term), el("dd", { dataset: { fact: key } }, value)]),
  );
}

function unitName(unit) {
  return unit ? unit.name : "—";
}

function yesNo(value, yes, no) {
  return value === null || value === undefined ? "—" : value ? yes : no;
}

export function complaintDetails(c, state) {
  return facts([
    ["编号", c.itemId, "itemId"],
    ["渠道", label(CHANNEL, c.channel), "channel"],
    c.team ? ["监督队伍", c.team.name || c.team.key, "team"] : null,
    c.intake ? ["受理专线", c.intake.name || c.intake.key, "intake"] : null,
    c.enterprise ? ["涉及企业", c.enterprise.name, "enterprise"] : null,
    ["状态", [label(COMPLAINT_STATE, c.state), " ", c.light ? lightBadge(c.light) : null], "state"],
    ["诉求内容", el("span", { class: "summary" }, state.summary || "—"), "summary"],
    ["投诉人", state.complainant_name || "—", "complainantName"],
    ["联系电话", state.complainant_phone || "—", "complainantPhone"],
    ["被投诉单位", unitName(c.subjectUnit), "subjectUnit"],
    ["首问单位", unitName(c.firstResponder), "firstResponder"],
    ["责任单位", unitName(c.accountableUnit), "accountableUnit"],
    ["承办单位", unitName(c.handlingUnit), "handlingUnit"],
    ["退单次数", number(c.returns), "returns"],
    ["重新办理次数", number(c.reopenings), "reopenings"],
    ["核实结论", yesNo(c.founded, "属实", "不属实"), "founded"],
    ["回访结果", yesNo(c.satisfied, "满意", "不满意"), "satisfied"],
    c.channel === "FAULT_FINDING" ? ["找茬儿奖励", c.rewardYuan ? `${number(c.rewardYuan)} 元` : "—", "rewardYuan"] : null,
  ]);
}

// The business day (in Beijing) an event of `type` last happened since the case was last
// dispatched (a sign-for or return of an earlier dispatch met an earlier deadline), if it did.
function lastDay(events, type) {
  const dispatched = events.map((e) => e.type).lastIndexOf("Dispatched");
  const redispatched = events.map((e) => e.type).lastIndexOf("Redispatched");
  const found = events.slice(Math.max(dispatched, redispatched, 0)).filter((e) => e.type === type).pop();
  return found ? new Date(found.occurredAt).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }) : null;
}

function done(day, what) {
  return day ? el("span", { class: "done" }, `（${date(day)}${what}）`) : null;
}

// A case of an intake line: when it must be receipted (dispatched) by, and whether it was.
function receiptShown(r) {
  if (r.receiptedAt) return [moment(r.due), el("span", { class: r.late ? "overdue" : "done" }, `（${moment(r.receiptedAt)}${r.late ? "超时受理" : "已受理"}）`)];
  return [moment(r.due), r.overdue ? el("strong", { class: "overdue" }, "（已超时未受理）") : null];
}

export function complaintDeadlines(c, state, events) {
  return facts([
    c.receipt ? ["受理时限", receiptShown(c.receipt), "receiptBy"] : null,
    ["签收时限", state.sign_by ? [date(state.sign_by), done(lastDay(events, "SignedFor"), "已签收")] : "派发后计算", "signBy"],
    ["退单时限", state.return_by ? [date(state.return_by), done(lastDay(events, "Returned"), "退单")] : "派发后计算", "returnBy"],
    ["首次答复时限", [date(state.first_reply_by), done(c.firstRepliedOn, "已答复")], "firstReplyBy"],
    ["办结时限", [deadlineShown(c.closeBy, c.deadlineProvisional), done(c.closedOn, "已办结")], "closeBy"],
    ["整改", c.rectifiedOn ? `${date(c.rectifiedOn)} 报告整改` : "—", "rectifiedOn"],
    ["已延期", state.extension_days ? `${state.extension_days} 个工作日` : "未延期", "extension"],
    ["逾期", c.overdue ? el("strong", { class: "overdue" }, "已逾期") : "否", "overdue"],
  ]);
}

// The requests for materials (一次告知) on the case: each list, when, and whether it named
// something the unit's first list had not (a breach of 一次告知).
export function materialRequests(c) {
  const requests = c.materialRequests || [];
  if (!requests.length) return el("p", { class: "hint" }, "未要求补正材料");
  return table(
    [
      { title: "日期", key: "requestedOn", cell: (r) => date(r.requestedOn) },
      { title: "单位", key: "unit", cell: (r) => (r.unit ? r.unit.name : "—") },
      { title: "需补正的材料", key: "items", cell: (r) => r.items.join("；") },
      { title: "一次告知", key: "breach", cell: (r) => (r.breach ? el("span", { class: "breach" }, "违反（新增了首次未告知的材料）") : "符合") },
    ],
    requests,
    { class: "material-requests" },
  );
}
