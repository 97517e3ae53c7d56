// Unit scorecards (单位考核): every unit's figures for a year or a quarter, across tasks,
// complaints, interviews and referrals, with the period's assessment scores. A unit sees
// its own card. Beside them, the units' scores (督导考核奖惩): as computed now, and a
// quarter's as published, which the office publishes here.
import "./scorecards.css";
import { el, replace } from "../common/dom.js";
import { documentButton } from "../common/download.js";
import { number } from "../common/labels.js";
import { linkTo } from "./listing.js";
import { publishForm, publishedScores } from "./publication.js";
import { currentScores } from "./scores.js";
import { read, takeNotice } from "./writes.js";
import { exportButton } from "./download.js";

const CARDS = `query Scorecards($period: String!) {
  unitScorecards(period: $period) {
    period name figures overdueTasks overdueSignFors assessments unit { id }
  }
}`;

const GROUPS = [
  [
    "督办事项",
    [
      ["tasks_led", "牵头"],
      ["tasks_cooperating", "协同"],
      ["urges", "被催办"],
      ["escalated", "被升级"],
      ["tasks_closed", "销号"],
      ["tasks_closed_on_time", "按期销号"],
      ["tasks_reopened", "重新打开"],
      ["overdue", "期末逾期"],
    ],
  ],
  [
    "投诉办理",
    [
      ["received", "受理"],
      ["returned", "退单"],
      ["late_sign_fors", "签收超时"],
      ["late_returns", "退单超时"],
      ["overdue_sign_fors", "期末待签收超时"],
      ["material_requests", "要求补正"],
      ["once_notice_breaches", "违反一次告知"],
      ["closed", "办结"],
      ["closed_on_time", "按期办结"],
      ["called_back", "回访"],
      ["satisfied", "满意"],
      ["bad_reviews", "差评"],
      ["media_exposures", "媒体曝光"],
    ],
  ],
  [
    "约谈与移交",
    [
      ["interviews", "约谈"],
      ["interviews_rectified", "约谈后整改"],
      ["referrals", "移交纪检"],
      ["referrals_accountable", "追责"],
    ],
  ],
];
const METRICS = GROUPS.flatMap(([, metrics]) => metrics);
const KNOWN = new Set(METRICS.map(([key]) => key));
const ASSESSMENT = { RESULTS_APPLIED: "成果运用", UNIT_ASSESSMENT: "督导考核", ENTERPRISE_EVALUATION: "企业评议" };

// Figures of the period's end (not counted in `figures`): overdue tasks, cases still waiting
// to be signed for past their deadline.
const AT_THE_END = { overdue: "overdueTasks", overdue_sign_fors: "overdueSignFors" };

function figure(card, key) {
  return key in AT_THE_END ? card[AT_THE_END[key]] : card.figures[key] || 0;
}

function assessments(card) {
  const shown = Object.entries(card.assessments).map(([key, score]) => {
    const [kind, period] = key.split(":");
    return `${ASSESSMENT[kind.toUpperCase()] || kind}${period ? `（${period}）` : ""} ${score}`;
  });
  return shown.join("；") || "—";
}

function others(card) {
  const shown = Object.entries(card.figures).filter(([key]) => !KNOWN.has(key));
  return shown.map(([key, value]) => `${key} ${value}`).join("；") || "—";
}

function scoreHead() {
  const spanning = (title) => el("th", { rowspan: 2, scope: "col" }, title);
  return el(
    "thead",
    {},
    el(
      "tr",
      {},
      spanning("单位"),
      GROUPS.map(([title, metrics]) => el("th", { colspan: metrics.length, scope: "colgroup", class: "group" }, title)),
      spanning("考核得分"),
      spanning("其他"),
    ),
    el("tr", {}, METRICS.map(([key, title]) => el("th", { scope: "col", dataset: { metric: key } }, title))),
  );
}

function scoreRow(card) {
  const cell = ([key]) => el("td", { dataset: { metric: key }, class: figure(card, key) ? null : "zero" }, number(figure(card, key)));
  return el(
    "tr",
    { dataset: { unit: card.name } },
    el("th", { scope: "row" }, card.name),
    METRICS.map(cell),
    el("td", { dataset: { metric: "assessments" } }, assessments(card)),
    el("td", { dataset: { metric: "others" } }, others(card)),
  );
}

function scoreTable(cards) {
  const scored = el("table", { class: "scorecards" }, scoreHead(), el("tbody", {}, cards.map(scoreRow)));
  return el("div", { class: "scorecards-scroll" }, scored);
}

