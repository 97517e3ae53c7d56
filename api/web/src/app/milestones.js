// Milestones (节点) as a person writes them in a form: one a line, its date then what is to
// be done by it ("2027-03-31 完成方案制定"; 2027/3/31 and 2027年3月31日 read too). They are
// sent as the API's MilestoneInput, keyed m1, m2, ... in the order written.
import { el, table } from "../common/dom.js";
import { ApiError } from "../common/gql.js";
import { LIGHT, date, label } from "../common/labels.js";

const LINE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s+(.+)$/;

export function milestoneField(name = "milestones") {
  return {
    name,
    label: "节点",
    type: "lines",
    rows: 4,
    hint: "每行一个：日期 内容，如“2027-03-31 完成方案制定”",
  };
}

function validDay(year, month, day) {
  const moment = new Date(Date.UTC(year, month - 1, day));
  return moment.getUTCFullYear() === year && moment.getUTCMonth() === month - 1 && moment.getUTCDate() === day;
}

// The milestones written in `lines`; an ApiError naming `field` for a line it cannot read.
export function readMilestones(lines, field = "milestones") {
  return (lines || []).map((line, index) => {
    const found = LINE.exec(line);
    const [year, month, day] = found ? found.slice(1, 4).map(Number) : [];
    if (!found || !validDay(year, month, day)) {
      throw new ApiError(`第${index + 1}行“${line}”须为“日期 内容”，如“2027-03-31 完成方案制定”`, "BAD_USER_INPUT", field);
    }
    const due = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    return { key: `m${index + 1}`, title: found[4].trim(), due };
  });
}

// The business day (Beijing) of a moment given with its offset, as YYYY-MM-DD.
export function beijingDay(moment) {
  return new Date(moment).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
}

// When each milestone was reached, from an item's events: key -> the business day of the
// event that reached it (a legacy problem's milestones; a task's come with the task).
export function reachedOn(events, reachedKeys) {
  const when = new Map();
  for (const event of events) {
    for (const key of reachedKeys(event)) if (!when.has(key)) when.set(key, beijingDay(event.occurredAt));
  }
  return when;
}

// Milestones as rows { title, due, reachedOn, light, missed } (a task's as the API gives
// them, Task.milestones, with their lights as of today); light and missed may be absent.
export function milestoneTable(milestones) {
  if (!milestones.length) return el("p", { class: "hint" }, "未设节点");
  const judged = milestones.some((m) => "missed" in m);
  const columns = [
    { title: "节点", key: "title", cell: (m) => m.title },
    { title: "完成时限", key: "due", cell: (m) => date(m.due) },
    { title: "是否达成", key: "reached", cell: (m) => (m.reachedOn ? `已达成（${date(m.reachedOn)}）` : "未达成") },
  ];
  if (judged) {
    columns.push(
      { title: "灯号", key: "light", cell: (m) => (m.light ? el("span", { class: `light ${m.light}` }, label(LIGHT, m.light)) : "—") },
      { title: "逾期", key: "missed", cell: (m) => (m.missed ? el("span", { class: "missed" }, "已逾期") : "否") },
    );
  }
  return table(columns, milestones, { class: "milestones" });
}
