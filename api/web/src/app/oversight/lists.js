// The lists of interviews (约谈) and referrals (移交纪检监察): one row an item, with its
// state, each opening the item on this page.
import { el, table } from "../../common/dom.js";
import { INTERVIEW_STATE, REFERRAL_STATE, date, label, moment } from "../../common/labels.js";
import { itemHref } from "./items.js";

function unitName(item) {
  return item.unit ? item.unit.name : "—";
}

function cut(text, length = 60) {
  const said = String(text || "").trim();
  return said.length > length ? `${said.slice(0, length)}…` : said || "—";
}

function rows(shown, items, current) {
  shown.querySelectorAll("tbody tr").forEach((row, i) => {
    row.dataset.id = items[i].id;
    if (items[i].id === current) row.classList.add("current");
  });
  return shown;
}

const open = (item) => el("a", { href: itemHref({ __typename: item.__typename, id: item.id }), class: "open" }, "查看");

const INTERVIEW_COLUMNS = [
  { key: "unit", title: "约谈单位", cell: unitName },
  { key: "scheduledFor", title: "约谈时间", cell: (i) => moment(i.scheduledFor) },
  { key: "state", title: "状态", cell: (i) => label(INTERVIEW_STATE, i.state) },
  { key: "rectifyBy", title: "整改期限", cell: (i) => date(i.rectifyBy) },
  { key: "rectified", title: "整改情况", cell: (i) => (i.state === "FOLLOWED_UP" ? (i.rectified ? "已整改到位" : "未整改到位") : "—") },
  { key: "open", title: "", cell: (i) => open({ ...i, __typename: "Interview" }) },
];

const REFERRAL_COLUMNS = [
  { key: "unit", title: "被移交单位", cell: unitName },
  { key: "state", title: "状态", cell: (r) => label(REFERRAL_STATE, r.state) },
  { key: "outcome", title: "处理结果", cell: (r) => cut(r.outcome) },
  { key: "accountable", title: "是否追责", cell: (r) => (r.accountable === null || r.accountable === undefined ? "—" : r.accountable ? "已追责" : "未追责") },
  { key: "open", title: "", cell: (r) => open({ ...r, __typename: "Referral" }) },
];

export function interviewList(interviews, current) {
  if (!interviews.length) return el("p", { class: "empty" }, "没有符合条件的约谈。");
  return rows(table(INTERVIEW_COLUMNS, interviews, { class: "interviews" }), interviews, current);
}

export function referralList(referrals, current) {
  if (!referrals.length) return el("p", { class: "empty" }, "没有符合条件的移交。");
  return rows(table(REFERRAL_COLUMNS, referrals, { class: "referrals" }), referrals, current);
}
