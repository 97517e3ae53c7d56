// The office registers a new work item (登记督办事项) from the board; its page opens next,
// where it is assigned.
import "../item.css";
import { el } from "../../common/dom.js";
import { mutationForm } from "../../common/form.js";
import { recordWrite } from "../writes.js";

export function registerTaskForm(context) {
  const form = mutationForm({
    mutation: "registerTask",
    title: "登记事项",
    fields: [
      { name: "planYear", label: "年度", type: "number", min: 2000, required: true },
      { name: "number", label: "序号", type: "number", hint: "在年度工作要点中的序号，从1起" },
      { name: "section", label: "所属部分", type: "text", maxLength: 200 },
      { name: "title", label: "事项名称", type: "text", required: true, maxLength: 500 },
      { name: "description", label: "工作内容", type: "textarea", rows: 4 },
    ],
    request: context.request,
    onDone: (success) => {
      recordWrite(success, "登记事项");
      context.navigate(`/tasks/${success.itemId}`);
    },
  });
  return el("details", { class: "register" }, el("summary", {}, "登记新的督办事项"), form);
}
