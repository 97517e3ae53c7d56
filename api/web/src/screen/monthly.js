// The year's months so far: complaints received, closed, and open past their deadline at
// each month's end (zone-wide), with legacy problems resolved beside them.
import { el, replace } from "../common/dom.js";
import { monthlyChart } from "./charts.js";

export function showMonthly(body, overview, state) {
  if (!state.chart) {
    state.chart = el("div", { class: "chart", id: "monthly-chart" });
    replace(body, state.chart);
  }
  const months = overview.monthly.map((m) => m.month);
  monthlyChart(state.chart, months, [
    { name: "受理", kind: "bar", values: overview.monthly.map((m) => m.received), color: "#3b82f6" },
    { name: "办结", kind: "bar", values: overview.monthly.map((m) => m.closed), color: "#2fb36d" },
    { name: "超期", kind: "line", values: overview.monthly.map((m) => m.overdue), color: "#e5484d" },
  ]);
}
