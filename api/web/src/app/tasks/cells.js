// How a task's figures are shown in a list or on its page: the light as a coloured badge,
// the progress as a bar with its percent, the units by name.
import { el } from "../../common/dom.js";
import { LIGHT, label } from "../../common/labels.js";

export function lightBadge(light) {
  if (!light) return el("span", { class: "light none" }, "—");
  return el("span", { class: `light ${light}`, dataset: { light } }, label(LIGHT, light));
}

export function progressBar(percent) {
  const shown = Math.max(0, Math.min(100, Number(percent) || 0));
  return el(
    "span",
    { class: "progress", role: "meter", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": shown },
    el("span", { class: "track" }, el("span", { class: "bar", style: `width: ${shown}%` })),
    el("span", { class: "figure" }, `${shown}%`),
  );
}

export function unitNames(units) {
  return units.length ? units.map((unit) => unit.name).join("、") : "—";
}
