// Read your own writes: the highest log position this tab has written, sent with every read
// of these pages (X-Ledger-Position), so a page refreshed after an act shows it; and the
// line that says what was just recorded, shown once by the page drawn next.
import { request } from "../common/gql.js";
import { el } from "../common/dom.js";

let written = 0;
let notice = "";

export function recordWrite(success, said) {
  written = Math.max(written, success.position || 0);
  notice = success.replayed ? `${said}：已提交过，未重复记录` : `已记录：${said}`;
}

export function read(context, query, variables = {}) {
  return request(context.token, query, variables, written);
}

// The notice of the last act, once (null when there is none).
export function takeNotice() {
  if (!notice) return null;
  const shown = el("p", { class: "notice", role: "status" }, notice);
  notice = "";
  return shown;
}
