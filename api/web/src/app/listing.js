// What the lists of these pages share: the filters, kept in the address after `?` (so a
// filtered list can be reloaded, bookmarked and sent), and paging through a connection by
// its cursors (`after` in the address; the way back is remembered for the tab).
import "./listing.css";
import { el } from "../common/dom.js";
import { number } from "../common/labels.js";

export const PAGE_SIZE = 20;
const earlier = new Map(); // a page's `after` -> the `after` of the page before it
const offsets = new Map(); // a page's `after` -> how many rows come before it

export function linkTo(path, params) {
  const kept = [...params].filter(([, value]) => value !== "" && value !== null && value !== undefined);
  const search = new URLSearchParams(kept).toString();
  return `#${path}${search ? `?${search}` : ""}`;
}

function control(spec, query) {
  const id = `filter-${spec.name}`;
  const value = query.get(spec.name) || "";
  const input =
    spec.type === "number"
      ? el("input", { id, name: spec.name, type: "number", value, min: spec.min, max: spec.max, step: 1 })
      : el(
          "select",
          { id, name: spec.name },
          el("option", { value: "" }, "全部"),
          spec.options.map(([key, shown]) => el("option", { value: key, selected: key === value || null }, shown)),
        );
  return el("div", { class: "filter" }, el("label", { for: id }, spec.label), input);
}

// A row of filters; applying them opens the first page of the list they pick.
export function filterBar(path, query, specs) {
  const form = el(
    "form",
    { class: "filters", role: "search", onsubmit: apply },
    specs.map((spec) => control(spec, query)),
    el("button", { type: "submit" }, "筛选"),
    el("a", { class: "clear", href: `#${path}` }, "清除筛选"),
  );
  function apply(event) {
    event.preventDefault();
    const params = specs.map((spec) => [spec.name, form.elements[spec.name].value.trim()]);
    window.location.hash = linkTo(path, params);
  }
  return form;
}

// The filters a list was opened with, as the API's filter input: for each parameter of the
// address, the input field it fills and how its value is read.
export function filterFrom(query, fields) {
  const filter = {};
  for (const [name, [field, read]] of Object.entries(fields)) {
    const value = query.get(name);
    if (value) filter[field] = read(value);
  }
  return filter;
}

// Where this page of rows stands, and the links to the pages beside it.
export function pager(path, query, connection) {
  const after = query.get("after") || "";
  const { pageInfo, totalCount } = connection;
  const shown = connection.edges ? connection.edges.length : connection.nodes.length;
  const before = offsets.get(after) ?? (after ? null : 0);
  if (pageInfo.hasNextPage && pageInfo.endCursor) {
    earlier.set(pageInfo.endCursor, after);
    if (before !== null) offsets.set(pageInfo.endCursor, before + shown);
  }
  const params = (cursor) => [...[...query].filter(([name]) => name !== "after"), ["after", cursor]];
  const said =
    before === null || shown === 0
      ? `共 ${number(totalCount)} 条`
      : `第 ${number(before + 1)}–${number(before + shown)} 条，共 ${number(totalCount)} 条`;
  return el(
    "nav",
    { class: "pager", "aria-label": "分页" },
    el("span", { class: "count" }, said),
    after ? el("a", { href: linkTo(path, params("")), class: "first" }, "第一页") : null,
    after && earlier.has(after) ? el("a", { href: linkTo(path, params(earlier.get(after))), class: "previous" }, "上一页") : null,
    pageInfo.hasNextPage ? el("a", { href: linkTo(path, params(pageInfo.endCursor)), class: "next" }, "下一页") : null,
  );
}
