// The legacy-problem totals (历史遗留问题总台账) over the list: how many, how many from the
// baseline survey and how many new since (target: none, 不增新量), resolved, suspended,
// remaining, the resolution rate, progress against the 2021 / 2022 / 2025 targets, and
// the figures by category.
import { el, table } from "../../common/dom.js";
import { LEGACY_CATEGORY, date, label, number } from "../../common/labels.js";

export const TOTALS = `legacyIssueTotals {
  asOf total baseline newSinceBaseline resolved suspended remaining resolutionRate
  byCategory { key total resolved remaining }
  targets { year goal due requiredResolvedPercent dueIssues resolved resolvedPercent met }
}`;

export function rate(value) {
  return value === null || value === undefined ? "—" : `${value}%`;
}

function tile(name, title, value) {
  return el("div", { class: "tile", dataset: { figure: name } }, el("span", { class: "value" }, value), el("span", { class: "name" }, title));
}

function met(target) {
  if (target.met === null || target.met === undefined) return "—";
  return target.met ? "已达标" : "未达标";
}

export function legacyTotals(totals) {
  return el(
    "section",
    { class: "legacy-totals", "aria-label": "总台账合计" },
    el("p", { class: "hint" }, `截至${date(totals.asOf)}`),
    el(
      "div",
      { class: "tiles" },
      tile("total", "问题总数", number(totals.total)),
      tile("baseline", "摸底基数", number(totals.baseline)),
      tile("newSinceBaseline", "基数后新增", number(totals.newSinceBaseline)),
      tile("resolved", "已化解销号", number(totals.resolved)),
      tile("suspended", "已中止", number(totals.suspended)),
      tile("remaining", "尚未化解", number(totals.remaining)),
      tile("resolutionRate", "化解率", rate(totals.resolutionRate)),
    ),
    el(
      "div",
      { class: "totals-tables" },
      table(
        [
          { title: "目标年度", key: "year", cell: (t) => `${t.year}年` },
          { title: "目标", key: "goal", cell: (t) => t.goal || "—" },
          { title: "时限", key: "due", cell: (t) => date(t.due) },
          { title: "应化解", key: "dueIssues", cell: (t) => number(t.dueIssues) },
          { title: "已化解", key: "resolved", cell: (t) => number(t.resolved) },
          { title: "化解率", key: "resolvedPercent", cell: (t) => rate(t.resolvedPercent) },
          { title: "要求", key: "required", cell: (t) => rate(t.requiredResolvedPercent) },
          { title: "达标", key: "met", cell: met },
        ],
        totals.targets,
        { class: "targets" },
      ),
      table(
        [
          { title: "类别", key: "category", cell: (b) => label(LEGACY_CATEGORY, b.key.toUpperCase()) },
          { title: "总数", key: "total", cell: (b) => number(b.total) },
          { title: "已化解", key: "resolved", cell: (b) => number(b.resolved) },
          { title: "未化解", key: "remaining", cell: (b) => number(b.remaining) },
        ],
        totals.byCategory,
        { class: "by-category" },
      ),
    ),
  );
}
