// The inspector's desk (#/desk): the seal of the log and how far it is verified, the audit
// trail searched by actor, unit, item, type and both time axes, back-dated entries and
// imports picked out, personal data opened only for a stated purpose; the referrals, each
// with its dossier (#/desk/referrals/<id>).
import "./desk.css";
import { el, replace } from "../../common/dom.js";
import { eventColumns, pagedEvents } from "../timeline/event_table.js";
import { purposeForm } from "../timeline/purpose.js";
import { unitNames } from "../timeline/units.js";
import { renderDossier } from "./dossier.js";
import { referralList } from "./referral_list.js";
import { sealPanel } from "./seal_panel.js";
import { trailSearch } from "./trail_search.js";

const PAGE = 50;
const TRAIL = `query Trail($filter: EventFilter, $first: Int, $after: String, $purpose: String) {
  events(filter: $filter, first: $first, after: $after, purpose: $purpose) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { position itemId itemType version type occurredAt recordedAt actor { id role unit } requestId imported backdated data } } }`;

export const INSPECTORS = ["INSPECTOR", "OFFICE", "LEADER"];

async function renderDesk(view, context, _params, query) {
  const names = await unitNames(context);
  const units = [...names].map(([id, name]) => [`Unit:${id}`, name]).sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
  const seal = sealPanel(context);
  const referrals = referralList(context);
  const results = el("div", { class: "trail-results" });
  let purpose = null;
  let filter = {};

  async function search(given) {
    filter = given;
    const columns = eventColumns(names, ["position", "item", "type", "actor", "times", "marks", "why"]);
    const page = async (after) => (await context.request(TRAIL, { filter, first: PAGE, after, purpose })).events;
    const events = pagedEvents(columns, page, { empty: "没有符合条件的记录" });
    replace(results, events.node);
    await events.load();
  }

  // a refused search (a wrong id typed or in a link) is shown where its results would be
  const shown = (given) => search(given).catch(() => null);
  const form = trailSearch(units, query, shown);
  replace(
    view,
    el("h1", {}, "纪检监察工作台"),
    el("div", { class: "desk-top" }, seal.node, referrals.node),
    el(
      "section",
      { class: "trail" },
      el("h2", {}, "审计记录"),
      purposeForm(context.me, async (given) => {
        purpose = given;
        await search(filter);
      }),
      form.node,
      results,
    ),
  );
  await Promise.all([seal.load(), referrals.load(), shown(form.filter())]);
}

export const deskRoutes = [
  { path: "/desk", menu: "/desk", title: "纪检监察工作台", roles: INSPECTORS, render: renderDesk },
  { path: "/desk/referrals/:id", menu: null, title: "移交卷宗", roles: INSPECTORS, render: renderDossier },
];
