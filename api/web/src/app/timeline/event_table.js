// A table of events, a page at a time: the columns asked for, a row per event (marked
// when back-dated), "共 N 条，已显示 M 条" and a button for the next page while there is one.
import { el, replace } from "../../common/dom.js";
import { requestProblem } from "../../common/errors.js";
import { actorPart, eventTitle, marksPart, timesPart, whyPart } from "./event_parts.js";
import { itemTypeName, timelinePath } from "./names.js";

export function eventColumns(unitNames, wanted) {
  const all = {
    position: { title: "位置", cell: (e) => String(e.position) },
    version: { title: "版本", cell: (e) => String(e.version) },
    item: { title: "事项", cell: (e) => el("a", { href: `#${timelinePath(e.itemType, e.itemId)}`, title: e.itemId }, `${itemTypeName(e.itemType)} ${e.itemId.slice(0, 8)}`) },
    type: { title: "事件", cell: eventTitle },
    actor: { title: "操作人", cell: (e) => actorPart(e.actor, unitNames) },
    times: { title: "时间（北京时间）", cell: timesPart },
    marks: { title: "标记", cell: marksPart },
    why: { title: "事由与内容", cell: (e) => whyPart(e, unitNames) },
  };
  return wanted.map((key) => ({ key, ...all[key] }));
}

// fetchPage(after) -> { nodes, pageInfo: { hasNextPage, endCursor }, totalCount }
export function pagedEvents(columns, fetchPage, { empty = "没有事件" } = {}) {
  const body = el("tbody");
  const table = el("table", { class: "events" }, el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c.title)))), body);
  const count = el("p", { class: "count", role: "status" });
  const problem = el("p", { class: "problem", role: "alert" });
  const more = el("button", { type: "button", class: "secondary more", hidden: true, onclick: () => load(cursor) }, "加载更多");
  // a later page's refusal is shown above the button; the first page's is thrown too
  let cursor = null;
  let shown = 0;

  function add(events) {
    for (const event of events) {
      const row = el(
        "tr",
        { class: event.backdated ? "backdated" : null, dataset: { position: event.position, version: event.version } },
        columns.map((c) => el("td", { dataset: { column: c.key } }, c.cell(event))),
      );
      body.append(row);
    }
  }

  async function load(after) {
    more.disabled = true;
    replace(problem);
    try {
      const page = await fetchPage(after);
      if (after === null) body.replaceChildren();
      add(page.nodes);
      shown = (after === null ? 0 : shown) + page.nodes.length;
      cursor = page.pageInfo.endCursor;
      more.hidden = !page.pageInfo.hasNextPage;
      replace(count, page.totalCount ? `共 ${page.totalCount} 条，已显示 ${shown} 条` : empty);
    } catch (error) {
      replace(problem, requestProblem(error));
      if (after === null) throw error; // the first page: the caller says what failed too
    } finally {
      more.disabled = false;
    }
  }

  return { node: el("div", { class: "paged-events" }, count, table, problem, more), load: () => load(null) };
}
