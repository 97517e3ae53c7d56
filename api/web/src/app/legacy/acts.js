// The acts on a legacy problem, each shown only to those who may do it (api/permissions.py:
// the office does every one; the responsible unit marks milestones reached; a leader
// escalates) and only in the states where it can be done. 销号 judges what the page
// showed and carries the version seen.
import { TIER, label } from "../../common/labels.js";
import { actForms, relationsOf } from "../acts.js";
import { milestoneField, readMilestones } from "../milestones.js";

const ACTIVE = ["REGISTERED", "PLANNED"];
const TIERS = Object.keys(TIER);
const text = (name, shown, required = true) => ({ name, label: shown, type: "textarea", required });

function openMilestones(state) {
  const reached = new Set(state.milestones_reached || []);
  return (state.milestones || []).filter((m) => !reached.has(m.key));
}

function escalateFields({ issue }) {
  const next = TIERS[TIERS.indexOf(issue.tier) + 1];
  return [{ ...text("reason", "提级理由"), hint: `由${label(TIER, issue.tier)}升至${label(TIER, next)}` }];
}

const ACTS = [
  {
    mutation: "adoptPlan",
    title: "制定化解方案",
    states: ["REGISTERED"],
    fields: () => [text("plan", "化解方案"), milestoneField()],
    toInput: (values) => ({ ...values, milestones: readMilestones(values.milestones) }),
  },
  {
    mutation: "reachMilestone",
    title: "节点达成",
    states: ["PLANNED"],
    by: ["responsible"],
    when: (issue, state) => openMilestones(state).length > 0,
    fields: ({ state }) => [
      { name: "key", label: "达成的节点", type: "select", required: true, options: openMilestones(state).map((m) => [m.key, `${m.title}（${m.due}）`]) },
    ],
  },
  { mutation: "escalateLegacyIssue", title: "提级化解", states: ACTIVE, by: ["leader"], when: (issue) => issue.tier !== "LEADING_GROUP", fields: escalateFields },
  { mutation: "suspendLegacyIssue", title: "中止", states: ACTIVE, fields: () => [text("reason", "中止理由")] },
  { mutation: "resumeLegacyIssue", title: "恢复化解", states: ["SUSPENDED"], fields: () => [text("note", "说明", false)] },
  { mutation: "verifyResolution", title: "化解销号", states: ["PLANNED"], fields: () => [text("note", "化解情况")], versioned: true },
  { mutation: "reopenLegacyIssue", title: "重新打开", states: ["RESOLVED"], fields: () => [text("reason", "理由")] },
];

// The forms the caller may use on the problem now; `done(success, title)` after each act.
export function legacyActs({ issue, state, context, done }) {
  const relations = relationsOf(context.me, (unitId) => [issue.responsibleUnit && issue.responsibleUnit.id === unitId && "responsible"]);
  return actForms({ acts: ACTS, item: issue, state, relations, given: { issue, state }, idField: "issueId", context, done });
}
