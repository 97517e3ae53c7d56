// The office schedules an interview (约谈) of a unit head, citing the items behind it; from
// a candidate's row the form comes filled in with its unit, criteria and items.
import { mutationForm } from "../../common/form.js";
import { candidateItems, reasonsShown } from "./candidates.js";
import { itemName, itemsByIds } from "./items.js";

// The items a form may cite, as [global id, name]: the candidate's first, then the plan's
// tasks and the overdue cases.
export function citableOptions(citable, first = []) {
  const tasks = citable.tasks.nodes.map((task) => ({ ...task, __typename: "Task" }));
  const complaints = citable.complaints.nodes.map((complaint) => ({ ...complaint, __typename: "Complaint" }));
  const nodes = [...first.filter(Boolean), ...tasks, ...complaints];
  const seen = new Set();
  return nodes.filter((node) => !seen.has(node.id) && seen.add(node.id)).map((node) => [node.id, itemName(node)]);
}

export function selectAll(form, name, values) {
  const wanted = new Set(values);
  const select = form.querySelector(`[name="${name}"]`);
  for (const option of select.options) option.selected = wanted.has(option.value);
}

export async function scheduleForm({ read, request, citable, candidate, onDone }) {
  const cited = candidate ? await itemsByIds(read, candidateItems(candidate)) : [];
  const units = citable.units.map((unit) => [unit.id, unit.name]);
  const form = mutationForm({
    mutation: "scheduleInterview",
    title: "安排约谈",
    fields: [
      { name: "unit", label: "约谈单位", type: "select", required: true, options: units, value: candidate && candidate.unit ? candidate.unit.id : undefined },
      { name: "intervieweeName", label: "约谈对象姓名", required: true, maxLength: 200, errorFor: ["interviewees", "interviewee"] },
      { name: "intervieweePost", label: "约谈对象职务（如 局长、主任）", required: true, maxLength: 200 },
      { name: "reason", label: "约谈事由", type: "textarea", required: true, value: candidate ? `达到约谈条件：${reasonsShown(candidate.reasons)}` : "" },
      { name: "citedItems", label: "依据事项（可多选）", type: "select", multiple: true, required: true, options: citableOptions(citable, cited) },
      { name: "scheduledFor", label: "约谈时间", type: "datetime", required: true },
      { name: "occurredAt", label: "安排时间（补录时填写，默认现在）", type: "datetime" },
    ],
    toInput: ({ intervieweeName, intervieweePost, ...values }) => ({
      ...values,
      interviewees: [{ name: intervieweeName, post: intervieweePost }],
    }),
    request,
    onDone,
  });
  selectAll(form, "citedItems", cited.filter(Boolean).map((node) => node.id));
  return form;
}
