// The 督导考核 league: the latest quarter's scores as published (结果公开发布), with the
// enterprises' rating of each unit; before the first publication, the latest period's
// assessments as recorded. As many rows as the panel holds.
import { el, replace } from "../common/dom.js";
import { date } from "../common/labels.js";

const SHOWN = 10;

export function quarterName(quarter) {
  const [year, part] = quarter.split("-");
  return `${year}年第${"一二三四"[Number(part.slice(1)) - 1]}季度`;
}

// a row's figures are keyed by its place in the list (ranks may be shared)
function score(value, place) {
  return el("span", { class: "score", dataset: { figure: `league.${place}.score` } }, Number(value).toFixed(1));
}

function more(count) {
  return count > SHOWN ? el("p", { class: "more" }, `另有 ${count - SHOWN} 个单位`) : null;
}

function again(published) {
  return published.publications > 1 ? `（第${published.publications}次）` : "";
}

function showPublished(body, published) {
  const rows = published.entries.slice(0, SHOWN);
  const rating = (row) => (row.enterpriseRating ? Number(row.enterpriseRating.mean).toFixed(1) : "—");
  return replace(
    body,
    el("p", { class: "period", dataset: { quarter: published.quarter } }, `公式 ${published.formula.version} · ${date(published.publishedOn)}发布${again(published)}`),
    el(
      "ol",
      { class: "league published" },
      el("li", { class: "head", "aria-hidden": "true" }, el("span", {}, "名次"), el("span", {}, "单位"), el("span", {}, "得分"), el("span", {}, "企业评议")),
      rows.map((row, i) =>
        el(
          "li",
          { dataset: { rank: row.rank } },
          el("span", { class: "rank" }, row.rank),
          el("span", { class: "unit" }, row.unit ? row.unit.name : "—"),
          score(row.score, i + 1),
          el("span", { class: "rating", dataset: { figure: `league.${i + 1}.rating` } }, rating(row)),
        ),
      ),
    ),
    more(published.entries.length),
  );
}

function showAssessments(body, league) {
  const rows = league.slice(0, SHOWN);
  if (rows.length === 0) return replace(body, el("p", { class: "empty" }, "本期尚无考核结果"));
  return replace(
    body,
    el("p", { class: "period" }, `考核期：${rows[0].period}`),
    el(
      "ol",
      { class: "league" },
      rows.map((row, i) =>
        el(
          "li",
          { dataset: { rank: row.rank } },
          el("span", { class: "rank" }, row.rank),
          el("span", { class: "unit" }, row.unit ? row.unit.name : "—"),
          score(row.score, i + 1),
          el("span", { class: `verdict ${row.verdict}` }, row.verdict === "REWARD" ? "奖" : row.verdict === "PENALTY" ? "惩" : ""),
        ),
      ),
    ),
    more(league.length),
  );
}

export function showLeague(body, title, overview) {
  const published = overview.publishedScores;
  replace(title, published ? `督导考核 排名 · ${quarterName(published.quarter)}` : "督导考核 排名");
  return published ? showPublished(body, published) : showAssessments(body, overview.league);
}
