// The acts on an interview (the office holds it, records its follow-up or cancels it) and
// on a referral (the office or discipline inspection acknowledges it and records its
// outcome), one form each, offered in the states they fit.
import { mutationForm } from "../../common/form.js";

const lines = (name, label) => ({ name, label, type: "lines" });
const choice = (name, label, yes, no) => ({ name, label, type: "select", required: true, options: [["true", yes], ["false", no]] });
const asBoolean = (name) => (values) => ({ ...values, [name]: values[name] === "true" });

const INTERVIEW_ACTS = [
  {
    mutation: "holdInterview",
    title: "记录约谈",
    states: ["SCHEDULED"],
    fields: [
      { name: "facts", label: "查明的情况", type: "textarea", required: true },
      lines("commitments", "作出的承诺（每行一条）"),
      lines("demands", "整改要求（每行一条）"),
      { name: "rectifyBy", label: "整改期限", type: "date", required: true },
      { name: "occurredAt", label: "约谈举行时间（默认现在；不早于安排的约谈时间）", type: "datetime" },
    ],
    toInput: (values) => ({ commitments: [], demands: [], ...values }),
  },
  {
    mutation: "recordFollowUp",
    title: "跟踪问效",
    states: ["HELD", "FOLLOWED_UP"],
    fields: [{ name: "narrative", label: "整改落实情况", type: "textarea", required: true }, choice("rectified", "是否整改到位", "已整改到位", "未整改到位")],
    toInput: asBoolean("rectified"),
  },
  { mutation: "cancelInterview", title: "取消约谈", states: ["SCHEDULED"], fields: [{ name: "reason", label: "取消原因", type: "textarea", required: true }] },
];

const REFERRAL_ACTS = [
  { mutation: "acknowledgeReferral", title: "接收移交", states: ["MADE"], fields: [{ name: "note", label: "接收说明", type: "textarea" }] },
  {
    mutation: "recordReferralOutcome",
    title: "记录处理结果",
    states: ["ACKNOWLEDGED"],
    fields: [{ name: "outcome", label: "处理结果", type: "textarea", required: true }, choice("accountable", "是否追责", "已追责", "未追责")],
    toInput: asBoolean("accountable"),
  },
];

// Who may act: the office on both; discipline inspection on referrals.
const ACTORS = { Interview: ["OFFICE"], Referral: ["OFFICE", "INSPECTOR"] };
const IDS = { Interview: "interviewId", Referral: "referralId" };

function form(act, item, setting) {
  return mutationForm({
    mutation: act.mutation,
    title: act.title,
    fields: act.fields,
    fixed: { [IDS[item.__typename]]: item.id, expectedVersion: item.version },
    toInput: act.toInput,
    request: setting.request,
    onDone: (success) => setting.onDone(success, act.title),
  });
}

// The forms the role may use on the item: those fitting its state, and the others apart.
export function oversightActs(item, setting) {
  if (!ACTORS[item.__typename].includes(setting.me.role)) return { fitting: [], others: [] };
  const acts = item.__typename === "Interview" ? INTERVIEW_ACTS : REFERRAL_ACTS;
  return {
    fitting: acts.filter((act) => act.states.includes(item.state)).map((act) => form(act, item, setting)),
    others: acts.filter((act) => !act.states.includes(item.state)).map((act) => form(act, item, setting)),
  };
}
