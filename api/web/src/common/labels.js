// The ledger's names in the users' words: every enum value of the API in Chinese, and
// the formats figures are shown in.

// Every table is the product's own (api/labels.py, as the exports say it), written to
// labels.json by `ledger export-labels`; a test keeps the two in step.
import TABLES from "./labels.json";

export const CHANNEL = TABLES.Channel;
export const CHANNELS = Object.keys(CHANNEL);
export const LIGHT = TABLES.Light;
export const LIGHT_COLOR = { GREEN: "#2fb36d", YELLOW: "#f0b429", RED: "#e5484d" };
export const TIER = TABLES.Tier;
export const TASK_STATE = TABLES.TaskState;
export const COMPLAINT_STATE = TABLES.ComplaintState;
export const INTERVIEW_STATE = TABLES.InterviewState;
export const REFERRAL_STATE = TABLES.ReferralState;
export const LEGACY_STATE = TABLES.LegacyState;
export const LEGACY_CATEGORY = TABLES.LegacyCategory;
export const ROLE = TABLES.Role;
export const UNIT_KIND = TABLES.UnitKind;
export const VERDICT = TABLES.Verdict;
export const ASSESSMENT_KIND = TABLES.AssessmentKind;
export const TARGET_SHORTFALL = TABLES.TargetShortfall;
export const SCORE_TERM = TABLES.ScoreTerm;

export function label(table, value) {
  return (value && table[value]) || value || "—";
}

// A rate as the API gives it: already a percentage, one decimal (projections/rates.py).
export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${Number(rate).toFixed(1)}%`;
}

export function number(value) {
  return value === null || value === undefined ? "—" : Number(value).toLocaleString("zh-CN");
}

// A business date (YYYY-MM-DD) as the users write it.
export function date(value) {
  if (!value) return "—";
  const [y, m, d] = String(value).slice(0, 10).split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

// A moment (ISO with offset) in Beijing time.
export function moment(value) {
  if (!value) return "—";
  const shown = new Date(value).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  return shown;
}
