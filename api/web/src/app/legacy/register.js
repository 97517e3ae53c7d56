// The office registers a legacy problem in the master ledger (登记历史遗留问题); its page
// opens next, where the plan to resolve it is adopted.
import "../item.css";
import { el } from "../../common/dom.js";
import { mutationForm } from "../../common/form.js";
import { LEGACY_CATEGORY, TIER } from "../../common/labels.js";
import { recordWrite } from "../writes.js";

const TARGET_YEARS = [2021, 2022, 2025];

// The first target year a problem registered today may have (the ledger's today).
function firstTargetYear(today) {
  const year = Number(String(today).slice(0, 4));
  return TARGET_YEARS.find((target) => target >= year) || year;
}

export function registerLegacyForm(context, units, today) {
  const form = mutationForm({
    mutation: "registerLegacyIssue",
    title: "登记问题",
    fields: [
      { name: "title", label: "问题名称", type: "text", required: true, maxLength: 500 },
      { name: "category", label: "类别", type: "select", required: true, options: Object.entries(LEGACY_CATEGORY) },
      { name: "cause", label: "形成原因", type: "textarea", required: true },
      { name: "parties", label: "涉及当事方", type: "lines", hint: "每行一个" },
      { name: "responsibleUnit", label: "责任单位", type: "select", required: true, options: units.filter((u) => u.state === "ACTIVE").map((u) => [u.id, u.name]) },
      { name: "tier", label: "化解层级", type: "select", required: true, options: Object.entries(TIER), value: "TASK_FORCE" },
      { name: "targetYear", label: "目标年度", type: "number", required: true, value: firstTargetYear(today), hint: "2021、2022、2025中不早于今年的一年；2025年以后为今年或以后" },
      { name: "baseline", label: "属于摸底基数", type: "checkbox", hint: "不勾选即为基数后新增的问题" },
    ],
    request: context.request,
    onDone: (success) => {
      recordWrite(success, "登记问题");
      context.navigate(`/legacy/${success.itemId}`);
    },
  });
  return el("details", { class: "register" }, el("summary", {}, "登记新的历史遗留问题"), form);
}
