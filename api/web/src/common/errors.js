// The API's refusals in plain Chinese: a typed error of a mutation (by __typename) or an
// error of a request (by its code), each with the field it concerns when it names one.
import { COMPLAINT_STATE, INTERVIEW_STATE, LEGACY_STATE, REFERRAL_STATE, TASK_STATE } from "./labels.js";

const BY_CODE = {
  UNAUTHENTICATED: "令牌无效、已过期或已吊销，请重新登录",
  FORBIDDEN: "您的角色无权进行此操作或查看此内容",
  BAD_USER_INPUT: "输入有误",
  BAD_REQUEST: "请求有误",
  TOO_LARGE: "提交的内容过大",
  RATE_LIMITED: "操作过于频繁，请稍后再试",
  NETWORK: "无法连接服务，请检查网络",
};

export function requestProblem(error) {
  const said = BY_CODE[error.code];
  return said ? `${said}（${error.message}）` : error.message;
}

// An item's state as an InvalidTransition names it (signed_for), in the users' words.
const STATES = { ...TASK_STATE, ...LEGACY_STATE, ...COMPLAINT_STATE, ...INTERVIEW_STATE, ...REFERRAL_STATE };
function stateShown(state) {
  const said = state && STATES[String(state).toUpperCase()];
  return said ? `（${said}）` : "";
}

// The domain's refusals of an input, as the API words them, in the users' words; any other
// is shown as the API gives it.
const SAID = [
  [/^must not be empty$/, () => "不能为空"],
  [/ is in the future$/, () => "不能晚于现在"],
  [/^back-dated by .+; the limit is (\d+) days$/, (m) => `补录不得早于 ${m[1]} 天前`],
  [/^is before the scheduling itself$/, () => "不能早于安排约谈的时间"],
  [/^must be after the interview$/, () => "须晚于约谈日期"],
  [/^an interview cites at least one item$/, () => "约谈须至少依据一个事项"],
  [/^no event at position (\d+)$/, (m) => `台账中没有位置为 ${m[1]} 的事件`],
  [/^cite one or more event positions/, () => "须列明一个或多个台账事件位置（正整数）"],
  [/^extensions may add up to (\d+) working days, (\d+) already granted$/, (m) => `延期累计不得超过 ${m[1]} 个工作日（已延期 ${m[2]} 个工作日）`],
  [/^the case was not dispatched to this unit$/, () => "该投诉并未派发给此单位"],
  [/^is already the accountable unit$/, () => "已是该投诉的责任单位"],
  [/^must be at least (\d+)$/, (m) => `不得小于 ${m[1]}`],
  [/^is (\d+) characters long; the limit is (\d+)$/, (m) => `共 ${m[1]} 字，超过 ${m[2]} 字的上限`],
  [/^has (\d+) entries; the limit is (\d+)$/, (m) => `共 ${m[1]} 项，超过 ${m[2]} 项的上限`],
  [/^no unit with id /, () => "没有这个单位"],
  [/^(.+) was merged into another unit$/, (m) => `${m[1]}已并入其他单位`],
  [/^'(.+)' is not an id of this ledger$/, (m) => `“${m[1]}”不是本台账的编号`],
  [/^no item with id /, () => "没有这个事项"],
];

function inputProblem(message) {
  for (const [pattern, say] of SAID) {
    const found = pattern.exec(message);
    if (found) return say(found);
  }
  return message;
}

// A mutation's typed error, shown to a person: what went wrong, in Chinese, and the
// server's own words after it (they name the rule and the value).
export function typedProblem(result) {
  switch (result.__typename) {
    case "ValidationError":
      return `输入不符合规则：${inputProblem(result.message)}`;
    case "NotFound":
      return `找不到该事项（${result.itemType || ""}），可能已被删除或您无权查看：${result.message}`;
    case "ConcurrencyConflict":
      return `该事项已被他人更新（当前版本 ${result.currentVersion}），请刷新后重试`;
    case "InvalidTransition":
      return `当前状态${stateShown(result.state)}不允许此操作：${result.message}`;
    case "Forbidden":
      return `您的角色无权进行此操作：${result.message}`;
    case "AlreadyExists":
      return `已存在相同的事项：${result.message}`;
    case "IdempotencyKeyReused":
      return `重复提交了不同的内容：${result.message}`;
    default:
      return result.message || "操作未成功";
  }
}
