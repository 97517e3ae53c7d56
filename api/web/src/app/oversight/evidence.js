// Picking a referral's evidence: the events of an item, each with its log position; a
// ticked event's position goes into the evidence field and its item into the cited items.
import { el, replace, table } from "../../common/dom.js";
import { requestProblem } from "../../common/errors.js";
import { ROLE, label, moment } from "../../common/labels.js";
import { eventTypeName } from "../timeline/names.js";
import { ITEM_EVENTS } from "./documents.js";

// An event's name in the users' words, by the type of the item it is of (`Task:<uuid>`
// names a task: a task's `Registered` is not a unit's)
const eventName = (itemId, type) => eventTypeName(String(itemId).split(":")[0], type);

function positionsOf(field) {
  return String(field.value)
    .split(/[\s,，、;；]+/)
    .filter(Boolean);
}

function tick(field, position, on) {
  const positions = positionsOf(field).filter((p) => p !== String(position));
  if (on) positions.push(String(position));
  field.value = positions.sort((a, b) => Number(a) - Number(b)).join(", ");
}

function cite(select, id) {
  for (const option of select.options) if (option.value === id) option.selected = true;
}

export function evidencePicker({ read, options, evidence, cited }) {
  const item = el("select", { id: "evidence-item", "aria-label": "事项" }, options.map(([id, name]) => el("option", { value: id }, name)));
  const shown = el("div", { class: "evidence-events" });
  async function list() {
    replace(shown, "正在读取…");
    try {
      const data = await read(ITEM_EVENTS, { id: item.value });
      const events = data.history ? data.history.eventPage.nodes : [];
      const listed = item.value;
      const chosen = new Set(positionsOf(evidence));
      const box = (e) =>
        el("input", {
          type: "checkbox",
          "aria-label": `位置 ${e.position}`,
          checked: chosen.has(String(e.position)) || null,
          onchange: (event) => {
            tick(evidence, e.position, event.target.checked);
            if (event.target.checked) cite(cited, item.value);
          },
        });
      const columns = [
        { key: "pick", title: "选取", cell: box },
        { key: "position", title: "位置", cell: (e) => e.position },
        { key: "type", title: "环节", cell: (e) => eventName(listed, e.type) },
        { key: "occurredAt", title: "发生时间", cell: (e) => moment(e.occurredAt) },
        { key: "actor", title: "记录人", cell: (e) => `${e.actor.id}（${label(ROLE, e.actor.role)}）` },
      ];
      replace(shown, table(columns, events, { class: "evidence" }));
    } catch (error) {
      replace(shown, el("p", { class: "problem", role: "alert" }, requestProblem(error)));
    }
  }
  return el(
    "fieldset",
    { class: "picker" },
    el("legend", {}, "从事项的记录中选取证据"),
    el("div", { class: "row" }, item, el("button", { type: "button", class: "secondary", onclick: list }, "列出事件")),
    shown,
  );
}
