// A case's history in brief: each event of its lifecycle in the users' words, who recorded
// it and when, with what it said; back-dated entries marked. The full record is the
// timeline page's.
import { el, table } from "../../common/dom.js";
import { CHANNEL, ROLE, date, label, moment } from "../../common/labels.js";

export const COMPLAINT_EVENT = {
  Received: "受理",
  Dispatched: "派发",
  Redispatched: "重新派发",
  SignedFor: "签收",
  Returned: "退单",
  Replied: "首次答复",
  Verified: "核实",
  AppealReviewed: "申诉复核",
  RectificationReported: "报告整改",
  CalledBack: "回访",
  Reopened: "重新办理",
  DeadlineExtended: "延长时限",
  DeadlinesRecomputed: "时限重算",
  HandedOver: "移交责任单位",
  Closed: "办结",
  RewardGranted: "发放奖励",
};

function cut(text, length = 120) {
  const said = String(text || "").trim();
  return said.length > length ? `${said.slice(0, length)}…` : said;
}

// What an event said, in a line: `unit` names a unit by its uuid.
function said(event, unit) {
  const d = event.data || {};
  switch (event.type) {
    case "Received":
      return `${label(CHANNEL, String(d.channel || "").toUpperCase())}，首问单位 ${unit(d.first_responder)}`;
    case "Dispatched":
    case "Redispatched":
      return `派至 ${unit(d.unit)}，签收时限 ${date(d.sign_by)}，退单时限 ${date(d.return_by)}`;
    case "SignedFor":
      return `${unit(d.unit)} 签收`;
    case "Returned":
      return `${unit(d.unit)} 退单：${cut(d.reason)}`;
    case "Replied":
      return cut(d.text);
    case "Verified":
      return `${d.founded ? "属实" : "不属实"}：${cut(d.finding)}`;
    case "AppealReviewed":
      return `${d.upheld ? "申诉成立" : "申诉不成立"}：${cut(d.note)}`;
    case "RectificationReported":
      return cut(d.narrative);
    case "CalledBack":
      return `${d.satisfied ? "满意" : "不满意"}${d.note ? `：${cut(d.note)}` : ""}`;
    case "Reopened":
      return cut(d.reason);
    case "DeadlineExtended":
      return `延长 ${d.working_days} 个工作日，办结时限至 ${date(d.close_by)}：${cut(d.reason)}`;
    case "DeadlinesRecomputed":
      return `按 ${d.year} 年节假日安排重算，办结时限 ${date(d.close_by)}`;
    case "HandedOver":
      return `移交 ${unit(d.to_unit)}${d.note ? `：${cut(d.note)}` : ""}`;
    case "RewardGranted":
      return `${d.amount_yuan} 元${d.note ? `：${cut(d.note)}` : ""}`;
    default:
      return cut(d.note || "");
  }
}

// When an event happened (business time), marked 补录 when it was recorded long after.
export function occurredShown(event) {
  const late = event.backdated ? el("span", { class: "backdated", title: `记录于 ${moment(event.recordedAt)}` }, "补录") : null;
  return [moment(event.occurredAt), late];
}

function actorShown(actor, unit) {
  return `${actor.id}（${label(ROLE, actor.role)}${actor.unit ? ` · ${unit(actor.unit)}` : ""}）`;
}

export function historySummary(events, total, unit) {
  const columns = [
    { key: "version", title: "序号", cell: (e) => e.version },
    { key: "type", title: "环节", cell: (e) => label(COMPLAINT_EVENT, e.type) },
    { key: "occurredAt", title: "发生时间", cell: occurredShown },
    { key: "actor", title: "记录人", cell: (e) => actorShown(e.actor, unit) },
    { key: "said", title: "内容", cell: (e) => said(e, unit) },
  ];
  return [
    table(columns, events, { class: "history" }),
    total > events.length ? el("p", { class: "hint" }, `共 ${total} 条，此处列出前 ${events.length} 条。`) : null,
  ];
}