const PARTS = [
  ["", "全年"],
  ["Q1", "第一季度"],
  ["Q2", "第二季度"],
  ["Q3", "第三季度"],
  ["Q4", "第四季度"],
];

function periodPicker(period) {
  const [year, quarter] = period.split("-");
  const yearField = el("input", { id: "period-year", name: "year", type: "number", min: 2000, max: 2100, required: true, value: year });
  const option = ([value, shown]) => el("option", { value, selected: value === (quarter || "") || null }, shown);
  const quarterField = el("select", { id: "period-quarter", name: "quarter" }, PARTS.map(option));
  const apply = (event) => {
    event.preventDefault();
    const picked = quarterField.value ? `${yearField.value}-${quarterField.value}` : yearField.value;
    window.location.hash = linkTo("/scorecards", [["period", picked]]);
  };
  return el(
    "form",
    { class: "filters period", onsubmit: apply },
    el("div", { class: "filter" }, el("label", { for: "period-year" }, "年度"), yearField),
    el("div", { class: "filter" }, el("label", { for: "period-quarter" }, "期间"), quarterField),
    el("button", { type: "submit" }, "查看"),
  );
}

function periodName(period) {
  const [year, quarter] = period.split("-");
  return quarter ? `${year}年第${quarter.slice(1)}季度` : `${year}年`;
}

// 考核得分: the period's scores now; for a quarter, as published, and the office's form.
async function scoresSection(context, period, rerender) {
  const quarter = /-Q[1-4]$/.test(period) ? period : null;
  const published = quarter ? publishedScores(context, quarter) : null;
  const done = async (picked) => {
    if (picked === period) await rerender();
    else window.location.hash = linkTo("/scorecards", [["period", picked]]);
  };
  const office = context.me.role === "OFFICE";
  return el(
    "section",
    { class: "unit-scores" },
    el("h2", {}, `${periodName(period)}考核得分`),
    await currentScores(context, period),
    published ? await published : el("p", { class: "hint" }, "考核结果按季度发布：选择季度可查看已发布的结果。"),
    office && quarter ? publishForm(context, quarter, done) : null,
  );
}

// 督办通报: the month's bulletin as PDF, for the roles that may have the zone's figures.
const BULLETIN_ROLES = ["OFFICE", "INSPECTOR", "LEADER"];

function bulletinForm(context, period) {
  if (!BULLETIN_ROLES.includes(context.me.role)) return null;
  const now = new Date();
  const thisYear = String(now.getFullYear());
  const year = period.slice(0, 4);
  const month = year === thisYear ? `${year}-${String(now.getMonth() + 1).padStart(2, "0")}` : `${year}-12`;
  const field = el("input", { id: "bulletin-month", name: "month", type: "month", required: true, value: month });
  const save = documentButton(context.token, "", "monthly-bulletin.pdf", "下载督办通报（PDF）");
  const button = save.querySelector("button");
  const point = () => {
    button.dataset.document = `/documents/monthly-bulletin/${field.value}.pdf`;
  };
  field.addEventListener("change", point);
  point();
  return el(
    "section",
    { class: "bulletin" },
    el("h2", {}, "月度督办通报"),
    el("div", { class: "filters" }, el("div", { class: "filter" }, el("label", { for: "bulletin-month" }, "月份"), field), save),
    el("p", { class: "hint" }, "通报按月汇总各单位亮灯、逾期、投诉、约谈和移交情况，附台账印证，可用 ledger verify 核验。"),
  );
}

async function render(view, context, params, query) {
  const period = query.get("period") || String(new Date().getFullYear());
  const rerender = () => render(view, context, params, query);
  const [{ unitScorecards: cards }, scores] = await Promise.all([read(context, CARDS, { period }), scoresSection(context, period, rerender)]);
  replace(
    view,
    el("h1", {}, "单位考核"),
    takeNotice(),
    periodPicker(period),
    exportButton(context, "scorecards", { period }),
    el("h2", {}, `${periodName(period)}各单位情况`),
    cards.length ? scoreTable(cards) : el("p", { class: "empty" }, "没有单位"),
    el("p", { class: "hint" }, "“期末逾期”为期末仍未办结且已过办结时限的牵头事项；其余为期内发生的次数。"),
    scores,
    bulletinForm(context, period),
  );
}

export const scorecards = {
  path: "/scorecards",
  menu: "/scorecards",
  title: "单位考核",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render,
};
