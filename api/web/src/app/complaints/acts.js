// The everyday acts on a case, one form each: who may do it (the office does every act; a
// unit signs for, returns, replies to and reports the rectification of the cases
// dispatched to it), the states it fits (from the lifecycle: the API is the judge, the
// page only suggests), and its fields.
import { mutationForm } from "../../common/form.js";

const OPEN = ["RECEIVED", "DISPATCHED", "RETURNED", "SIGNED_FOR", "VERIFIED", "UNFOUNDED", "APPEAL_UPHELD", "RECTIFIED", "CALLED_BACK"];
const UNIT_ACTS = new Set(["signForComplaint", "returnComplaint", "replyToComplaint", "requestMaterials", "reportRectification"]);

const note = (label) => ({ name: "note", label, type: "textarea" });
const choice = (name, label, yes, no) => ({ name, label, type: "select", required: true, options: [["true", yes], ["false", no]] });
const asBoolean = (name) => (values) => ({ ...values, [name]: values[name] === "true" });

const text = (name, label) => ({ name, label, type: "textarea", required: true });
const unitChoice = (name, label, options, value) => ({ name, label, type: "select", required: true, options, value });
const inState = (...states) => (c) => states.includes(c.state);

// The unit acting: a unit's staff act for their own unit; the office names it.
function actingUnit(c, { me, unitOptions }) {
  if (me.role === "UNIT") return { fixed: { unit: me.unit.id }, fields: [] };
  return { fixed: {}, fields: [unitChoice("unit", "承办单位", unitOptions, c.handlingUnit && c.handlingUnit.id)] };
}

const ACTS = [
  {
    mutation: "dispatchComplaint",
    title: "派发",
    fits: inState("RECEIVED", "RETURNED"),
    fields: (c, s) => [unitChoice("unit", "派发至", s.unitOptions, c.subjectUnit && c.subjectUnit.id)],
  },
  { mutation: "signForComplaint", title: "签收", fits: inState("DISPATCHED"), unit: actingUnit },
  { mutation: "returnComplaint", title: "退单", fits: inState("DISPATCHED", "SIGNED_FOR"), unit: actingUnit, fields: () => [text("reason", "退单理由")] },
  {
    mutation: "replyToComplaint",
    title: "首次答复",
    fits: (c) => inState("DISPATCHED", "SIGNED_FOR", "VERIFIED", "UNFOUNDED")(c) && !c.firstRepliedOn,
    fields: () => [text("text", "答复内容")],
  },
  {
    // 一次告知: every missing item listed at once; a later request naming anything new is
    // recorded as a breach against the handling unit
    mutation: "requestMaterials",
    title: "一次性告知补正材料",
    fits: inState("SIGNED_FOR", "VERIFIED"),
    fields: () => [
      { name: "items", label: "需补正的材料（每行一项，须一次列全）", type: "lines", required: true },
      note("说明"),
    ],
  },
  {
    mutation: "verifyComplaint",
    title: "核实",
    fits: inState("SIGNED_FOR"),
    fields: () => [choice("founded", "核实结论", "属实", "不属实"), text("finding", "核实情况")],
    toInput: asBoolean("founded"),
  },
  {
    mutation: "reviewAppeal",
    title: "申诉复核",
    fits: inState("UNFOUNDED"),
    fields: () => [choice("upheld", "复核结论", "申诉成立", "申诉不成立"), text("note", "复核意见")],
    toInput: asBoolean("upheld"),
  },
  {
    mutation: "reportRectification",
    title: "报告整改",
    fits: inState("VERIFIED"),
    fields: () => [text("narrative", "整改情况"), { name: "evidence", label: "佐证材料（每行一项）", type: "lines" }],
  },
  {
    mutation: "callBack",
    title: "回访",
    fits: inState("RECTIFIED"),
    fields: () => [choice("satisfied", "回访结果", "满意", "不满意"), note("回访记录")],
    toInput: asBoolean("satisfied"),
  },
  { mutation: "reopenComplaint", title: "重新办理", fits: (c) => c.state === "CALLED_BACK" && c.satisfied === false, fields: () => [text("reason", "重新办理原因")] },
  { mutation: "closeComplaint", title: "办结", fits: inState("CALLED_BACK", "APPEAL_UPHELD"), fields: () => [note("办结说明")] },
  {
    mutation: "extendComplaintDeadline",
    title: "延长办理时限",
    fits: inState(...OPEN),
    fields: () => [{ name: "workingDays", label: "延长工作日数", type: "number", required: true, min: 1 }, text("reason", "延期理由")],
  },
  {
    mutation: "handOverComplaint",
    title: "移交责任单位",
    fits: inState(...OPEN),
    fields: (c, s) => [unitChoice("toUnit", "移交至", s.unitOptions.filter(([id]) => !c.accountableUnit || id !== c.accountableUnit.id)), note("移交说明")],
  },
  {
    mutation: "grantReward",
    title: "发放找茬儿奖励",
    fits: (c) => c.state === "CLOSED" && c.channel === "FAULT_FINDING" && c.founded === true && !c.rewardYuan,
    fields: () => [{ name: "amountYuan", label: "奖励金额（元）", type: "number", required: true, min: 1 }, note("说明")],
  },
];

// Whether the signed-in role may do `act` on the case: the office every act; a unit's
// staff their own steps, on a case dispatched to their unit.
function allowed(act, c, me) {
  if (me.role === "OFFICE") return true;
  if (me.role !== "UNIT" || !UNIT_ACTS.has(act.mutation)) return false;
  return Boolean(me.unit && c.handlingUnit && c.handlingUnit.id === me.unit.id);
}

function form(act, c, setting) {
  const acting = act.unit ? act.unit(c, setting) : { fixed: {}, fields: [] };
  return mutationForm({
    mutation: act.mutation,
    title: act.title,
    fields: [...acting.fields, ...(act.fields ? act.fields(c, setting) : [])],
    fixed: { complaintId: c.id, expectedVersion: c.version, ...acting.fixed },
    toInput: act.toInput,
    request: setting.request,
    onDone: (success) => setting.onDone(success, act.title),
  });
}

// The forms the signed-in role may use on the case: those that fit its state, and the
// others apart (the API says why it refuses them).
export function complaintActs(c, setting) {
  const mine = ACTS.filter((act) => allowed(act, c, setting.me));
  return {
    fitting: mine.filter((act) => act.fits(c)).map((act) => form(act, c, setting)),
    others: mine.filter((act) => !act.fits(c)).map((act) => form(act, c, setting)),
  };
}
