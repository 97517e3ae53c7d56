// The task board (督办事项): every task the caller may see, filtered by unit, light, state,
// tier and plan year, a page at a time; each row opens the task's page.
import "./tasks.css";
import { el, replace, table } from "../../common/dom.js";
import { LIGHT, TASK_STATE, TIER, date, label } from "../../common/labels.js";
import { PAGE_SIZE, filterBar, filterFrom, pager } from "../listing.js";
import { read, takeNotice } from "../writes.js";
import { lightBadge, progressBar, unitNames } from "./cells.js";
import { registerTaskForm } from "./register.js";
import { exportButton } from "../download.js";

const TASKS = `query Board($first: Int, $after: String, $filter: TaskFilter) {
  tasks(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id planYear number title state progress deadline light tier leadUnits { id name } }
  }
  units { id name }
}`;

function taskLink(task, text) {
  return el("a", { href: `#/tasks/${task.id}` }, text);
}

const COLUMNS = [
  { title: "年度", key: "year", cell: (task) => task.planYear },
  { title: "序号", key: "number", cell: (task) => taskLink(task, task.number ?? "—") },
  { title: "事项", key: "title", cell: (task) => taskLink(task, task.title) },
  { title: "牵头单位", key: "lead", cell: (task) => unitNames(task.leadUnits) },
  { title: "办结时限", key: "deadline", cell: (task) => date(task.deadline) },
  { title: "灯号", key: "light", cell: (task) => lightBadge(task.light) },
  { title: "状态", key: "state", cell: (task) => label(TASK_STATE, task.state) },
  { title: "督办层级", key: "tier", cell: (task) => label(TIER, task.tier) },
  { title: "进度", key: "progress", cell: (task) => progressBar(task.progress) },
];

function filterSpecs(units, me) {
  const specs = [
    { name: "year", label: "年度", type: "number", min: 2000, max: 2100 },
    { name: "light", label: "灯号", options: Object.entries(LIGHT) },
    { name: "state", label: "状态", options: Object.entries(TASK_STATE) },
    { name: "tier", label: "督办层级", options: Object.entries(TIER) },
  ];
  if (me.role !== "UNIT") specs.unshift({ name: "unit", label: "单位", options: units.map((unit) => [unit.id, unit.name]) });
  return specs;
}

const one = (value) => [value];
const FILTER = {
  unit: ["unit", String],
  light: ["lights", one],
  state: ["states", one],
  tier: ["tiers", one],
  year: ["planYear", Number],
};

async function render(view, context, params, query) {
  const variables = { first: PAGE_SIZE, after: query.get("after") || null, filter: filterFrom(query, FILTER) };
  const { tasks, units } = await read(context, TASKS, variables);
  replace(
    view,
    el("h1", {}, "督办事项"),
    exportButton(context, "tasks"),
    takeNotice(),
    filterBar("/tasks", query, filterSpecs(units, context.me)),
    tasks.nodes.length ? table(COLUMNS, tasks.nodes, { class: "tasks" }) : el("p", { class: "empty" }, "没有符合条件的事项"),
    pager("/tasks", query, tasks),
    context.me.role === "OFFICE" ? registerTaskForm(context) : null,
  );
}

export const taskBoard = {
  path: "/tasks",
  menu: "/tasks",
  title: "督办事项",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render,
};
