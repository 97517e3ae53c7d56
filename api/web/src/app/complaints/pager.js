// Paging through a list: where this page is, how many match, and links to the pages
// before and after it (null where there is none).
import { el } from "../../common/dom.js";
import { number } from "../../common/labels.js";

export function pager({ page, size, shown, total, previousHref, nextHref }) {
  const first = (page - 1) * size + 1;
  const where = shown === 0 ? `第 ${page} 页 · 共 ${number(total)} 条` : `第 ${page} 页 · 第 ${number(first)}–${number(first + shown - 1)} 条 · 共 ${number(total)} 条`;
  return el(
    "nav",
    { class: "pager", "aria-label": "翻页" },
    previousHref ? el("a", { href: previousHref, rel: "prev" }, "上一页") : el("span", { class: "off" }, "上一页"),
    el("span", { class: "where" }, where),
    nextHref ? el("a", { href: nextHref, rel: "next" }, "下一页") : el("span", { class: "off" }, "下一页"),
  );
}

// Paging by cursors: `after` is this page's cursor ("" for the first page), `trail` the
// cursors of the pages before it (oldest first, "-" for the first page), so that 上一页 can
// go back. Each gives the `after` and `trail` of the page it leads to.
export function nextPage({ after, trail }, endCursor) {
  return { after: endCursor, trail: [...trail, after || "-"] };
}

export function previousPage({ trail }) {
  const before = trail[trail.length - 1];
  return { after: before === "-" ? "" : before, trail: trail.slice(0, -1) };
}
