// 导出Excel: a list's 台账 downloaded from GET /exports/{list}.xlsx with the tab's token.
// A plain link cannot send the Authorization header, so the page fetches the file, makes a
// blob of it and clicks a temporary link to save it. Complainants' names and phones come
// masked unless the user chooses to include them and states why (recorded as a Disclosure).
import { el } from "../common/dom.js";

const PERSONAL_ROLES = ["OFFICE", "INSPECTOR"];

function fileName(response, fallback) {
  const header = response.headers.get("content-disposition") || "";
  const encoded = /filename\*=utf-8''([^;]+)/i.exec(header);
  return encoded ? decodeURIComponent(encoded[1]) : fallback;
}

async function problem(response) {
  try {
    const body = await response.json();
    return body.errors[0].message;
  } catch {
    return `导出失败（${response.status}）`;
  }
}

// Ask whether to include personal data; null when the user gives up.
function personalData(context, personal) {
  if (!personal || !PERSONAL_ROLES.includes(context.me.role)) return {};
  if (!window.confirm("是否包含投诉人姓名和联系电话？（选“取消”则导出脱敏数据）")) return {};
  const purpose = (window.prompt("请填写查看个人信息的事由（将记入审计日志）") || "").trim();
  return purpose ? { purpose } : null;
}

// The button: `list` as in /exports/{list}.xlsx, `params` its query (period, asOf).
export function exportButton(context, list, params = {}, { personal = false } = {}) {
  const status = el("span", { class: "export-status", role: "status" });
  const click = async (event) => {
    const button = event.currentTarget;
    const opened = personalData(context, personal);
    if (opened === null) return;
    const query = new URLSearchParams({ ...params, ...opened });
    button.disabled = true;
    status.textContent = "正在导出…";
    try {
      const response = await fetch(`/exports/${list}.xlsx?${query}`, {
        headers: { Authorization: `Bearer ${context.token}` },
      });
      if (!response.ok) {
        status.textContent = await problem(response);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: fileName(response, `${list}.xlsx`) });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status.textContent = "";
    } catch {
      status.textContent = "导出失败：无法连接服务";
    } finally {
      button.disabled = false;
    }
  };
  return el("p", { class: "export-bar" }, el("button", { type: "button", class: "export", onclick: click }, "导出Excel"), status);
}
