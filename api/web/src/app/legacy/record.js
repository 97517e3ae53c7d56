// What a legacy problem's page shows of it: its facts (category, cause, parties,
// responsible unit, tier, target year, the plan adopted), its milestones and whether each
// was reached, and every step taken on it with who took it and when.
import { el, table } from "../../common/dom.js";
import { LEGACY_CATEGORY, LEGACY_STATE, ROLE, TIER, date, label, moment } from "../../common/labels.js";
import { milestoneTable, reachedOn } from "../milestones.js";

const STEPS = {
  PlanAdopted: "制定化解方案",
  MilestoneReached: "节点达成",
  Escalated: "提级化解",
  Suspended: "中止",
  Resumed: "恢复化解",
  ResolutionVerified: "化解销号",
  Reopened: "重新打开",
};

const tierOf = (value) => label(TIER, String(value || "").toUpperCase());

function fact(term, ...shown) {
  return [el("dt", {}, term), el("dd", { dataset: { fact: term } }, ...shown)];
}

function latestPlan(events) {
  const adopted = events.filter((event) => event.type === "PlanAdopted");
  return adopted.length ? adopted[adopted.length - 1].data.plan : null;
}

export function legacyFacts(issue, state, events) {
  const plan = latestPlan(events);
  return el(
    "dl",
    { class: "facts legacy-facts" },
    fact("状态", label(LEGACY_STATE, issue.state)),
    fact("类别", label(LEGACY_CATEGORY, issue.category)),
    fact("责任单位", issue.responsibleUnit ? issue.responsibleUnit.name : "—"),
    fact("化解层级", label(TIER, issue.tier)),
    fact("目标年度", `${issue.targetYear}年`),
    fact("来源", issue.baseline ? "摸底基数" : "基数后新增"),
    fact("登记日期", date(issue.registeredOn)),
    fact("形成原因", state.cause || "—"),
    fact("涉及当事方", (state.parties || []).join("、") || "—"),
    fact("化解方案", plan || "尚未制定"),
  );
}

function said(event, titleOf) {
  const data = event.data;
  if (event.type === "MilestoneReached") return titleOf(data.key);
  if (event.type === "Escalated") return `升至${tierOf(data.tier)}：${data.reason}`;
  if (event.type === "PlanAdopted") return data.plan;
  return data.reason || data.note || "—";
}

export function legacyRecord(state, events, unitName) {
  const milestones = state.milestones || [];
  const titleOf = (key) => (milestones.find((m) => m.key === key) || { title: key }).title;
  const reached = reachedOn(
    events.filter((e) => e.type === "MilestoneReached"),
    (e) => [e.data.key],
  );
  const steps = events.filter((event) => event.type in STEPS).reverse();
  const who = (e) => `${e.actor.id} · ${label(ROLE, e.actor.role)}${e.actor.unit ? `（${unitName(e.actor.unit)}）` : ""}`;
  return [
    el(
      "section",
      { class: "record milestones" },
      el("h2", {}, "节点"),
      milestoneTable(milestones.map((m) => ({ ...m, reachedOn: reached.get(m.key) || null }))),
    ),
    el(
      "section",
      { class: "record steps" },
      el("h2", {}, "办理记录"),
      steps.length
        ? table(
            [
              { title: "时间", key: "when", cell: (e) => moment(e.occurredAt) },
              { title: "经办", key: "who", cell: who },
              { title: "办理", key: "step", cell: (e) => STEPS[e.type] },
              { title: "内容", key: "said", cell: (e) => said(e, titleOf) },
            ],
            steps,
            { class: "steps" },
          )
        : el("p", { class: "hint" }, "暂无"),
    ),
  ];
}
