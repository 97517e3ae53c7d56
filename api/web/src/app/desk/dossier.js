// A referral's dossier (#/desk/referrals/<id>): the referral (unit, reason, persons, cited
// items, outcome), each event it cites as evidence shown in full, and the referral's own
// events. Personal data in the cited events opens only for a stated purpose.
import { el, replace } from "../../common/dom.js";
import { REFERRAL_STATE, label } from "../../common/labels.js";
import { eventColumns, pagedEvents } from "../timeline/event_table.js";
import { timelinePath } from "../timeline/names.js";
import { purposeForm } from "../timeline/purpose.js";
import { unitNames } from "../timeline/units.js";
import { citedEvent, missingCitation } from "./cited_event.js";

const EVENT = "position itemId itemType version type occurredAt recordedAt actor { id role unit } requestId imported backdated data chain";
const REFERRAL = `query Dossier($id: ID!, $purpose: String) {
  history(itemId: $id, purpose: $purpose) { id itemId itemType version state
    eventPage(first: 500) { totalCount pageInfo { hasNextPage endCursor } nodes { ${EVENT} } } } }`;
const CITED = `query Cited($positions: [Int!]!, $purpose: String) {
  events(filter: { positions: $positions }, first: 100, purpose: $purpose) { nodes { ${EVENT} } } }`;
const BATCH = 100; // the most entries one page of the trail answers

async function citedEvents(context, positions, purpose) {
  const found = new Map();
  for (let i = 0; i < positions.length; i += BATCH) {
    const { events } = await context.request(CITED, { positions: positions.slice(i, i + BATCH), purpose });
    for (const event of events.nodes) found.set(event.position, event);
  }
  return found;
}

function referralFacts(history, names) {
  const s = history.state;
  const fact = (name, shown, value) => [el("dt", {}, shown), el("dd", { dataset: { fact: name } }, value)];
  return el(
    "dl",
    { class: "facts referral-facts" },
    fact("unit", "被移交单位", names.get(s.unit) || s.unit),
    fact("state", "状态", label(REFERRAL_STATE, String(s.state).toUpperCase())),
    fact("reason", "移交理由", s.reason),
    fact("persons", "涉及人员", s.persons && s.persons.length ? s.persons.join("、") : "—"),
    fact("evidence", "引用证据（台账位置）", (s.evidence || []).join("、") || "—"),
    fact("citedItems", "引用事项", (s.cited_items || []).length ? s.cited_items.map((id) => el("a", { href: `#${timelinePath(null, id)}` }, id.slice(0, 8), " ")) : "—"),
    fact("outcome", "处理结果", s.outcome || "—"),
    fact("accountable", "是否追责", s.accountable === null || s.accountable === undefined ? "—" : s.accountable ? "是" : "否"),
  );
}

export async function renderDossier(view, context, params) {
  const id = params.id;
  const names = await unitNames(context);
  const body = el("div");
  let purpose = null;

  async function load() {
    const { history } = await context.request(REFERRAL, { id, purpose });
    if (!history || history.itemType !== "Referral") {
      return replace(body, el("p", { class: "problem", role: "alert" }, `找不到该移交，或您的角色无权查看：${id}`));
    }
    const evidence = history.state.evidence || [];
    const cited = await citedEvents(context, evidence, purpose);
    const own = pagedEvents(eventColumns(names, ["version", "position", "type", "actor", "times", "marks", "why"]), async () => history.eventPage);
    replace(
      body,
      el("p", { class: "hint" }, `编号 ${history.id} · `, el("a", { href: `#${timelinePath(null, history.id)}` }, "查看时间线")),
      referralFacts(history, names),
      el("section", { class: "cited" }, el("h2", {}, `引用的事件（${evidence.length} 件）`), evidence.map((p) => (cited.has(p) ? citedEvent(cited.get(p), names) : missingCitation(p)))),
      el("section", { class: "referral-events" }, el("h2", {}, "移交本身的事件"), own.node),
    );
    await own.load();
  }

  replace(
    view,
    el("h1", {}, "移交纪检监察卷宗"),
    el("p", {}, el("a", { href: "#/desk" }, "← 返回工作台")),
    purposeForm(context.me, async (given) => {
      purpose = given;
      await load();
    }),
    body,
  );
  await load();
}
