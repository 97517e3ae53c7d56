// The API's refusals in plain Chinese: a typed error of a mutation (by __typename) or an
// error of a request (by its code), each with the field it concerns when it names one.
import { ruleInChinese, stateInChinese } from "./rules.js";

const BY_CODE = {
  UNAUTHENTICATED: "令牌无效、已过期或已吊销，请重新登录",
  FORBIDDEN: "您的角色无权进行此操作或查看此内容",
  BAD_USER_INPUT: "输入有误",
  BAD_REQUEST: "请求有误",
  TOO_LARGE: "提交的内容过大",
  RATE_LIMITED: "操作过于频繁，请稍后再试",
  NETWORK: "无法连接服务，请检查网络",
};

const DETAILED = new Set(["BAD_USER_INPUT", "BAD_REQUEST"]);

export function requestProblem(error) {
  const said = BY_CODE[error.code];
  if (!said) return error.message;
  // what the input was is the server's detail worth keeping; a refused token or role is not
  return DETAILED.has(error.code) ? `${said}（${error.message}）` : said;
}

// A mutation's typed error, shown to a person: what went wrong, in Chinese; the server's
// own words only where no Chinese is known for them (they name the rule and the value).
export function typedProblem(result) {
  switch (result.__typename) {
    case "ValidationError": {
      const rule = ruleInChinese(result.message);
      return `输入不符合规则：${rule || result.message}`;
    }
    case "NotFound":
      return `找不到该事项（${result.itemType || ""}），可能已被删除或您无权查看：${result.message}`;
    case "ConcurrencyConflict":
      return `该事项已被他人更新（当前版本 ${result.currentVersion}），请刷新后重试`;
    case "InvalidTransition": {
      const now = stateInChinese(result.itemType, result.state);
      return now ? `当前状态（${now}）不允许此操作` : `当前状态不允许此操作：${result.message}`;
    }
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
