// The legacy-problem totals against the targets of 2021 (基本化解), 2022 (阶段性重大进展)
// and 2025 (全部化解): how many are due, how many resolved, the share required.
import { el, replace } from "../common/dom.js";
import { TARGET_SHORTFALL, date, label, number, percent } from "../common/labels.js";
import { figure } from "./figures.js";

function verdict(target) {
  if (target.met === true) return el("span", { class: "met yes", dataset: { met: "true" } }, "已达标");
  if (target.met === false) {
    const why = (target.shortfalls || []).map((s) => label(TARGET_SHORTFALL, s)).join("；");
    return el("span", { class: "met no", dataset: { met: "false" }, title: why }, target.shortfalls.includes("NEW_PROBLEMS_REGISTERED") ? "未达标·有新增" : "未达标");
  }
  return el("span", { class: "met open" }, `${date(target.due)}到期`);
}

function bar(share, required) {
  return el(
    "div",
    { class: "bar" },
    el("div", { class: "bar-fill", style: `width:${share}%` }),
    // the mark of the share required, kept inside the bar at 100%
    required === null ? null : el("div", { class: "bar-mark", style: `left:calc(${required}% - ${required * 0.03}px)`, title: `要求 ${required}%` }),
  );
}

function targetFigures(target) {
  const key = `legacy.target.${target.year}`;
  const required = target.requiredResolvedPercent;
  return el(
    "div",
    { class: "target-figures" },
    el("span", { dataset: { figure: `${key}.resolved` } }, number(target.resolved)),
    " / ",
    el("span", { dataset: { figure: `${key}.dueIssues` } }, number(target.dueIssues)),
    " 件 · ",
    el("span", { dataset: { figure: `${key}.resolvedPercent` } }, percent(target.resolvedPercent)),
    required === null ? "" : ` / 要求 ${required}%`,
  );
}

function targetRow(target) {
  const share = target.resolvedPercent === null ? 0 : Math.min(100, target.resolvedPercent);
  return el(
    "div",
    { class: "target", dataset: { year: target.year } },
    el("div", { class: "target-head" }, el("strong", {}, `${target.year}年目标`), el("span", { class: "goal" }, target.goal), verdict(target)),
    el("div", { class: "target-line" }, bar(share, target.requiredResolvedPercent), targetFigures(target)),
  );
}

export function showLegacy(body, totals) {
  replace(
    body,
    el(
      "div",
      { class: "legacy-figures" },
      figure("legacy.total", number(totals.total), "问题总数", "big"),
      figure("legacy.resolved", number(totals.resolved), "已化解"),
      figure("legacy.remaining", number(totals.remaining), "待化解", totals.remaining > 0 ? "warn" : ""),
      figure("legacy.resolutionRate", percent(totals.resolutionRate), "化解率"),
      figure("legacy.newSinceBaseline", number(totals.newSinceBaseline), "新增（不增新量）", totals.newSinceBaseline > 0 ? "alarm" : ""),
      figure("legacy.suspended", number(totals.suspended), "已中止"),
    ),
    el("div", { class: "targets" }, totals.targets.map(targetRow)),
  );
}
