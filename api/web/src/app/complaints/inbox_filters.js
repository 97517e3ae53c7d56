// The inbox's channel tabs (with how many cases each has under the other filters) and its
// filters: state, unit (not for a unit's own staff: they see their own cases only),
// overdue only, page size. Each change opens the inbox anew with the filter in the hash.
import { el } from "../../common/dom.js";
import { CHANNEL, CHANNELS, COMPLAINT_STATE, number } from "../../common/labels.js";
import { PAGE_SIZES, inboxHash } from "./inbox_params.js";

export function channelTabs(params, counts) {
  const tab = (channel, title, count) => {
    const current = params.channel === channel;
    const attributes = { href: inboxHash(params, { channel }), class: current ? "tab current" : "tab", "aria-current": current ? "page" : null };
    return el("a", { ...attributes, dataset: { channel: channel || "ALL" } }, title, el("span", { class: "count" }, number(count.totalCount)));
  };
  const tabs = [tab("", "全部渠道", counts.everyChannel), ...CHANNELS.map((channel) => tab(channel, CHANNEL[channel], counts[channel]))];
  return el("nav", { class: "tabs", "aria-label": "渠道" }, tabs);
}

// A labelled select of a filter, opening the list anew when it changes.
export function filterChoice(id, title, value, options, onchange) {
  const select = el("select", { id, onchange }, options.map(([key, shown]) => el("option", { value: key, selected: key === value || null }, shown)));
  return el("label", { for: id }, title, select);
}

function sizes(current) {
  return [...new Set([...PAGE_SIZES, current])].sort((a, b) => a - b);
}

export function inboxFilters(params, units, { byUnit, navigate }) {
  const go = (changes) => navigate(inboxHash(params, changes).slice(1));
  const overdue = el("input", { id: "filter-overdue", type: "checkbox", checked: params.overdue || null, onchange: (e) => go({ overdue: e.target.checked }) });
  return el(
    "div",
    { class: "filters", role: "search" },
    filterChoice("filter-state", "状态", params.state, [["", "全部状态"], ...Object.entries(COMPLAINT_STATE)], (e) => go({ state: e.target.value })),
    byUnit ? filterChoice("filter-unit", "单位", params.unit, [["", "全部单位"], ...units.map((u) => [u.id, u.name])], (e) => go({ unit: e.target.value })) : null,
    el("label", { for: "filter-overdue", class: "check" }, overdue, "只看逾期"),
    filterChoice("filter-size", "每页", String(params.size), sizes(params.size).map((n) => [String(n), `${n} 条`]), (e) => go({ size: Number(e.target.value) })),
  );
}
