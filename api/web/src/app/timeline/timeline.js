// An item's timeline (#/timeline/<global id>), for reviewers: every event of the item with
// who, when and why, a page at a time; its state at a version, a business time or a
// record time; complainants' personal data opened only for a stated purpose. And
// #/timeline: a form to open any item by its id.
import "./timeline.css";
import { el, replace } from "../../common/dom.js";
import { eventColumns, pagedEvents } from "./event_table.js";
import { itemTypeName } from "./names.js";
import { openItemForm } from "./open_item.js";
import { purposeForm } from "./purpose.js";
import { statePicker } from "./state_picker.js";
import { unitNames } from "./units.js";

const PAGE = 50;
const EVENT = "position itemId itemType version type occurredAt recordedAt actor { id role unit } requestId imported backdated data";
const HISTORY = `query Timeline($id: ID!, $first: Int, $after: String, $purpose: String) {
  history(itemId: $id, purpose: $purpose) { id itemId itemType version state
    eventPage(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${EVENT} } } } }`;

export const REVIEWERS = ["OFFICE", "INSPECTOR", "LEADER", "UNIT"];
const DESK_ROLES = ["OFFICE", "INSPECTOR", "LEADER"];

function headline(history, me) {
  const state = history.state;
  const title = state.title || state.summary || state.name || state.reason || "";
  const trail = DESK_ROLES.includes(me.role) ? el("a", { href: `#/desk?itemId=${encodeURIComponent(history.id)}` }, "在审计记录中查看") : null;
  return el(
    "div",
    { class: "item-head", dataset: { itemId: history.id, version: history.version } },
    el("h1", {}, `${itemTypeName(history.itemType)}时间线`, title ? el("span", { class: "item-title" }, ` · ${title}`) : null),
    el("p", { class: "hint" }, `编号 ${history.id} · 当前版本 ${history.version} · 共 ${history.eventPage.totalCount} 条事件 `, trail),
  );
}

async function renderTimeline(view, context, params) {
  const id = params.id;
  const names = await unitNames(context);
  const head = el("div");
  const body = el("div");
  let purpose = null;

  async function read(after) {
    const { history } = await context.request(HISTORY, { id, first: PAGE, after, purpose });
    return history;
  }

  async function reload() {
    const history = await read(null);
    if (!history) {
      replace(head, el("h1", {}, "事项时间线"));
      return replace(body, el("p", { class: "problem", role: "alert" }, `找不到该事项，或您的角色无权查看：${id}`));
    }
    replace(head, headline(history, context.me));
    const columns = eventColumns(names, ["version", "position", "type", "actor", "times", "marks", "why"]);
    const events = pagedEvents(columns, async (after) => (after === null ? history.eventPage : (await read(after)).eventPage));
    const picker = statePicker({ request: context.request, itemId: id, latest: history, unitNames: names, purpose: () => purpose });
    replace(body, el("div", { class: "timeline-body" }, el("section", { class: "timeline-events" }, el("h2", {}, "事件（按版本）"), events.node), picker.node));
    await events.load();
  }

  replace(
    view,
    el("div", { class: "timeline-tools" }, openItemForm(context, id)),
    head,
    purposeForm(context.me, async (given) => {
      purpose = given;
      await reload();
    }),
    body,
  );
  await reload();
}

export const timelineRoutes = [
  {
    path: "/timeline",
    menu: "/timeline",
    title: "事项时间线",
    roles: REVIEWERS,
    async render(view, context) {
      replace(view, el("h1", {}, "事项时间线"), el("p", {}, "输入事项编号，查看它的每一条事件、各时点的状态。"), openItemForm(context, ""));
    },
  },
  { path: "/timeline/:id", menu: null, title: "事项时间线", roles: REVIEWERS, render: renderTimeline },
];
