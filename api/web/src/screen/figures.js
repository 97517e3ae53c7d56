// A figure on the screen: its value large, its name small, and a data-figure key naming
// which figure of the API it shows (the browser tests read the screen by these keys).
import { el } from "../common/dom.js";

export function figure(key, value, name, tone = "") {
  return el("div", { class: `figure ${tone}` }, el("span", { class: "value", dataset: { figure: key } }, value), el("span", { class: "name" }, name));
}
