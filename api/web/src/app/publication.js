// 结果公开发布: a quarter's unit scores as published (the day, how many publications, the
// formula they were computed by) and, for the office, the form that publishes the quarter
// (published again only with the reason: corrected figures or a new formula).
import { el } from "../common/dom.js";
import { mutationForm } from "../common/form.js";
import { date } from "../common/labels.js";
import { ENTRY, FORMULA, formulaLine, scoreTable } from "./scores.js";
import { read, recordWrite } from "./writes.js";

const PUBLISHED = `query QuarterScores($quarter: String!) {
  quarterScores(quarter: $quarter) { quarter publishedOn publications ${FORMULA} entries { ${ENTRY} } }
}`;

export async function publishedScores(context, quarter) {
  const { quarterScores: published } = await read(context, PUBLISHED, { quarter });
  if (!published) return [el("h3", {}, "已发布结果"), el("p", { class: "empty publication" }, "本季度考核结果尚未发布")];
  const times = published.publications > 1 ? `，共发布${published.publications}次` : "";
  return [
    el("h3", {}, "已发布结果"),
    el(
      "p",
      { class: "publication", dataset: { publications: published.publications, version: published.formula.version } },
      `${date(published.publishedOn)}发布${times}，按公式 ${published.formula.version} 计算。`,
    ),
    formulaLine(published.formula),
    scoreTable(published.formula, published.entries),
  ];
}

// The office's form; `onDone(quarter)` after a publication.
export function publishForm(context, quarter, onDone) {
  const form = mutationForm({
    mutation: "publishQuarterScores",
    title: "发布本季度考核结果",
    fields: [
      { name: "quarter", label: "季度（如 2021-Q2，季度结束后方可发布）", required: true, value: quarter, maxLength: 7 },
      { name: "reason", label: "再次发布的理由", type: "textarea", hint: "已发布过的季度再次发布（更正数据或采用新公式）时必填" },
    ],
    request: context.request,
    onDone: async (success) => {
      recordWrite(success, "发布考核结果");
      await onDone(form.querySelector("[name=quarter]").value.trim());
    },
  });
  return el("div", { class: "publish" }, form);
}
