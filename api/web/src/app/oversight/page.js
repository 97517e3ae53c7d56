// Interviews (约谈) and referrals to discipline inspection (移交纪检监察), #/oversight: both
// lists with their states, the units meeting the 约谈 criteria (for the office to decide
// on), the item opened with its acts, and the office's forms to schedule an interview and
// to refer. A unit's staff see their own unit's items only (the API sees to it).
import "./oversight.css";
import { request } from "../../common/gql.js";
import { el, replace } from "../../common/dom.js";
import { INTERVIEW_STATE, REFERRAL_STATE } from "../../common/labels.js";
import { UNITS } from "../complaints/documents.js";
import { filterChoice } from "../complaints/inbox_filters.js";
import { nextPage, pager, previousPage } from "../complaints/pager.js";
import { candidateList, referralCandidateList } from "./candidates.js";
import { itemPanel } from "./detail.js";
import { CANDIDATES, CITABLE, LISTS } from "./documents.js";
import { interviewList, referralList } from "./lists.js";
import { PAGE_SIZE, listFilters, oversightHash, oversightParams } from "./params.js";
import { referForm } from "./refer.js";
import { scheduleForm } from "./schedule.js";
import { exportButton } from "../download.js";

function filters(params, units, navigate) {
  const go = (key) => (event) => navigate(oversightHash(params, { [key]: event.target.value }).slice(1));
  return el(
    "div",
    { class: "filters", role: "search" },
    units ? filterChoice("filter-unit", "单位", params.unit, [["", "全部单位"], ...units.map((u) => [u.id, u.name])], go("unit")) : null,
    filterChoice("filter-interview-state", "约谈状态", params.interviewState, [["", "全部"], ...Object.entries(INTERVIEW_STATE)], go("interviewState")),
    filterChoice("filter-referral-state", "移交状态", params.referralState, [["", "全部"], ...Object.entries(REFERRAL_STATE)], go("referralState")),
  );
}

function pages(params, list, page) {
  const at = params[list];
  return pager({
    page: at.trail.length + 1,
    size: PAGE_SIZE,
    shown: page.nodes.length,
    total: page.totalCount,
    previousHref: at.trail.length ? oversightHash(params, { [list]: previousPage(at) }) : null,
    nextHref: page.pageInfo.hasNextPage ? oversightHash(params, { [list]: nextPage(at, page.pageInfo.endCursor) }) : null,
  });
}

function recorded(success, act) {
  const kind = success.itemId.split(":")[0];
  const open = { Interview: "interview", Referral: "referral" }[kind];
  const link = open ? el("a", { href: `#/oversight?${open}=${encodeURIComponent(success.itemId)}` }, "打开") : null;
  return el("p", { class: "notice", role: "status" }, `已记录：${act}（版本 ${success.version}）`, link);
}

// What the page reads: the lists, the candidates (not for a unit), and what the office's
// forms offer (the units for everyone else's filter).
async function load(read, params, role) {
  const variables = { ...listFilters(params), size: PAGE_SIZE, interviewsAfter: params.interviews.after || null, referralsAfter: params.referrals.after || null };
  const [lists, candidates, citable] = await Promise.all([
    read(LISTS, variables),
    role === "UNIT" ? null : read(CANDIDATES),
    role === "OFFICE" ? read(CITABLE) : role === "UNIT" ? null : read(UNITS),
  ]);
  return {
    lists,
    candidates: candidates && candidates.interviewCandidates,
    toRefer: candidates && candidates.referralCandidates,
    citable,
  };
}

function listSection(id, title, list, more) {
  return el("section", { class: "list", id }, el("h2", {}, title), list, more);
}

async function show(view, context, params, position = 0, notice = null) {
  const read = (query, variables = {}, at = position) => request(context.token, query, variables, at);
  const office = context.me.role === "OFFICE";
  const { lists, candidates, toRefer, citable } = await load(read, params, context.me.role);
  const onDone = (success, act) => show(view, context, { ...params, schedule: "" }, success.position, recorded(success, act));
  const setting = { me: context.me, request: context.request, token: context.token, onDone };
  const opened = params.interview || params.referral;
  const panel = opened ? await itemPanel({ read, id: opened, position, setting, notice }) : null;
  const candidate = candidates && params.schedule ? candidates.find((c) => c.unit && c.unit.id === params.schedule) : null;
  const scheduleHref = (unit) => oversightHash(params, { schedule: unit, interview: "", referral: "" });
  const forms = { request: context.request, read, citable };
  const scheduling = office ? await scheduleForm({ ...forms, candidate, onDone: (success) => onDone(success, "安排约谈") }) : null;
  const referring = office ? referForm({ ...forms, onDone: (success) => onDone(success, "移交纪检监察") }) : null;
  replace(
    view,
    el("h1", {}, context.me.unit ? `约谈与移交纪检监察 · ${context.me.unit.name}` : "约谈与移交纪检监察"),
    el("div", { class: "export-row" }, exportButton(context, "interviews"), exportButton(context, "referrals")),
    opened ? null : notice,
    panel,
    filters(params, citable ? citable.units : null, context.navigate),
    listSection("interviews", "约谈", interviewList(lists.interviews.nodes, params.interview), pages(params, "interviews", lists.interviews)),
    candidates ? listSection("candidates", "达到约谈条件的单位", candidateList(candidates, { office, scheduleHref })) : null,
    scheduling ? el("section", { class: "acts", id: "schedule" }, scheduling) : null,
    listSection("referrals", "移交纪检监察", referralList(lists.referrals.nodes, params.referral), pages(params, "referrals", lists.referrals)),
    toRefer ? listSection("referral-candidates", "情节严重、可考虑移交的单位", referralCandidateList(toRefer)) : null,
    referring ? el("section", { class: "acts", id: "refer" }, referring) : null,
  );
  if (candidate && scheduling) scheduling.scrollIntoView({ block: "start" });
}

export const oversight = {
  path: "/oversight",
  menu: "/oversight",
  title: "约谈与移交",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER"],
  render: (view, context, _params, query) => show(view, context, oversightParams(query)),
};
