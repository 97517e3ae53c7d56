// Personal data (complainants' names and phones) only for a stated purpose: the office and
// inspectors write why they read it; the page passes it to the API as `purpose`, which
// shows the data in clear and records the read, with its purpose, in the audit trail.
// Other roles are told the data stays masked.
import { el, replace } from "../../common/dom.js";
import { requestProblem } from "../../common/errors.js";

const MAY_OPEN = ["OFFICE", "INSPECTOR"];
const MASKED = "投诉人姓名、电话已遮蔽显示。";

// onPurpose(purpose or null) reads again with it; a refusal is shown beside the field.
export function purposeForm(me, onPurpose) {
  if (!MAY_OPEN.includes(me.role)) {
    return el("p", { class: "purpose hint" }, `${MASKED}您的角色不能查看个人信息。`);
  }
  const field = el("input", { id: "purpose", name: "purpose", type: "text", maxlength: 500, placeholder: "例如：核查12345工单办理情况", "aria-describedby": "purpose-status" });
  const status = el("p", { id: "purpose-status", class: "purpose-status", role: "status" }, `${MASKED}如需查看，请填写查阅目的。`);
  const mask = el("button", { type: "button", class: "secondary", hidden: true, onclick: () => use(null) }, "恢复遮蔽");

  async function use(purpose) {
    field.removeAttribute("aria-invalid");
    try {
      await onPurpose(purpose);
      mask.hidden = purpose === null;
      if (purpose === null) field.value = "";
      replace(
        status,
        purpose === null ? `${MASKED}如需查看，请填写查阅目的。` : `已按查阅目的“${purpose}”明文显示。本次查阅及其目的已记入审计记录（个人信息查阅）；此后在本页的每次查询也都会记录。`,
      );
    } catch (error) {
      field.setAttribute("aria-invalid", "true");
      replace(status, requestProblem(error));
    }
  }

  function submit(event) {
    event.preventDefault();
    const purpose = field.value.trim();
    if (!purpose) {
      field.setAttribute("aria-invalid", "true");
      replace(status, "请先填写查阅目的：查看个人信息须说明目的，并将被记录。");
      return;
    }
    use(purpose);
  }

  return el(
    "form",
    { class: "purpose", onsubmit: submit },
    el("label", { for: "purpose" }, "查阅目的"),
    field,
    el("button", { type: "submit" }, "按此目的查看个人信息"),
    mask,
    status,
  );
}
