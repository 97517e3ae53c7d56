// The parts every view of an event shows: who did it, when (business time and record
// time, in Beijing time), whether it was back-dated or imported, and why.
import { el } from "../../common/dom.js";
import { ROLE, label, moment } from "../../common/labels.js";
import { WHY, fieldList, fieldName, valueText } from "./fields.js";
import { eventTypeName } from "./names.js";

const HOUR = 3600 * 1000;

export function eventTitle(event) {
  return el("span", { class: "event-type", title: `${event.itemType}.${event.type}` }, eventTypeName(event.itemType, event.type));
}

export function actorText(actor, unitNames) {
  const unit = actor.unit ? unitNames.get(actor.unit) || actor.unit : null;
  return [actor.id, label(ROLE, actor.role), unit].filter(Boolean).join(" · ");
}

export function actorPart(actor, unitNames) {
  return el("span", { class: "actor" }, actorText(actor, unitNames));
}

// How long after it happened an event was recorded, in words ("晚 3 天 2 小时记录").
export function lagText(event) {
  const hours = Math.floor((new Date(event.recordedAt) - new Date(event.occurredAt)) / HOUR);
  if (hours < 1) return "";
  const days = Math.floor(hours / 24);
  return `晚${days ? ` ${days} 天` : ""}${hours % 24 ? ` ${hours % 24} 小时` : ""}记录`;
}

export function timesPart(event) {
  return el(
    "div",
    { class: "times" },
    el("div", {}, el("span", { class: "axis" }, "业务时间 "), el("time", { class: "occurred", datetime: event.occurredAt }, moment(event.occurredAt))),
    el("div", {}, el("span", { class: "axis" }, "记录时间 "), el("time", { class: "recorded", datetime: event.recordedAt }, moment(event.recordedAt))),
  );
}

// The marks of an entry the reader must not miss: back-dated (recorded long after it
// happened, as the API flags it) and imported (entered from an earlier record).
export function marksPart(event) {
  return el(
    "div",
    { class: "marks" },
    event.backdated ? el("span", { class: "mark backdated", title: `业务时间早于记录时间：${lagText(event)}` }, "补录", el("small", {}, ` ${lagText(event)}`)) : null,
    event.imported ? el("span", { class: "mark imported", title: "由既有记录导入" }, "导入") : null,
  );
}

// Why: the reason, narrative or note the event carries, in full; then every other field,
// folded away.
export function whyPart(event, unitNames) {
  const data = event.data || {};
  const said = WHY.filter((key) => data[key] !== undefined && data[key] !== null && data[key] !== "");
  const rest = Object.keys(data).filter((key) => !said.includes(key));
  return el(
    "div",
    { class: "why" },
    said.map((key) => el("p", { dataset: { field: key } }, el("span", { class: "axis" }, `${fieldName(key)}：`), valueText(data[key], unitNames, key))),
    rest.length ? el("details", {}, el("summary", {}, `其他字段（${rest.length}）`), fieldList(data, unitNames, rest)) : null,
  );
}
