// The oversight page's state lives in the hash (#/oversight?interviewState=HELD&interview=<id>...):
// the lists' filters and pages, the item opened, the candidate an interview is being
// scheduled for.
import { INTERVIEW_STATE, REFERRAL_STATE } from "../../common/labels.js";

export const PAGE_SIZE = 20;
const KEYS = ["interviewState", "referralState", "unit", "interview", "referral", "schedule"];

function trailOf(query, name) {
  return (query.get(name) || "").split(" ").filter(Boolean);
}

export function oversightParams(query) {
  const params = Object.fromEntries(KEYS.map((key) => [key, query.get(key) || ""]));
  if (!(params.interviewState in INTERVIEW_STATE)) params.interviewState = "";
  if (!(params.referralState in REFERRAL_STATE)) params.referralState = "";
  return {
    ...params,
    interviews: { after: query.get("interviewsAfter") || "", trail: trailOf(query, "interviewsTrail") },
    referrals: { after: query.get("referralsAfter") || "", trail: trailOf(query, "referralsTrail") },
  };
}

// The hash for the params with `changes`; a new filter starts both lists at page one.
export function oversightHash(params, changes = {}) {
  const filtering = ["interviewState", "referralState", "unit"].some((key) => key in changes);
  const first = { after: "", trail: [] };
  const next = { ...params, ...(filtering ? { interviews: first, referrals: first } : {}), ...changes };
  const query = new URLSearchParams();
  for (const key of KEYS) if (next[key]) query.set(key, next[key]);
  for (const list of ["interviews", "referrals"]) {
    if (next[list].after) query.set(`${list}After`, next[list].after);
    if (next[list].trail.length) query.set(`${list}Trail`, next[list].trail.join(" "));
  }
  const rest = query.toString();
  return `#/oversight${rest ? `?${rest}` : ""}`;
}

export function listFilters(params) {
  const interviewFilter = {};
  const referralFilter = {};
  if (params.unit) interviewFilter.unit = referralFilter.unit = params.unit;
  if (params.interviewState) interviewFilter.states = [params.interviewState];
  if (params.referralState) referralFilter.states = [params.referralState];
  return { interviewFilter, referralFilter };
}
