// The task board by light: the open tasks as a ring of green, yellow and red, by tier,
// and the red and escalated ones by name, as many as the panel holds.
import { el, replace } from "../common/dom.js";
import { LIGHT, LIGHT_COLOR, TIER, date, label, number } from "../common/labels.js";
import { ringChart } from "./charts.js";
import { figure } from "./figures.js";

const LIGHTS = ["GREEN", "YELLOW", "RED"];

function countOf(rows, key, value) {
  const found = rows.find((row) => row[key] === value);
  return found ? found.count : 0;
}

function attentionRow(task) {
  return el(
    "li",
    { dataset: { task: task.id } },
    el("span", { class: `dot ${task.light || "NONE"}` }),
    el("span", { class: "number" }, task.number === null ? "" : `${task.planYear}-${task.number}`),
    el("span", { class: "title" }, task.title),
    el("span", { class: "units" }, task.leadUnits.join("、")),
    el("span", { class: "deadline" }, date(task.deadline)),
    task.tier !== "TASK_FORCE" ? el("span", { class: "tier" }, label(TIER, task.tier)) : null,
  );
}

export function showBoard(body, board, state) {
  if (!state.ring) {
    state.ring = el("div", { class: "ring" });
    state.lights = el("div", { class: "lights" });
    state.list = el("div", { class: "attention" });
    replace(body, el("div", { class: "board-top" }, state.ring, state.lights), state.list);
  }
  ringChart(
    state.ring,
    LIGHTS.map((light) => ({ name: LIGHT[light], value: countOf(board.byLight, "light", light), color: LIGHT_COLOR[light] })),
    String(board.open),
  );
  replace(
    state.lights,
    figure("board.open", number(board.open), "在办任务", "big"),
    LIGHTS.map((light) => figure(`board.light.${light}`, number(countOf(board.byLight, "light", light)), LIGHT[light], `light-${light}`)),
    ["OFFICE", "LEADING_GROUP"].map((tier) => figure(`board.tier.${tier}`, number(countOf(board.byTier, "tier", tier)), `升级至${TIER[tier]}`)),
  );
  const list = el("ol", {}, mostPressingFirst(board.attention).map(attentionRow));
  replace(state.list, el("h3", {}, "红灯与升级督办事项"), board.attention.length === 0 ? el("p", { class: "empty" }, "暂无红灯或升级事项") : list);
  fit(state.list, list);
}

const TIER_RANK = { LEADING_GROUP: 0, OFFICE: 1, TASK_FORCE: 2 };

// Escalated to the leading group first, then to the office, then the red ones, each in
// the plan's order: when the panel holds only a few, those are the ones a room should see.
function mostPressingFirst(tasks) {
  return tasks.map((task, order) => [task, order]).sort(([a, i], [b, j]) => TIER_RANK[a.tier] - TIER_RANK[b.tier] || i - j).map(([task]) => task);
}

// As many items as the panel holds, and how many more there are: nothing is cut in half,
// nothing scrolls.
function fit(box, list) {
  const more = el("p", { class: "more" });
  let hidden = 0;
  while (list.lastElementChild && box.scrollHeight > box.clientHeight) {
    list.lastElementChild.remove();
    hidden += 1;
    if (hidden === 1) box.append(more);
    more.dataset.figure = "board.attention.more";
    replace(more, `另有 ${hidden} 项`);
  }
}
