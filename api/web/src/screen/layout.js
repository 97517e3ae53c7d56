// The big screen's frame, 1920×1080 with no scrolling: a header, then six panels in a
// fixed grid. Each panel is filled by its own module when its view arrives.
import { el } from "../common/dom.js";

export const PANELS = [
  ["channels", "5+1+1 监督渠道"],
  ["legacy", "历史遗留问题化解"],
  ["board", "重点任务 红黄绿灯"],
  ["monthly", "月度投诉办理"],
  ["league", "督导考核 排名"],
  ["oversight", "约谈与移交纪检监察"],
];

export function frame(root) {
  const header = el(
    "header",
    { class: "screen-header" },
    el("h1", {}, "长兴岛经济区 营商环境监督 大屏"),
    el("div", { class: "as-of", id: "as-of" }, ""),
    el("div", { class: "status", id: "status", dataset: { state: "connecting" } }, "连接中"),
  );
  const panels = Object.fromEntries(
    PANELS.map(([name, title]) => [
      name,
      el("section", { class: `panel panel-${name}`, id: `panel-${name}` }, el("h2", {}, title), el("div", { class: "panel-body" })),
    ]),
  );
  root.replaceChildren(header, el("div", { class: "grid" }, Object.values(panels)));
  return {
    asOf: header.querySelector("#as-of"),
    status: header.querySelector("#status"),
    body: (name) => panels[name].querySelector(".panel-body"),
    title: (name) => panels[name].querySelector("h2"),
  };
}
