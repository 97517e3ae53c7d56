// The 督导考核 league: the latest period's standings, as many as the panel holds.
import { el, replace } from "../common/dom.js";

const SHOWN = 10;

export function showLeague(body, overview) {
  const rows = overview.league.slice(0, SHOWN);
  if (rows.length === 0) return replace(body, el("p", { class: "empty" }, "本期尚无考核结果"));
  const period = rows[0].period;
  return replace(
    body,
    el("p", { class: "period" }, `考核期：${period}`),
    el(
      "ol",
      { class: "league" },
      rows.map((row) =>
        el(
          "li",
          { dataset: { rank: row.rank } },
          el("span", { class: "rank" }, row.rank),
          el("span", { class: "unit" }, row.unit ? row.unit.name : "—"),
          el("span", { class: "score", dataset: { figure: `league.${row.rank}.score` } }, Number(row.score).toFixed(1)),
          el("span", { class: `verdict ${row.verdict}` }, row.verdict === "REWARD" ? "奖" : row.verdict === "PENALTY" ? "惩" : ""),
        ),
      ),
    ),
    overview.league.length > SHOWN ? el("p", { class: "more" }, `另有 ${overview.league.length - SHOWN} 个单位`) : null,
  );
}
