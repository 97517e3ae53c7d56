// The first page after signing in: who you are and what your role can do here.
import { el, replace } from "../common/dom.js";
import { ROLE, label, moment } from "../common/labels.js";

export const home = {
  path: "/",
  menu: "/",
  title: "首页",
  roles: ["OFFICE", "UNIT", "INSPECTOR", "LEADER", "VIEWER"],
  async render(view, context) {
    const { me } = context;
    replace(
      view,
      el("h1", {}, "首页"),
      el(
        "dl",
        { class: "facts" },
        el("dt", {}, "登录身份"),
        el("dd", {}, me.actor),
        el("dt", {}, "角色"),
        el("dd", {}, label(ROLE, me.role)),
        me.unit ? [el("dt", {}, "单位"), el("dd", {}, me.unit.name)] : null,
        el("dt", {}, "令牌有效至"),
        el("dd", {}, moment(me.tokenExpiresAt)),
      ),
      el("p", {}, el("a", { href: "/screen" }, "打开大屏"), " · ", el("a", { href: "/graphiql" }, "GraphiQL")),
    );
  },
};
