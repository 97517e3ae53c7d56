// 督导考核奖惩 on the unit scorecards page: every unit's score for the period, computed now
// by the policy's formula (unitScores), each term's value and the points it gives, and the
// formula's version and weights. The same table shows a quarter's published scores.
import { el } from "../common/dom.js";
import { SCORE_TERM, label } from "../common/labels.js";
import { ruleInChinese } from "../common/rules.js";
import { requestProblem } from "../common/errors.js";
import { read } from "./writes.js";

const FULL_MARKS = "full_marks";

export const ENTRY = `rank score unit { name }
  terms { key value points }
  enterpriseRating { mean evaluations }`;
export const FORMULA = "formula { version terms { key penalty weight } }";

const SCORES = `query UnitScores($period: String!) {
  unitScores(period: $period) { period ${FORMULA} entries { ${ENTRY} } }
}`;

const tenth = (value) => Number(value).toFixed(1);
const plain = (value) => String(Number(value));

// A term's value and points as shown: a rate as a percentage and the points it gives (不计:
// nothing to measure, left out), a penalty's count and the points it takes off.
export function termCell(term, penalty) {
  if (!term || (!penalty && term.value === null)) return ["不计", null];
  if (penalty) return Number(term.value) ? [plain(term.value), `扣${tenth(-Number(term.points))}分`] : ["0", null];
  return [`${tenth(Number(term.value) * 100)}%`, `得${tenth(term.points)}分`];
}

function termHead(term) {
  const weight = term.penalty ? `每次扣${plain(term.weight)}分` : `权重${plain(term.weight)}`;
  return el("th", { scope: "col", dataset: { term: term.key } }, label(SCORE_TERM, term.key), el("span", { class: "weight" }, weight));
}

function rating(entry) {
  const given = entry.enterpriseRating;
  return given ? `${tenth(given.mean)}（${given.evaluations}份）` : "—";
}

function entryRow(entry, formula) {
  const byKey = new Map(entry.terms.map((term) => [term.key, term]));
  const cell = (term) => {
    const [value, points] = termCell(byKey.get(term.key), term.penalty);
    const quiet = points === null ? "zero" : null;
    return el("td", { dataset: { term: term.key }, class: quiet }, el("span", { class: "value" }, value), points ? el("span", { class: "points" }, points) : null);
  };
  const full = byKey.has(FULL_MARKS) ? el("span", { class: "points" }, label(SCORE_TERM, FULL_MARKS)) : null;
  return el(
    "tr",
    { dataset: { unit: entry.unit ? entry.unit.name : "" } },
    el("td", { dataset: { term: "rank" } }, entry.rank),
    el("th", { scope: "row" }, entry.unit ? entry.unit.name : "—"),
    el("td", { dataset: { term: "score" } }, el("span", { class: "value" }, tenth(entry.score)), full),
    formula.terms.map(cell),
    el("td", { dataset: { term: "rating" } }, rating(entry)),
  );
}

// The entries (ranked) with a column per term of the formula.
export function scoreTable(formula, entries) {
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, "排名"),
    el("th", { scope: "col" }, "单位"),
    el("th", { scope: "col" }, "得分"),
    formula.terms.map(termHead),
    el("th", { scope: "col" }, "企业评议（均分）"),
  );
  const table = el("table", { class: "unit-scores" }, el("thead", {}, head), el("tbody", {}, entries.map((entry) => entryRow(entry, formula))));
  return el("div", { class: "scorecards-scroll" }, table);
}

// The formula in words: its version, each rate's weight and each penalty's points.
export function formulaLine(formula) {
  const weights = formula.terms.filter((t) => !t.penalty).map((t) => `${label(SCORE_TERM, t.key)} ${plain(t.weight)}`);
  const penalties = formula.terms.filter((t) => t.penalty).map((t) => `${label(SCORE_TERM, t.key)} 每次${plain(t.weight)}分`);
  return el(
    "p",
    { class: "formula", dataset: { version: formula.version } },
    `公式 ${formula.version}：得分 = 100 × 各项比率按权重的加权平均 − 扣分（0～100，无可计量的比率不计入）。`,
    `权重：${weights.join("、")}；扣分：${penalties.join("、")}。`,
  );
}

// The period's scores as computed now, or why there are none.
export async function currentScores(context, period) {
  let scores;
  try {
    ({ unitScores: scores } = await read(context, SCORES, { period }));
  } catch (error) {
    return el("p", { class: "problem scores-problem" }, ruleInChinese(error.message) || requestProblem(error));
  }
  return [
    el("h3", {}, "按现行公式计算（实时，未发布）"),
    formulaLine(scores.formula),
    scores.entries.length ? scoreTable(scores.formula, scores.entries) : el("p", { class: "empty" }, "没有单位"),
  ];
}
