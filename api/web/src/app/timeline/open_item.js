// Open any item's timeline by its id: a global id (Task:<uuid>, Complaint:<uuid>, ...) or
// the bare uuid of the log.
import { el, replace } from "../../common/dom.js";
import { timelinePath } from "./names.js";

const ID = /^([A-Za-z]+:)?[0-9a-fA-F-]{32,36}$/;

export function openItemForm(context, current) {
  const field = el("input", { id: "open-item", name: "item", type: "text", value: current, placeholder: "Task:… / Complaint:… / Referral:…", size: 52, "aria-describedby": "open-item-problem" });
  const problem = el("p", { id: "open-item-problem", class: "field-problem", role: "alert" });
  function submit(event) {
    event.preventDefault();
    const id = field.value.trim();
    if (!ID.test(id)) {
      field.setAttribute("aria-invalid", "true");
      return replace(problem, "请输入事项编号，如 Task:1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    }
    context.navigate(timelinePath(null, id));
  }
  return el("form", { class: "open-item", onsubmit: submit }, el("label", { for: "open-item" }, "事项编号"), field, el("button", { type: "submit" }, "打开时间线"), problem);
}
