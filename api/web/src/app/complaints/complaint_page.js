// A case's page (#/complaints/<global id>): its details and deadlines, its history in
// brief with a link to its full timeline, and the forms of the acts the signed-in role may
// do on it. After an act the page is read again, including the write just made.
import "./complaints.css";
import { request } from "../../common/gql.js";
import { el, replace } from "../../common/dom.js";
import { CHANNEL, COMPLAINT_STATE, label } from "../../common/labels.js";
import { complaintActs } from "./acts.js";
import { actsSection } from "./acts_section.js";
import { complaintDeadlines, complaintDetails, materialRequests } from "./details.js";
import { COMPLAINT } from "./documents.js";
import { historySummary } from "./history.js";

function unitNamer(units) {
  const names = new Map(units.map((unit) => [unit.itemId, unit.name]));
  return (id) => (id ? names.get(id) || id : "—");
}

function recorded(success, act) {
  return el("p", { class: "notice", role: "status" }, `已记录：${act}（版本 ${success.version}）`);
}

async function show(view, context, id, position = 0, notice = null) {
  const data = await request(context.token, COMPLAINT, { id }, position);
  const c = data.node;
  if (!c || !data.history) {
    replace(view, el("p", { class: "problem", role: "alert" }, "找不到该投诉，或您无权查看。"), el("a", { href: "#/complaints" }, "返回投诉受理"));
    return;
  }
  const events = data.history.eventPage.nodes;
  const unit = unitNamer(data.units);
  const unitOptions = data.units.map((u) => [u.id, u.name]);
  const onDone = (success, act) => show(view, context, id, success.position, recorded(success, act));
  const setting = { me: context.me, unitOptions, request: context.request, onDone };
  const state = data.history.state;
  const timeline = el("a", { href: `#/timeline/${encodeURIComponent(c.id)}`, class: "timeline" }, "查看完整时间线（任一版本或日期的状态）");
  replace(
    view,
    el("p", { class: "crumbs" }, el("a", { href: "#/complaints" }, "投诉受理"), " › ", label(CHANNEL, c.channel)),
    el("h1", {}, `${label(CHANNEL, c.channel)}投诉 · ${label(COMPLAINT_STATE, c.state)}`),
    notice,
    el(
      "div",
      { class: "case" },
      el("section", {}, el("h2", {}, "基本情况"), complaintDetails(c, state)),
      el("section", {}, el("h2", {}, "办理时限"), complaintDeadlines(c, state, events)),
      el("section", {}, el("h2", {}, "补正材料（一次告知）"), materialRequests(c)),
    ),
    actsSection(complaintActs(c, setting)),
    el("section", { class: "trail" }, el("h2", {}, "办理经过"), historySummary(events, data.history.eventPage.totalCount, unit), el("p", {}, timeline)),
  );
}

export const complaintPage = {
  path: "/complaints/:id",
  menu: null,
  title: "投诉详情",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render: (view, context, params) => show(view, context, params.id),
};
