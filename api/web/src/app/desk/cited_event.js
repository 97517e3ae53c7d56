// One event cited as evidence, shown in full: where it stands in the log (its position and
// its value in the seal chain), which item and version, who recorded it and when on both
// time axes, its marks, its request, and every field it carries.
import { el } from "../../common/dom.js";
import { actorText, eventTitle, lagText, marksPart } from "../timeline/event_parts.js";
import { fieldList } from "../timeline/fields.js";
import { itemTypeName, timelinePath } from "../timeline/names.js";
import { moment } from "../../common/labels.js";

function fact(name, shown, value) {
  return [el("dt", {}, shown), el("dd", { dataset: { fact: name } }, value)];
}

export function citedEvent(event, unitNames) {
  const item = `${event.itemType}:${event.itemId}`;
  return el(
    "article",
    { class: `cited-event${event.backdated ? " backdated" : ""}`, dataset: { position: event.position } },
    el("h3", {}, `位置 ${event.position} · ${itemTypeName(event.itemType)} · `, eventTitle(event), " ", marksPart(event)),
    el(
      "dl",
      { class: "facts" },
      fact("item", "事项", el("a", { href: `#${timelinePath(event.itemType, event.itemId)}` }, item)),
      fact("version", "事项版本", String(event.version)),
      fact("actor", "操作人", actorText(event.actor, unitNames)),
      fact("occurredAt", "业务时间（北京时间）", moment(event.occurredAt)),
      fact("recordedAt", "记录时间（北京时间）", `${moment(event.recordedAt)}${event.backdated ? `（${lagText(event)}）` : ""}`),
      fact("requestId", "请求编号", el("code", {}, event.requestId || "—")),
      fact("chain", "封印链值（SHA-256）", event.chain ? el("code", {}, event.chain) : "尚未封存"),
    ),
    el("h4", {}, "事件内容（全部字段）"),
    fieldList(event.data || {}, unitNames),
  );
}

export function missingCitation(position) {
  return el(
    "article",
    { class: "cited-event missing", dataset: { position } },
    el("h3", {}, `位置 ${position}`),
    el("p", { class: "problem" }, "该位置没有您可查看的事件（可能是台账内部的回执记录，或您的角色无权查看）。"),
  );
}
