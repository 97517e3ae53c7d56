// A legacy problem's page: its facts, milestones and steps, a link to its timeline, and
// the forms of the acts the caller may do on it now; drawn again after each act, with it.
import "./legacy.css";
import { el, replace } from "../../common/dom.js";
import { actsSection } from "../acts.js";
import { itemRecord } from "../history.js";
import { read, recordWrite, takeNotice } from "../writes.js";
import { legacyActs } from "./acts.js";
import { legacyFacts, legacyRecord } from "./record.js";

const ISSUE = `query Issue($id: ID!) {
  node(id: $id) {
    ... on LegacyIssue {
      id version state title category tier targetYear baseline registeredOn
      responsibleUnit { id itemId name }
    }
  }
  units(includeMerged: true) { itemId name }
}`;

async function render(view, context, params) {
  const [{ node: issue, units }, record] = await Promise.all([read(context, ISSUE, { id: params.id }), itemRecord(context, params.id)]);
  if (!issue || !issue.title || !record) {
    replace(view, el("h1", {}, "历史遗留问题"), el("p", { class: "problem" }, "没有这个问题，或您无权查看。"), el("a", { href: "#/legacy" }, "返回问题列表"));
    return;
  }
  const names = new Map(units.map((unit) => [unit.itemId, unit.name]));
  const unitName = (itemId) => names.get(itemId) || itemId;
  const done = async (success, title) => {
    recordWrite(success, title);
    await render(view, context, params);
  };
  replace(
    view,
    el("p", { class: "crumbs" }, el("a", { href: "#/legacy" }, "历史遗留问题"), " › ", "问题"),
    el("h1", {}, issue.title),
    takeNotice(),
    el("p", { class: "links" }, el("a", { href: `#/timeline/${issue.id}`, class: "timeline" }, "查看办理时间线")),
    el(
      "div",
      { class: "item-layout" },
      el("div", { class: "item-main" }, legacyFacts(issue, record.state, record.events), legacyRecord(record.state, record.events, unitName)),
      actsSection(legacyActs({ issue, state: record.state, context, done })),
    ),
  );
}

export const legacyPage = {
  path: "/legacy/:id",
  menu: null,
  title: "历史遗留问题",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render,
};
