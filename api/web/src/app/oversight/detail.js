// The interview or referral opened on the page: what it is about, the items it cites, its
// history in brief with a link to its timeline, and the forms the role may use on it.
import { intervieweesShown } from "./people.js";
import { el } from "../../common/dom.js";
import { documentButton } from "../../common/download.js";
import { requestProblem } from "../../common/errors.js";
import { INTERVIEW_STATE, REFERRAL_STATE, date, label, moment } from "../../common/labels.js";
import { actsSection } from "../complaints/acts_section.js";
import { oversightActs } from "./acts.js";
import { OVERSIGHT_ITEM } from "./documents.js";
import { oversightHistory } from "./events.js";
import { itemLink, itemsByIds } from "./items.js";

function facts(pairs) {
  return el(
    "dl",
    { class: "facts" },
    pairs.map(([term, value, key]) => [el("dt", {}, term), el("dd", { dataset: { fact: key } }, value)]),
  );
}

function citedShown(nodes) {
  const seen = nodes.filter(Boolean);
  return seen.length ? el("ul", { class: "cited" }, seen.map((node) => el("li", {}, itemLink(node)))) : "—";
}

function interviewFacts(item, state, cited) {
  return facts([
    ["约谈单位", item.unit ? item.unit.name : "—", "unit"],
    ["约谈对象", intervieweesShown(state), "interviewee"],
    ["约谈事由", state.reason || "—", "reason"],
    ["约谈时间", moment(item.scheduledFor), "scheduledFor"],
    ["状态", label(INTERVIEW_STATE, item.state), "state"],
    ["整改期限", date(item.rectifyBy), "rectifyBy"],
    ["整改情况", item.state === "FOLLOWED_UP" ? (item.rectified ? "已整改到位" : "未整改到位") : "—", "rectified"],
    ["依据事项", citedShown(cited), "citedItems"],
  ]);
}

function referralFacts(item, state, cited) {
  return facts([
    ["被移交单位", item.unit ? item.unit.name : "—", "unit"],
    ["移交事由", state.reason || "—", "reason"],
    ["涉及人员", (state.persons || []).join("、") || "—", "persons"],
    ["证据（事件位置）", (state.evidence || []).join("、") || "—", "evidence"],
    ["相关事项", citedShown(cited), "citedItems"],
    ["状态", label(REFERRAL_STATE, item.state), "state"],
    ["处理结果", item.outcome || "—", "outcome"],
    ["是否追责", item.accountable === null || item.accountable === undefined ? "—" : item.accountable ? "已追责" : "未追责", "accountable"],
  ]);
}

// 约谈通知书 or 移交函: the PDF the service makes, with the ledger's seal.
function paperButton(item, token) {
  const kind = item.__typename === "Interview" ? "interview-notice" : "referral-letter";
  const shown = item.__typename === "Interview" ? "下载约谈通知书（PDF）" : "下载移交函（PDF）";
  return documentButton(token, `/documents/${kind}/${item.itemId}.pdf`, `${kind}.pdf`, shown);
}

// The panel of the item `id`, read including `position`; null if the caller may not see it.
export async function itemPanel({ read, id, position, setting, notice }) {
  let data;
  try {
    data = await read(OVERSIGHT_ITEM, { id }, position);
  } catch (error) {
    return el("p", { class: "problem", role: "alert" }, `找不到该约谈或移交，或您无权查看（${requestProblem(error)}）`);
  }
  const found = data.node;
  if (!found || !data.history || !["Interview", "Referral"].includes(found.__typename)) {
    return el("p", { class: "problem", role: "alert" }, "找不到该约谈或移交，或您无权查看。");
  }
  const item = { ...found, state: found.interviewState || found.referralState };
  const state = data.history.state;
  const cited = await itemsByIds(read, state.cited_items || []);
  const interview = item.__typename === "Interview";
  return el(
    "section",
    { class: "opened", dataset: { id: item.id } },
    el("h2", {}, interview ? "约谈详情" : "移交纪检监察详情"),
    notice,
    interview ? interviewFacts(item, state, cited) : referralFacts(item, state, cited),
    el("p", { class: "documents" }, paperButton(item, setting.token)),
    actsSection(oversightActs(item, setting)),
    el("h3", {}, "办理经过"),
    oversightHistory(data.history.eventPage.nodes),
    el("p", {}, el("a", { href: `#/timeline/${encodeURIComponent(item.id)}`, class: "timeline" }, "查看完整时间线")),
  );
}
