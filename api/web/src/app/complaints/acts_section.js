// The forms of an item's page: those fitting its state first, the others folded away
// (their refusal, if the API refuses, is shown beside the form like any other).
import { el } from "../../common/dom.js";

export function actsSection({ fitting, others }) {
  if (!fitting.length && !others.length) return null;
  return el(
    "section",
    { class: "acts" },
    el("h2", {}, "办理"),
    fitting.length ? el("div", { class: "forms" }, fitting) : el("p", { class: "hint" }, "当前状态下没有待办环节。"),
    others.length
      ? el("details", { class: "other-acts" }, el("summary", {}, `其他操作（${others.length} 项，当前状态通常不适用，提交后由系统判断）`), el("div", { class: "forms" }, others))
      : null,
  );
}
