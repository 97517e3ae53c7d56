// The item's state rebuilt by the API at the point the reviewer picks: the latest, a
// version, a business time (asOf: what had happened by then) or a record time (knownAt:
// what the ledger had been told by then), shown field by field as the API answers it.
import { el, replace } from "../../common/dom.js";
import { requestProblem } from "../../common/errors.js";
import { beijingMoment, momentField } from "./beijing.js";
import { fieldList } from "./fields.js";

const STATE_AT = `query StateAt($id: ID!, $version: Int, $asOf: DateTime, $knownAt: DateTime, $purpose: String) {
  history(itemId: $id, asOfVersion: $version, asOf: $asOf, knownAt: $knownAt, purpose: $purpose) {
    version state eventPage(first: 1) { totalCount } } }`;

const MODES = [
  ["latest", "最新状态"],
  ["version", "指定版本"],
  ["asOf", "指定业务时间（当时已发生的）"],
  ["knownAt", "指定记录时间（当时台账所知的）"],
];

function describe(mode, point) {
  switch (mode) {
    case "version":
      return `版本 ${point} 时`;
    case "asOf":
      return `业务时间 ${point.replace("T", " ")}（北京时间）时`;
    case "knownAt":
      return `记录时间 ${point.replace("T", " ")}（北京时间）时台账所知`;
    default:
      return "目前";
  }
}

// latest: the history as first read (its newest version and state, shown at once);
// purpose(): the purpose now stated on the page (or null).
export function statePicker({ request, itemId, latest, unitNames, purpose }) {
  const latestVersion = latest.version;
  const version = el(
    "select",
    { id: "pick-version", name: "version", "aria-label": "版本" },
    Array.from({ length: latestVersion }, (_, i) => latestVersion - i).map((v) => el("option", { value: v }, `版本 ${v}`)),
  );
  const inputs = { version, asOf: momentField("pick-asOf", "asOf"), knownAt: momentField("pick-knownAt", "knownAt") };
  inputs.asOf.setAttribute("aria-label", "业务时间（北京时间）");
  inputs.knownAt.setAttribute("aria-label", "记录时间（北京时间）");
  const radios = new Map(MODES.map(([mode]) => [mode, el("input", { type: "radio", name: "mode", value: mode, id: `mode-${mode}`, checked: mode === "latest" || null })]));
  for (const [mode, input] of Object.entries(inputs)) input.addEventListener("input", () => (radios.get(mode).checked = true));
  const result = el("div", { class: "state-result", "aria-live": "polite" });

  async function show(event) {
    if (event) event.preventDefault();
    const mode = [...radios.values()].find((radio) => radio.checked).value;
    const point = mode === "latest" ? null : inputs[mode].value;
    if (mode !== "latest" && !point) return replace(result, el("p", { class: "problem", role: "alert" }, "请先选择版本或时间"));
    const variables = { id: itemId, purpose: purpose() };
    if (mode === "version") variables.version = Number(point);
    if (mode === "asOf" || mode === "knownAt") variables[mode] = beijingMoment(point);
    replace(result, el("p", { class: "hint" }, "正在重建…"));
    try {
      const { history } = await request(STATE_AT, variables);
      render(history, mode, point);
    } catch (error) {
      replace(result, el("p", { class: "problem", role: "alert" }, requestProblem(error)));
    }
  }

  function render(history, mode, point) {
    if (!history) return replace(result, el("p", { class: "problem", dataset: { mode } }, `${describe(mode, point)}该事项尚不存在。`));
    replace(
      result,
      el("h3", { dataset: { mode, version: history.version } }, `${describe(mode, point)}的状态${mode === "version" ? "" : `：版本 ${history.version}`}`),
      el("p", { class: "hint" }, `由版本 1–${history.version} 的 ${history.eventPage.totalCount} 条事件重建。`),
      fieldList(history.state, unitNames),
    );
  }

  render(latest, "latest", null);

  const form = el(
    "form",
    { class: "state-picker", onsubmit: show },
    el(
      "fieldset",
      {},
      el("legend", {}, "重建事项状态"),
      MODES.map(([mode, shown]) => el("div", { class: "mode" }, radios.get(mode), el("label", { for: `mode-${mode}` }, shown), inputs[mode] || null)),
      el("button", { type: "submit" }, "查看该时点状态"),
    ),
  );
  return { node: el("section", { class: "state" }, el("h2", {}, "事项状态"), form, result), show };
}
