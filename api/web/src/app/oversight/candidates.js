// The units that meet the plan's 约谈 criteria today (overdue tasks they lead, media
// exposures left unrectified, bad reviews): a list for the office to decide on, never an
// interview by itself. The office opens the schedule form from a row, filled in from it.
import { el, table } from "../../common/dom.js";
import { number } from "../../common/labels.js";

export const CRITERION = {
  overdue_tasks: "牵头任务逾期",
  unrectified_exposures: "媒体曝光逾期未整改",
  bad_reviews: "差评",
  unmet_rectifications: "约谈整改要求逾期未落实",
  red_tasks_after_interview: "约谈后牵头任务转为红灯",
};

export function reasonsShown(reasons) {
  return Object.entries(reasons || {})
    .map(([key, ids]) => `${CRITERION[key] || key} ${number(ids.length)} 项`)
    .join("；");
}

// Every item behind the candidate's criteria, once each.
export function candidateItems(candidate) {
  return [...new Set(Object.values(candidate.reasons || {}).flat())];
}

export function candidateList(candidates, { office, scheduleHref }) {
  if (!candidates.length) return el("p", { class: "empty" }, "目前没有单位达到约谈条件。");
  const columns = [
    { key: "unit", title: "单位", cell: (c) => (c.unit ? c.unit.name : c.name) },
    { key: "reasons", title: "约谈依据", cell: (c) => reasonsShown(c.reasons) },
    { key: "interviewsSoFar", title: "已约谈次数", cell: (c) => number(c.interviewsSoFar) },
    office ? { key: "act", title: "", cell: (c) => (c.unit ? el("a", { href: scheduleHref(c.unit.id), class: "schedule" }, "据此安排约谈") : "—") } : null,
  ].filter(Boolean);
  const shown = table(columns, candidates, { class: "candidates" });
  shown.querySelectorAll("tbody tr").forEach((row, i) => {
    row.dataset.unit = candidates[i].unit ? candidates[i].unit.id : "";
  });
  return shown;
}

// The units whose case looks serious (情节严重) by the policy's referral criteria: for the
// office and discipline inspection to weigh, never a referral by itself.
export function referralCandidateList(candidates) {
  if (!candidates.length) return el("p", { class: "empty" }, "目前没有单位达到移交纪检监察的参考条件。");
  const columns = [
    { key: "unit", title: "单位", cell: (c) => (c.unit ? c.unit.name : c.name) },
    { key: "reasons", title: "情节依据", cell: (c) => reasonsShown(c.reasons) },
    { key: "referralsSoFar", title: "已移交次数", cell: (c) => number(c.referralsSoFar) },
  ];
  const shown = table(columns, candidates, { class: "referral-candidates" });
  shown.querySelectorAll("tbody tr").forEach((row, i) => {
    row.dataset.unit = candidates[i].unit ? candidates[i].unit.id : "";
  });
  return shown;
}
