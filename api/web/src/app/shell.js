// The frame of the working pages: the sign-in form, the header with who is signed in, the
// menu of the role's pages, and the hash router (#/tasks, #/tasks/<id>, ...).
import { request } from "../common/gql.js";
import { el, replace } from "../common/dom.js";
import { requestProblem } from "../common/errors.js";
import { ROLE, label } from "../common/labels.js";
import { forgetTabToken, keepTabToken, tabToken } from "../common/token.js";
import { ROUTES } from "./routes.js";

const ME = `{ me { actor role tokenExpiresAt unit { id itemId name kind } } }`;

export async function start(root) {
  const token = tabToken();
  if (!token) return signIn(root, "");
  try {
    const { me } = await request(token, ME);
    return signedIn(root, token, me);
  } catch (error) {
    forgetTabToken();
    return signIn(root, requestProblem(error));
  }
}

function signIn(root, problem) {
  const field = el("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true, "aria-describedby": "token-problem" });
  const said = el("p", { id: "token-problem", class: "field-problem", role: "alert" }, problem);
  const form = el(
    "form",
    { class: "sign-in", onsubmit: (event) => submit(event) },
    el("h1", {}, "营商环境监督台账"),
    el("label", { for: "token" }, "访问令牌"),
    field,
    said,
    el("button", { type: "submit" }, "登录"),
    el("p", { class: "hint" }, "令牌由督办办公室发放（ledger token create）；只保存在本标签页，关闭即失效。"),
  );
  async function submit(event) {
    event.preventDefault();
    const token = field.value.trim();
    try {
      const { me } = await request(token, ME);
      keepTabToken(token);
      signedIn(root, token, me);
    } catch (error) {
      replace(said, requestProblem(error));
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }
  replace(root, form);
  field.focus();
}

function signedIn(root, token, me) {
  const routes = ROUTES.filter((route) => route.roles.includes(me.role));
  const outlet = el("main", { id: "page" });
  const context = {
    token,
    me,
    request: (query, variables) => request(token, query, variables),
    navigate: (path) => {
      window.location.hash = `#${path}`;
    },
  };
  const menu = el(
    "nav",
    { class: "menu", "aria-label": "菜单" },
    routes.filter((route) => route.menu).map((route) => el("a", { href: `#${route.menu}`, dataset: { path: route.menu } }, route.title)),
  );
  const who = el("span", { class: "who" }, `${me.actor} · ${label(ROLE, me.role)}${me.unit ? ` · ${me.unit.name}` : ""}`);
  const leave = el("button", { type: "button", class: "sign-out", onclick: () => signOut(root) }, "退出");
  replace(root, el("header", { class: "top" }, el("strong", {}, "营商环境监督台账"), menu, who, leave), outlet);
  const show = () => route(outlet, menu, routes, context);
  window.onhashchange = show;
  show();
}

function signOut(root) {
  forgetTabToken();
  window.onhashchange = null;
  window.location.hash = "";
  signIn(root, "");
}

function match(routes, path) {
  for (const route of routes) {
    const names = [];
    const pattern = new RegExp(`^${route.path.replace(/:(\w+)/g, (_, name) => (names.push(name), "([^/]+)"))}$`);
    const found = pattern.exec(path);
    if (found) return { route, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])])) };
  }
  return null;
}

async function route(outlet, menu, routes, context) {
  const path = window.location.hash.replace(/^#/, "").split("?")[0] || routes[0].path;
  const opens = (menuPath) => path === menuPath || (menuPath !== "/" && path.startsWith(`${menuPath}/`));
  for (const link of menu.querySelectorAll("a")) link.classList.toggle("current", opens(link.dataset.path));
  const found = match(routes, path);
  if (!found) return replace(outlet, el("p", { class: "problem" }, `没有这个页面，或您的角色无权查看：${path}`));
  const query = new URLSearchParams(window.location.hash.split("?")[1] || "");
  const view = el("section", { class: "view", dataset: { route: found.route.path } });
  replace(outlet, view);
  document.title = `${found.route.title} · 营商环境监督台账`;
  try {
    await found.route.render(view, context, found.params, query);
  } catch (error) {
    replace(view, el("p", { class: "problem", role: "alert" }, requestProblem(error)));
  }
}
