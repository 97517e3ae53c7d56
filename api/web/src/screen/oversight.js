// Interviews (约谈) and referrals (移交纪检监察) by state, and by month this year.
import { el, replace } from "../common/dom.js";
import { INTERVIEW_STATE, REFERRAL_STATE, number } from "../common/labels.js";
import { monthlyChart } from "./charts.js";
import { figure } from "./figures.js";

function byState(rows, labels, prefix) {
  return el(
    "ul",
    { class: "states" },
    Object.keys(labels).map((state) => {
      const found = rows.find((row) => row.state === state);
      return el("li", {}, el("span", {}, labels[state]), el("strong", { dataset: { figure: `${prefix}.${state}` } }, number(found ? found.count : 0)));
    }),
  );
}

export function showOversight(body, totals, state) {
  if (!state.chart) {
    state.figures = el("div", { class: "oversight-figures" });
    state.chart = el("div", { class: "chart small", id: "oversight-chart" });
    replace(body, state.figures, state.chart);
  }
  replace(
    state.figures,
    el("div", {}, figure("oversight.interviews", number(totals.interviews), "约谈", "big"), byState(totals.interviewsByState, INTERVIEW_STATE, "oversight.interview")),
    el("div", {}, figure("oversight.referrals", number(totals.referrals), "移交纪检监察", "big alarm-soft"), byState(totals.referralsByState, REFERRAL_STATE, "oversight.referral")),
  );
  monthlyChart(
    state.chart,
    totals.monthly.map((m) => m.month),
    [
      { name: "约谈", kind: "bar", values: totals.monthly.map((m) => m.interviews), color: "#f0b429" },
      { name: "移交", kind: "bar", values: totals.monthly.map((m) => m.referrals), color: "#e5484d" },
    ],
  );
}
