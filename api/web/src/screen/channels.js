// The 5+1+1 overview per channel: received, open, overdue, rectification, on-time and
// call-back satisfaction rates, sign-fors past their limit (跟踪问效); 找茬儿's rewards, the
// media's response time, and elsewhere returns past their limit.
import { el, replace } from "../common/dom.js";
import { CHANNEL, CHANNELS, number, percent } from "../common/labels.js";
import { figure } from "./figures.js";

function extra(row) {
  const key = `channel.${row.channel}`;
  if (row.channel === "FAULT_FINDING") {
    return figure(`${key}.rewards`, `${number(row.rewards)}次`, `奖励 ${number(row.rewardYuan)}元`);
  }
  if (row.channel === "MEDIA") {
    const days = row.meanReplyWorkingDays;
    return figure(`${key}.meanReplyWorkingDays`, days === null ? "—" : days.toFixed(1), "平均回应（工作日）");
  }
  return figure(`${key}.returnOverdue`, number(row.returnOverdue), "退单超时", row.returnOverdue > 0 ? "warn" : "");
}

function card(row) {
  const key = `channel.${row.channel}`;
  return el(
    "article",
    { class: "channel", dataset: { channel: row.channel } },
    el("h3", {}, CHANNEL[row.channel]),
    el(
      "div",
      { class: "channel-figures" },
      figure(`${key}.received`, number(row.received), "受理", "big"),
      figure(`${key}.open`, number(row.open), "在办"),
      figure(`${key}.overdue`, number(row.overdue), "超期", row.overdue > 0 ? "alarm" : ""),
      figure(`${key}.rectificationRate`, percent(row.rectificationRate), "整改率"),
      figure(`${key}.onTimeRate`, percent(row.onTimeRate), "按期办结率"),
      figure(`${key}.satisfactionRate`, percent(row.satisfactionRate), "回访满意率"),
      figure(`${key}.signForOverdue`, number(row.signForOverdue), "签收超时", row.signForOverdue > 0 ? "warn" : ""),
      extra(row),
    ),
  );
}

export function showChannels(body, overview) {
  const byChannel = new Map(overview.channels.map((row) => [row.channel, row]));
  replace(body, el("div", { class: "channels" }, CHANNELS.filter((c) => byChannel.has(c)).map((c) => card(byChannel.get(c)))));
}
