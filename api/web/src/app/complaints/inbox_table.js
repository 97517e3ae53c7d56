// The inbox's list: one row a case, with its state, units, deadline and light, each
// linking to the case's page.
import { el, table } from "../../common/dom.js";
import { CHANNEL, COMPLAINT_STATE, LIGHT, date, label, number } from "../../common/labels.js";

export function complaintHref(id) {
  return `#/complaints/${encodeURIComponent(id)}`;
}

export function lightBadge(light) {
  return light ? el("span", { class: `light ${light}` }, label(LIGHT, light)) : "—";
}

export function deadlineShown(day, provisional) {
  return [date(day), provisional ? el("span", { class: "provisional", title: "该年度节假日安排尚未采用，时限暂按周末计算" }, "（暂定）") : null];
}

function unitName(unit) {
  return unit ? unit.name : "—";
}

const COLUMNS = [
  { key: "receivedOn", title: "受理日期", cell: (c) => el("a", { href: complaintHref(c.id) }, date(c.receivedOn)) },
  { key: "channel", title: "渠道", cell: (c) => label(CHANNEL, c.channel) },
  { key: "state", title: "状态", cell: (c) => label(COMPLAINT_STATE, c.state) },
  { key: "handlingUnit", title: "承办单位", cell: (c) => unitName(c.handlingUnit) },
  { key: "accountableUnit", title: "首问责任单位", cell: (c) => unitName(c.accountableUnit) },
  { key: "closeBy", title: "办结时限", cell: (c) => deadlineShown(c.closeBy, c.deadlineProvisional) },
  { key: "firstRepliedOn", title: "首次答复", cell: (c) => date(c.firstRepliedOn) },
  { key: "light", title: "状态灯", cell: (c) => lightBadge(c.light) },
  { key: "overdue", title: "逾期", cell: (c) => (c.overdue ? el("strong", { class: "overdue" }, "已逾期") : "否") },
  { key: "returns", title: "退单", cell: (c) => number(c.returns) },
  { key: "open", title: "", cell: (c) => el("a", { href: complaintHref(c.id), class: "open" }, "查看") },
];

export function inboxTable(complaints) {
  if (!complaints.length) return el("p", { class: "empty" }, "没有符合条件的投诉。");
  const shown = table(COLUMNS, complaints, { class: "inbox" });
  shown.querySelectorAll("tbody tr").forEach((row, i) => {
    row.dataset.id = complaints[i].id;
  });
  return shown;
}
