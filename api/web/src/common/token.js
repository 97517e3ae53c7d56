// Where a page keeps its bearer token. The big screen is given it once, in the URL
// fragment (#token=...: a fragment never reaches a server or a log), and keeps it in
// localStorage so that a restart of the screen needs no typing. The working pages keep
// theirs for the tab only (sessionStorage).

const KEY = "ledger.token";

export function tokenFromFragment() {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const token = (fragment.get("token") || "").trim();
  if (token) {
    fragment.delete("token");
    const rest = fragment.toString();
    const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : "");
    window.history.replaceState(null, "", url);
  }
  return token;
}

export function screenToken() {
  const given = tokenFromFragment();
  if (given) window.localStorage.setItem(KEY, given);
  return given || window.localStorage.getItem(KEY) || "";
}

export function tabToken() {
  const given = tokenFromFragment();
  if (given) window.sessionStorage.setItem(KEY, given);
  return given || window.sessionStorage.getItem(KEY) || "";
}

export function keepTabToken(token) {
  window.sessionStorage.setItem(KEY, token);
}

export function forgetTabToken() {
  window.sessionStorage.removeItem(KEY);
}

export function forgetScreenToken() {
  window.localStorage.removeItem(KEY);
}
