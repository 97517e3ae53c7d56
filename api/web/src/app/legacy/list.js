// The legacy-problem master ledger (历史遗留问题总台账): its totals (for the roles that read
// zone-wide figures), the problems filtered by category, state, unit, tier and target
// year, a page at a time, and for the office the form that registers a new one.
import "./legacy.css";
import { el, replace, table } from "../../common/dom.js";
import { LEGACY_CATEGORY, LEGACY_STATE, TIER, date, label } from "../../common/labels.js";
import { PAGE_SIZE, filterBar, filterFrom, pager } from "../listing.js";
import { read, takeNotice } from "../writes.js";
import { registerLegacyForm } from "./register.js";
import { TOTALS, legacyTotals } from "./totals.js";
import { exportButton } from "../download.js";

const LIST = `legacyIssues(first: $first, after: $after, filter: $filter) {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { id title category tier targetYear baseline registeredOn state responsibleUnit { id name } }
}
units { id name state }`;

function listQuery(withTotals) {
  return `query Legacy($first: Int, $after: String, $filter: LegacyIssueFilter) { ${LIST} ${withTotals ? TOTALS : ""} }`;
}

const link = (issue, text) => el("a", { href: `#/legacy/${issue.id}` }, text);

const COLUMNS = [
  { title: "登记日期", key: "registered", cell: (issue) => date(issue.registeredOn) },
  { title: "问题", key: "title", cell: (issue) => link(issue, issue.title) },
  { title: "类别", key: "category", cell: (issue) => label(LEGACY_CATEGORY, issue.category) },
  { title: "责任单位", key: "unit", cell: (issue) => (issue.responsibleUnit ? issue.responsibleUnit.name : "—") },
  { title: "化解层级", key: "tier", cell: (issue) => label(TIER, issue.tier) },
  { title: "目标年度", key: "targetYear", cell: (issue) => `${issue.targetYear}年` },
  { title: "来源", key: "baseline", cell: (issue) => (issue.baseline ? "摸底基数" : "基数后新增") },
  { title: "状态", key: "state", cell: (issue) => label(LEGACY_STATE, issue.state) },
];

const one = (value) => [value];
const FILTER = {
  category: ["categories", one],
  state: ["states", one],
  unit: ["unit", String],
  tier: ["tiers", one],
  year: ["targetYear", Number],
};

function filterSpecs(units, me) {
  const specs = [
    { name: "category", label: "类别", options: Object.entries(LEGACY_CATEGORY) },
    { name: "state", label: "状态", options: Object.entries(LEGACY_STATE) },
    { name: "tier", label: "化解层级", options: Object.entries(TIER) },
    { name: "year", label: "目标年度", type: "number", min: 2000, max: 2100 },
  ];
  if (me.role !== "UNIT") specs.splice(2, 0, { name: "unit", label: "责任单位", options: units.map((unit) => [unit.id, unit.name]) });
  return specs;
}

async function render(view, context, params, query) {
  const withTotals = context.me.role !== "UNIT"; // a unit reads its own problems, not the zone's figures
  const variables = { first: PAGE_SIZE, after: query.get("after") || null, filter: filterFrom(query, FILTER) };
  const data = await read(context, listQuery(withTotals), variables);
  const issues = data.legacyIssues;
  replace(
    view,
    el("h1", {}, "历史遗留问题"),
    exportButton(context, "legacy-issues"),
    takeNotice(),
    withTotals ? legacyTotals(data.legacyIssueTotals) : null,
    filterBar("/legacy", query, filterSpecs(data.units, context.me)),
    issues.nodes.length ? table(COLUMNS, issues.nodes, { class: "legacy-issues" }) : el("p", { class: "empty" }, "没有符合条件的问题"),
    pager("/legacy", query, issues),
    context.me.role === "OFFICE" ? registerLegacyForm(context, data.units, data.legacyIssueTotals.asOf) : null,
  );
}

export const legacyList = {
  path: "/legacy",
  menu: "/legacy",
  title: "历史遗留问题",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render,
};
