// The ledger's refusals in Chinese: the rules it states in a ValidationError's message (each
// the server's sentence, a pattern, and what a person is told; a message matching none is
// shown as the server wrote it), and the state an InvalidTransition names.
import { COMPLAINT_STATE, INTERVIEW_STATE, LEGACY_STATE, REFERRAL_STATE, TASK_STATE } from "./labels.js";

const RULES = [
  [/^must not be empty/, () => "不能为空"],
  [/^must be between (\d+) and (\d+)$/, (low, high) => `须在${low}到${high}之间`],
  [/^(\d{4}-\d\d-\d\d) is not after the assignment$/, (day) => `${day}不晚于交办当日：办结时限须在交办之后`],
  [/^must be within (\d+) years$/, (years) => `须在${years}年之内`],
  [/^at least one lead unit is needed$/, () => "至少需要一个牵头单位"],
  [/^a lead unit cannot also cooperate$/, () => "牵头单位不能同时是协同单位"],
  [/^only a lead unit accepts a task$/, () => "只有牵头单位可以签收"],
  [/^'?(.+?)'? is not an open milestone$/, (key) => `“${key}”不是尚未达成的节点`],
  [/^(.+) is due after the deadline (\S+)$/, (key, day) => `节点“${key}”晚于办结时限${day}`],
  [/^keys must be unique$/, () => "节点编号不能重复"],
  [/^each needs a key and a title$/, () => "每个节点都要有编号和名称"],
  [/^must be after the current deadline$/, () => "须晚于现在的办结时限"],
  [/^must be 1 or more$/, () => "须为1或以上"],
  [/^must be at least 1$/, () => "至少为1"],
  [/^must be one of \(([^)]*)\) not before this year/, (years) => `须为${years.replace(/,\s*/g, "、")}中不早于今年的一年（2025年以后：今年或以后）`],
  [/^must be a year \(2021\) or a quarter \(2021-Q2\)$/, () => "须为年份（如2021）或季度（如2021-Q2）"],
  [/^must fall in the target year (\d+)$/, (year) => `须在目标年度${year}年之内`],
  [/^is (\d+) characters long; the limit is (\d+)$/, (length, most) => `有${length}个字，超过上限${most}个字`],
  [/^entry (\d+).* is (\d+) characters long; the limit is (\d+)$/, (n, length, most) => `第${n}项有${length}个字，超过上限${most}个字`],
  [/^has (\d+) entries; the limit is (\d+)$/, (count, most) => `有${count}项，超过上限${most}项`],
  [/^no unit with id/, () => "没有这个单位"],
  [/^no item with id/, () => "没有这个事项"],
  [/^(.+) was merged into another unit$/, (name) => `${name}已并入其他单位`],
  [/^'?.*'? is not an id of this ledger$/, () => "不是本台账的编号"],
  [/^'?.*'? is not a (\w+) id$/, (type) => `不是${type}的编号`],
  [/^must be in the future$/, () => "须为将来的时间"],
  [/^contains the character/, () => "含有无法记录的控制字符"],
  [/ is in the future$/, () => "不能晚于现在"],
  [/^back-dated by .+; the limit is (\d+) days$/, (days) => `补录不得早于 ${days} 天前`],
  [/^is before the scheduling itself$/, () => "不能早于安排约谈的时间"],
  [/^must be after the interview$/, () => "须晚于约谈日期"],
  [/^an interview cites at least one item$/, () => "约谈须至少依据一个事项"],
  [/^no event at position (\d+)$/, (position) => `台账中没有位置为 ${position} 的事件`],
  [/^cite one or more event positions/, () => "须列明一个或多个台账事件位置（正整数）"],
  [/^extensions may add up to (\d+) working days, (\d+) already granted$/, (most, granted) => `延期累计不得超过 ${most} 个工作日（已延期 ${granted} 个工作日）`],
  [/^the case was not dispatched to this unit$/, () => "该投诉并未派发给此单位"],
  [/^is already the accountable unit$/, () => "已是该投诉的责任单位"],
  [/^must be at least (\d+)$/, (least) => `不得小于 ${least}`],
  [/is before the interview's scheduled time \(([^)]+)\)/, (when) => `不能早于安排的约谈时间（${new Date(when).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}）`],
  [/^give interviewees or interviewee, not both$/, () => "约谈对象只能填写一种"],
  [/^a 三支队伍监督 case must name its team/, () => "三支队伍监督渠道的投诉须选择监督队伍"],
  [/^only a 三支队伍监督 case names a team/, () => "只有三支队伍监督渠道的投诉填写监督队伍"],
  [/is not a team of the policy/, () => "没有这个监督队伍"],
  [/is not an intake of the policy/, () => "没有这个受理专线"],
  [/^(.+) takes (.+?) cases, not a (.+) case$/, (line, ours, theirs) => `${line}受理的是${ours}渠道的投诉，不是${theirs}渠道的投诉`],
  [/^no enterprise with id/, () => "没有这个登记的服务企业"],
  [/^(\d{4}-Q[1-4]) has not ended yet: its scores are published from (\S+)$/, (quarter, day) => `${quarter}尚未结束，${day}起方可发布考核结果`],
  [/^(\S+) has not begun yet \(it starts (\S+)\)$/, (period, day) => `${period}尚未开始（${day}开始），还没有考核得分`],
  [/^scores are published by quarter/, () => "考核结果按季度发布（如2021-Q2）"],
  [/^(\S+) was published with these scores by formula (\S+): nothing to publish again$/, (quarter, version) => `${quarter}已按公式${version}发布过相同的得分，无须再次发布`],
  [/^no formula '?([^' ]+)'? \(known: (.*)\)$/, (version, known) => `没有公式${version}（现有：${known}）`],
];

// The rule a ValidationError's message states, in Chinese; null when it is none of these.
export function ruleInChinese(message) {
  for (const [pattern, say] of RULES) {
    const found = pattern.exec(message || "");
    if (found) return say(...found.slice(1));
  }
  return null;
}

const STATES = { Task: TASK_STATE, Complaint: COMPLAINT_STATE, LegacyIssue: LEGACY_STATE, Interview: INTERVIEW_STATE, Referral: REFERRAL_STATE };

// The state an InvalidTransition names ("in_progress" of a Task), in Chinese; null if unknown.
export function stateInChinese(itemType, state) {
  const states = STATES[itemType];
  return (states && states[String(state || "").toUpperCase()]) || null;
}
