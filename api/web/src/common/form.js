// A form for one mutation: its fields, labelled in Chinese; on submit the mutation is sent
// once (with an idempotency key, so a double click or a resent request writes nothing
// twice) and its answer shown: success, or the typed error in plain Chinese beside the
// field it concerns (a ValidationError names the input field), else above the button.
//
// mutationForm({
//   mutation: "assignTask",                 // the Mutation field; its input type is AssignTaskInput
//   title: "交办",                           // the form's heading and button
//   fields: [                               // in order; `name` is the input's field name
//     { name: "deadline", label: "办结时限", type: "date", required: true },
//     { name: "leadUnits", label: "牵头单位", type: "select", multiple: true, options: [[id, name], ...] },
//     { name: "narrative", label: "进展情况", type: "textarea" },
//     { name: "percent", label: "完成进度（%）", type: "number", min: 0, max: 100 },
//     { name: "evidence", label: "佐证材料", type: "lines" },        // one entry a line -> [String]
//     { name: "urgent", label: "加急", type: "checkbox" },
//     { name: "occurredAt", label: "发生时间", type: "datetime" },  // Beijing time -> DateTime
//     { name: "who", label: "姓名", errorFor: ["people"] },  // shows the API's refusals of `people`
//   ],
//   fixed: { taskId: "Task:..." },           // input fields sent as they are
//   toInput: (values) => values,             // optional: reshape the values before sending; it may
//                                            // throw an ApiError(message, code, field) shown beside the field
//   request,                                 // context.request
//   onDone: (success) => {},                 // after a MutationSuccess
// })
import { el, replace } from "./dom.js";
import { requestProblem, typedProblem } from "./errors.js";

const RESULT = `__typename
  ... on MutationSuccess { itemId version position replayed }
  ... on UserError { message }
  ... on ValidationError { field }
  ... on NotFound { itemType missingId: itemId }
  ... on ConcurrencyConflict { currentVersion }
  ... on InvalidTransition { itemType state step }
  ... on Forbidden { action role }`;

function inputTypeOf(mutation) {
  return `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
}

export function mutationDocument(mutation) {
  return `mutation Act($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { ${RESULT} } }`;
}

function control(spec, id) {
  const common = { id, name: spec.name, required: spec.required || null, "aria-describedby": `${id}-problem` };
  switch (spec.type) {
    case "textarea":
    case "lines":
      return el("textarea", { ...common, rows: spec.rows || 3 }, spec.value || "");
    case "select":
      return el(
        "select",
        { ...common, multiple: spec.multiple || null, size: spec.multiple ? Math.max(2, Math.min(8, spec.options.length)) : null },
        spec.multiple || spec.required ? null : el("option", { value: "" }, "—"),
        spec.options.map(([value, shown]) => el("option", { value, selected: spec.value === value || null }, shown)),
      );
    case "checkbox":
      return el("input", { ...common, type: "checkbox", checked: spec.value || null });
    case "number":
      return el("input", { ...common, type: "number", min: spec.min, max: spec.max, step: spec.step || 1, value: spec.value });
    case "date":
      return el("input", { ...common, type: "date", value: spec.value });
    case "datetime":
      return el("input", { ...common, type: "datetime-local", value: spec.value });
    default:
      return el("input", { ...common, type: "text", value: spec.value, maxlength: spec.maxLength });
  }
}

function valueOf(spec, node) {
  switch (spec.type) {
    case "checkbox":
      return node.checked;
    case "number":
      return node.value === "" ? null : Number(node.value);
    case "lines":
      return node.value.split("\n").map((line) => line.trim()).filter(Boolean);
    case "select":
      return spec.multiple ? [...node.selectedOptions].map((option) => option.value) : node.value || null;
    case "datetime":
      return node.value ? `${node.value.length === 16 ? `${node.value}:00` : node.value}+08:00` : null;
    default:
      return node.value.trim() === "" ? null : node.value.trim();
  }
}

function newKey() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return `page-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function mutationForm({ mutation, title, fields, fixed = {}, toInput = (values) => values, request, onDone = () => {} }) {
  const prefix = `${mutation}-`;
  const controls = new Map();
  const problems = new Map();
  const rows = fields.map((spec) => {
    const id = `${prefix}${spec.name}`;
    const node = control(spec, id);
    const problem = el("p", { id: `${id}-problem`, class: "field-problem", role: "alert" });
    controls.set(spec.name, node);
    problems.set(spec.name, problem);
    return el("div", { class: `field field-${spec.type || "text"}` }, el("label", { for: id }, spec.label), node, spec.hint ? el("p", { class: "hint" }, spec.hint) : null, problem);
  });
  const general = el("p", { class: "form-problem problem", role: "alert" });
  const done = el("p", { class: "form-done", role: "status" });
  const button = el("button", { type: "submit" }, title);
  let key = newKey();
  const form = el("form", { class: "act", dataset: { mutation }, onsubmit: submit }, el("h3", {}, title), rows, general, button, done);

  function clear() {
    for (const [name, node] of controls) {
      node.removeAttribute("aria-invalid");
      replace(problems.get(name));
    }
    replace(general);
    replace(done);
  }

  // the control an API field's refusal is shown beside: its own, or the one whose spec says
  // it gives that field (`errorFor`: a person's name and post typed apart, sent as a list)
  function controlFor(field) {
    const head = field && field.split(".")[0];
    if (head && controls.has(head)) return head;
    const giving = fields.find((spec) => (spec.errorFor || []).includes(head));
    return giving ? giving.name : null;
  }

  function show(field, text) {
    const name = controlFor(field);
    if (name) {
      controls.get(name).setAttribute("aria-invalid", "true");
      replace(problems.get(name), text);
      controls.get(name).focus();
    } else {
      replace(general, text);
    }
  }

  async function submit(event) {
    event.preventDefault();
    clear();
    const values = {};
    for (const spec of fields) {
      const value = valueOf(spec, controls.get(spec.name));
      if (value !== null && !(Array.isArray(value) && value.length === 0 && !spec.required)) values[spec.name] = value;
    }
    button.disabled = true;
    try {
      // toInput may refuse what it cannot read by throwing an ApiError naming the field
      const input = { ...toInput(values), ...fixed, idempotencyKey: key };
      const data = await request(mutationDocument(mutation), { input });
      const result = data[mutation];
      if (result.__typename === "MutationSuccess") {
        key = newKey(); // the next submission is another act
        replace(done, result.replayed ? "已提交过，未重复记录" : "已记录");
        await onDone(result);
      } else {
        show(result.field, typedProblem(result));
      }
    } catch (error) {
      show(error.field, requestProblem(error));
    } finally {
      button.disabled = false;
    }
  }
  return form;
}
