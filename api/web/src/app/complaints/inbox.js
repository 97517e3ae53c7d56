// The complaint inbox (#/complaints): the cases of the five channels of 5+1+1, a tab a
// channel, filtered by state, unit and overdue, a page at a time; the office receives new
// cases here. A unit's staff see the cases of their own unit only (the API sees to it).
import "./complaints.css";
import { request } from "../../common/gql.js";
import { el, replace } from "../../common/dom.js";
import { CHANNELS } from "../../common/labels.js";
import { ENTERPRISES, UNITS, inboxDocument } from "./documents.js";
import { channelTabs, inboxFilters } from "./inbox_filters.js";
import { complaintFilter, inboxHash, inboxParams } from "./inbox_params.js";
import { complaintHref, inboxTable } from "./inbox_table.js";
import { nextPage, pager, previousPage } from "./pager.js";
import { receiveForm } from "./receive.js";
import { exportButton } from "../download.js";

function variables(params) {
  const counts = Object.fromEntries(CHANNELS.map((channel) => [channel, complaintFilter(params, channel)]));
  return { first: params.size, after: params.after || null, filter: complaintFilter(params), everyChannel: complaintFilter(params, ""), ...counts };
}

function pages(params, page) {
  return pager({
    page: params.trail.length + 1,
    size: params.size,
    shown: page.nodes.length,
    total: page.totalCount,
    previousHref: params.trail.length ? inboxHash(params, previousPage(params)) : null,
    nextHref: page.pageInfo.hasNextPage ? inboxHash(params, nextPage(params, page.pageInfo.endCursor)) : null,
  });
}

function received(success) {
  return el("p", { class: "notice", role: "status" }, "已受理并记录。", el("a", { href: complaintHref(success.itemId) }, "打开该投诉"));
}

async function show(view, context, params, position = 0, notice = null) {
  const office = context.me.role === "OFFICE";
  const [data, { units, teams, intakes }, registered] = await Promise.all([
    request(context.token, inboxDocument(), variables(params), position),
    request(context.token, UNITS),
    office ? request(context.token, ENTERPRISES) : null,
  ]);
  const enterprises = registered ? registered.enterprises.nodes : [];
  const onDone = (success) => show(view, context, params, success.position, received(success));
  replace(
    view,
    el("h1", {}, context.me.unit ? `投诉受理 · ${context.me.unit.name}` : "投诉受理（5+1+1 五个渠道）"),
    exportButton(context, "complaints", {}, { personal: true }),
    notice,
    channelTabs(params, data),
    inboxFilters(params, units, { byUnit: context.me.role !== "UNIT", navigate: context.navigate }),
    inboxTable(data.page.nodes),
    pages(params, data.page),
    office ? el("section", { class: "acts" }, receiveForm({ request: context.request, units, teams, intakes, enterprises, channel: params.channel, onDone })) : null,
  );
}

export const complaintInbox = {
  path: "/complaints",
  menu: "/complaints",
  title: "投诉受理",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render: (view, context, _params, query) => show(view, context, inboxParams(query)),
};
