// The referrals to discipline inspection, each opening its dossier.
import { el, replace, table } from "../../common/dom.js";
import { requestProblem } from "../../common/errors.js";
import { REFERRAL_STATE, label } from "../../common/labels.js";

const REFERRALS = `query Referrals($after: String) { referrals(first: 50, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id state outcome accountable unit { name } } } }`;

export function dossierPath(referralId) {
  return `/desk/referrals/${encodeURIComponent(referralId)}`;
}

const COLUMNS = [
  { key: "unit", title: "被移交单位", cell: (r) => el("a", { href: `#${dossierPath(r.id)}` }, (r.unit && r.unit.name) || r.id) },
  { key: "state", title: "状态", cell: (r) => label(REFERRAL_STATE, r.state) },
  { key: "outcome", title: "处理结果", cell: (r) => r.outcome || "—" },
  { key: "accountable", title: "是否追责", cell: (r) => (r.accountable === null ? "—" : r.accountable ? "是" : "否") },
];

export function referralList(context) {
  const body = el("div");
  const more = el("button", { type: "button", class: "secondary", hidden: true, onclick: () => load(cursor) }, "加载更多");
  let cursor = null;
  const rows = [];
  async function load(after = null) {
    try {
      const { referrals } = await context.request(REFERRALS, { after });
      rows.push(...referrals.nodes);
      cursor = referrals.pageInfo.endCursor;
      more.hidden = !referrals.pageInfo.hasNextPage;
      replace(body, rows.length ? [el("p", { class: "hint" }, `共 ${referrals.totalCount} 件`), table(COLUMNS, rows, { class: "referrals" })] : el("p", { class: "hint" }, "尚无移交。"));
    } catch (error) {
      replace(body, el("p", { class: "problem", role: "alert" }, requestProblem(error)));
    }
  }
  return { node: el("section", { class: "referral-list" }, el("h2", {}, "移交纪检监察卷宗"), body, more), load: () => load(null) };
}
