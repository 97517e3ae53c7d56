// An interview's or a referral's history in brief: each event in the users' words, who
// recorded it and when, with what it said; back-dated entries marked.
import { table } from "../../common/dom.js";
import { ROLE, date, label } from "../../common/labels.js";
import { occurredShown } from "../complaints/history.js";
import { intervieweesShown } from "./people.js";

export const OVERSIGHT_EVENT = {
  Scheduled: "安排约谈",
  Held: "约谈",
  FollowUpRecorded: "跟踪问效",
  Cancelled: "取消约谈",
  Made: "移交",
  Acknowledged: "接收",
  OutcomeRecorded: "办结",
};

function list(items) {
  return (items || []).length ? (items || []).join("；") : "无";
}

function said(event) {
  const d = event.data || {};
  switch (event.type) {
    case "Scheduled":
      return `约谈对象 ${intervieweesShown(d)}：${d.reason}`;
    case "Held":
      return `查明情况：${d.facts}。承诺：${list(d.commitments)}。整改要求：${list(d.demands)}。整改期限 ${date(d.rectify_by)}`;
    case "FollowUpRecorded":
      return `${d.rectified ? "整改到位" : "整改未到位"}：${d.narrative}`;
    case "Cancelled":
      return d.reason;
    case "Made":
      return `${d.reason}（证据：位置 ${(d.evidence || []).join("、")}）`;
    case "Acknowledged":
      return d.note || "已接收";
    case "OutcomeRecorded":
      return `${d.accountable ? "已追责" : "未追责"}：${d.outcome}`;
    default:
      return "";
  }
}

export function oversightHistory(events) {
  const columns = [
    { key: "version", title: "序号", cell: (e) => e.version },
    { key: "type", title: "环节", cell: (e) => label(OVERSIGHT_EVENT, e.type) },
    { key: "occurredAt", title: "发生时间", cell: occurredShown },
    { key: "actor", title: "记录人", cell: (e) => `${e.actor.id}（${label(ROLE, e.actor.role)}）` },
    { key: "said", title: "内容", cell: said },
  ];
  return table(columns, events, { class: "history" });
}
