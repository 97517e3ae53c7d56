// The audit trail's search form: actor, the actor's unit, item, item type, event type,
// business time and record time ranges (Beijing time), back-dated entries only, imports
// left out. It gives the API's EventFilter; a link may fill it (#/desk?itemId=...).
import { el } from "../../common/dom.js";
import { beijingMoment, momentField } from "../timeline/beijing.js";
import { ITEM_TYPE, eventTypes } from "../timeline/names.js";

const TEXTS = [
  ["actorId", "操作人账号", "如 demo office#771c8771"],
  ["itemId", "事项编号", "Task:… / Complaint:…"],
];
const MOMENTS = [
  ["occurredFrom", "业务时间 起"],
  ["occurredTo", "业务时间 止"],
  ["recordedFrom", "记录时间 起"],
  ["recordedTo", "记录时间 止"],
];
const CHECKS = [
  ["backdatedOnly", "只看补录（记录时间远晚于业务时间）"],
  ["excludeImported", "排除导入的既有记录"],
];

function field(name, shown, control) {
  return el("div", { class: `field field-${name}` }, el("label", { for: `trail-${name}` }, shown), control);
}

function selects(units) {
  const unit = el("select", { id: "trail-unit", name: "unit" }, el("option", { value: "" }, "全部单位"), units.map(([id, name]) => el("option", { value: id }, name)));
  const itemType = el("select", { id: "trail-itemType", name: "itemType" }, el("option", { value: "" }, "全部类型"), Object.entries(ITEM_TYPE).map(([value, shown]) => el("option", { value }, shown)));
  const groups = new Map();
  for (const [type, name, shown] of eventTypes()) {
    if (!groups.has(type)) groups.set(type, el("optgroup", { label: ITEM_TYPE[type] }));
    groups.get(type).append(el("option", { value: `${type}.${name}` }, `${ITEM_TYPE[type]} · ${shown}`));
  }
  const eventType = el("select", { id: "trail-eventType", name: "eventType" }, el("option", { value: "" }, "全部事件"), [...groups.values()]);
  // an event type belongs to one item type: picking it picks that too
  eventType.addEventListener("change", () => {
    if (eventType.value) itemType.value = eventType.value.split(".")[0];
  });
  itemType.addEventListener("change", () => {
    if (eventType.value && !eventType.value.startsWith(`${itemType.value}.`)) eventType.value = "";
  });
  return { unit, itemType, eventType };
}

// units: [[global id, name], ...]; given: the route's query (URLSearchParams) to fill it.
export function trailSearch(units, given, onSearch) {
  const controls = {};
  for (const [name, , hint] of TEXTS) controls[name] = el("input", { id: `trail-${name}`, name, type: "text", placeholder: hint, value: given.get(name) || "" });
  for (const [name] of MOMENTS) controls[name] = momentField(`trail-${name}`, name, given.get(name) || "");
  for (const [name] of CHECKS) controls[name] = el("input", { id: `trail-${name}`, name, type: "checkbox", checked: given.get(name) === "true" || null });
  Object.assign(controls, selects(units));
  for (const name of ["unit", "itemType", "eventType"]) if (given.get(name)) controls[name].value = given.get(name);

  function filter() {
    const found = {};
    for (const [name] of TEXTS) if (controls[name].value.trim()) found[name] = controls[name].value.trim();
    if (controls.unit.value) found.unit = controls.unit.value;
    if (controls.itemType.value) found.itemType = controls.itemType.value;
    if (controls.eventType.value) [found.itemType, found.eventType] = controls.eventType.value.split(".");
    for (const [name] of MOMENTS) if (controls[name].value) found[name] = beijingMoment(controls[name].value);
    for (const [name] of CHECKS) if (controls[name].checked) found[name] = true;
    return found;
  }

  function clear() {
    for (const control of Object.values(controls)) {
      if (control.type === "checkbox") control.checked = false;
      else control.value = "";
    }
    onSearch(filter());
  }

  const form = el(
    "form",
    { class: "trail-search", onsubmit: (event) => (event.preventDefault(), onSearch(filter())) },
    el(
      "div",
      { class: "grid" },
      TEXTS.map(([name, shown]) => field(name, shown, controls[name])),
      field("unit", "操作人单位", controls.unit),
      field("itemType", "事项类型", controls.itemType),
      field("eventType", "事件类型", controls.eventType),
      MOMENTS.map(([name, shown]) => field(name, `${shown}（北京时间）`, controls[name])),
    ),
    el("div", { class: "checks" }, CHECKS.map(([name, shown]) => el("label", { class: "check" }, controls[name], ` ${shown}`))),
    el("div", { class: "buttons" }, el("button", { type: "submit" }, "查询"), el("button", { type: "button", class: "secondary", onclick: clear }, "清空条件")),
  );
  return { node: form, filter };
}
