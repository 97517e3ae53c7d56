// The office refers a unit to discipline inspection (移交纪检监察), citing the evidence by
// log position: typed in, or ticked from the events of an item (the picker below).
import { el } from "../../common/dom.js";
import { mutationForm } from "../../common/form.js";
import { evidencePicker } from "./evidence.js";
import { citableOptions } from "./schedule.js";

// "136, 137 138" -> [136, 137, 138]
export function positionsIn(text) {
  return String(text || "")
    .split(/[\s,，、;；]+/)
    .filter(Boolean)
    .map(Number);
}

export function referForm({ read, request, citable, onDone }) {
  const options = citableOptions(citable);
  const form = mutationForm({
    mutation: "referToDiscipline",
    title: "移交纪检监察",
    fields: [
      { name: "unit", label: "被移交单位", type: "select", required: true, options: citable.units.map((u) => [u.id, u.name]) },
      { name: "reason", label: "移交事由", type: "textarea", required: true },
      { name: "evidence", label: "证据（台账事件位置，以逗号分隔）", required: true, hint: "可直接填写，或在右侧从事项的记录中勾选" },
      { name: "persons", label: "涉及人员（每行一人）", type: "lines" },
      { name: "citedItems", label: "相关事项（可多选）", type: "select", multiple: true, options },
    ],
    toInput: (values) => ({ ...values, evidence: positionsIn(values.evidence) }),
    request,
    onDone,
  });
  const evidence = form.querySelector('[name="evidence"]');
  evidence.setAttribute("pattern", "[0-9\\s,，、;；]*[0-9][0-9\\s,，、;；]*");
  evidence.setAttribute("title", "请填写事件位置（正整数），以逗号分隔");
  evidence.setAttribute("inputmode", "numeric");
  const cited = form.querySelector('[name="citedItems"]');
  return el("div", { class: "refer" }, form, evidencePicker({ read, options, evidence, cited }));
}
