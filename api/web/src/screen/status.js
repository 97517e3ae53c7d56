// Whether the screen is live: connected (实时), reconnecting, or refused (the token is
// no longer valid), and when a view last arrived.
import { replace } from "../common/dom.js";

const SAID = {
  connecting: "连接中…",
  connected: "实时",
  closed: "连接中断，正在重连…",
  refused: "令牌无效或已吊销，请用新的链接打开",
};

export function showStatus(node, status) {
  node.dataset.state = status;
  replace(node, SAID[status] || status);
}

export function stamp(node) {
  const time = new Date().toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  node.title = `更新于 ${time}`;
  node.dataset.updated = time;
}
