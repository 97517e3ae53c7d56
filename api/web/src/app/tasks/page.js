// A task's page: its facts and record, a link to its timeline, and the forms of the acts
// the caller may do on it now. After an act the page is drawn again from what the ledger
// holds, including that act (read your own writes).
import "./tasks.css";
import { el, replace } from "../../common/dom.js";
import { actsSection } from "../acts.js";
import { itemRecord } from "../history.js";
import { read, recordWrite, takeNotice } from "../writes.js";
import { taskActs } from "./acts.js";
import { taskFacts, taskRecord } from "./record.js";

const TASK = `query Task($id: ID!) {
  node(id: $id) {
    ... on Task {
      id version state planYear number title progress assignedOn deadline closedOn tier urgeCount light
      leadUnits { id itemId name }
      cooperatingUnits { id itemId name }
      cooperatingGroups { kind label }
      milestones { key title due reachedOn light missed }
    }
  }
  units(includeMerged: true) { id itemId name state }
}`;

async function render(view, context, params) {
  const [{ node: task, units }, record] = await Promise.all([read(context, TASK, { id: params.id }), itemRecord(context, params.id)]);
  if (!task || !task.title || !record) {
    replace(view, el("h1", {}, "督办事项"), el("p", { class: "problem" }, "没有这个事项，或您无权查看。"), el("a", { href: "#/tasks" }, "返回事项列表"));
    return;
  }
  const names = new Map(units.map((unit) => [unit.itemId, unit.name]));
  const unitName = (itemId) => names.get(itemId) || itemId;
  const done = async (success, title) => {
    recordWrite(success, title);
    await render(view, context, params);
  };
  const acts = taskActs({ task, state: record.state, units, context, done });
  replace(
    view,
    el("p", { class: "crumbs" }, el("a", { href: "#/tasks" }, "督办事项"), " › ", task.number ? `第${task.number}项` : "事项"),
    el("h1", {}, task.title),
    takeNotice(),
    el("p", { class: "links" }, el("a", { href: `#/timeline/${task.id}`, class: "timeline" }, "查看办理时间线")),
    el(
      "div",
      { class: "item-layout" },
      el(
        "div",
        { class: "item-main" },
        taskFacts(task, record.state, unitName),
        record.state.description ? el("p", { class: "description" }, record.state.description) : null,
        taskRecord(task, record.events, unitName),
      ),
      actsSection(acts),
    ),
  );
}

export const taskPage = {
  path: "/tasks/:id",
  menu: null,
  title: "督办事项",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render,
};
