// The current seal of the log on the desk: up to which position every event is chained,
// the chain value and the seal to print into an official record, how far the server's
// verifier has found the log to hold, and the first position where it does not.
import { el, replace } from "../../common/dom.js";
import { requestProblem } from "../../common/errors.js";
import { moment, number } from "../../common/labels.js";

const SEAL = `{ ledgerSeal { position chain seal verifiedUpTo holds firstBadPosition problem verifiedAt } }`;

function verdict(seal) {
  if (seal.holds === true) return el("span", { class: "verdict holds" }, "完好：已核验部分未发现改动、删除、插入或未经签名的记录");
  if (seal.holds === false) return el("span", { class: "verdict broken" }, `发现异常：位置 ${seal.firstBadPosition} 起不一致`);
  return el("span", { class: "verdict unknown" }, "尚未得出结论");
}

function facts(seal) {
  const coverage = seal.position ? `${number(seal.verifiedUpTo)} / ${number(seal.position)}` : "—";
  return el(
    "dl",
    { class: "facts seal-facts" },
    el("dt", {}, "封存至位置"),
    el("dd", { dataset: { seal: "position" } }, String(seal.position)),
    el("dt", {}, "链值（SHA-256）"),
    el("dd", { dataset: { seal: "chain" } }, el("code", {}, seal.chain)),
    el("dt", {}, "封印（可打印存档）"),
    el("dd", { dataset: { seal: "seal" } }, el("code", {}, seal.seal || "—")),
    el("dt", {}, "已核验至位置"),
    el("dd", { dataset: { seal: "verifiedUpTo" } }, String(seal.verifiedUpTo), el("span", { class: "hint" }, `（已核验 / 已封存：${coverage}）`)),
    el("dt", {}, "核验结论"),
    el("dd", { dataset: { seal: "holds" } }, verdict(seal)),
    seal.firstBadPosition ? [el("dt", {}, "首个异常位置"), el("dd", { dataset: { seal: "firstBadPosition" } }, String(seal.firstBadPosition))] : null,
    seal.problem ? [el("dt", {}, "问题说明"), el("dd", { dataset: { seal: "problem" } }, seal.problem)] : null,
    el("dt", {}, "最近核验时间"),
    el("dd", {}, moment(seal.verifiedAt)),
  );
}

export function sealPanel(context) {
  const body = el("div", { "aria-live": "polite" });
  async function load() {
    try {
      const { ledgerSeal } = await context.request(SEAL);
      replace(body, ledgerSeal ? facts(ledgerSeal) : el("p", { class: "hint" }, "台账尚无记录，尚未封存。"));
    } catch (error) {
      replace(body, el("p", { class: "problem", role: "alert" }, requestProblem(error)));
    }
  }
  const node = el(
    "section",
    { class: "seal-panel" },
    el("h2", {}, "台账封印", el("button", { type: "button", class: "secondary", onclick: load }, "刷新")),
    body,
  );
  return { node, load };
}
