// The big screen (/screen): the 5+1+1 overview, the legacy-problem totals, the task board,
// the league, interviews and referrals, live. The viewer token is given once in the URL
// (#token=...) and kept; the page follows four subscriptions over one WebSocket, which
// reconnects by itself: each view's first message after a reconnect is the view as it
// stands, so nothing that happened meanwhile is missed. Nothing to type, nothing to scroll.
import "./screen.css";
import { el, replace } from "../common/dom.js";
import { requestProblem } from "../common/errors.js";
import { follow, liveClient } from "../common/gql.js";
import { date } from "../common/labels.js";
import { screenToken } from "../common/token.js";
import { showBoard } from "./board.js";
import { showChannels } from "./channels.js";
import { frame } from "./layout.js";
import { showLeague } from "./league.js";
import { showLegacy } from "./legacy.js";
import { showMonthly } from "./monthly.js";
import { showOversight } from "./oversight.js";
import { BOARD, LEGACY, OVERSIGHT, OVERVIEW } from "./queries.js";
import { showStatus, stamp } from "./status.js";

const root = document.getElementById("screen");
const token = screenToken();

function views(screen) {
  const state = { board: {}, monthly: {}, oversight: {} };
  return [
    [OVERVIEW, "channels", (data) => {
      const overview = data.supervisionOverview;
      replace(screen.asOf, `截至 ${date(overview.asOf)}`);
      showChannels(screen.body("channels"), overview);
      showLeague(screen.body("league"), screen.title("league"), overview);
      showMonthly(screen.body("monthly"), overview, state.monthly);
    }],
    [LEGACY, "legacy", (data) => showLegacy(screen.body("legacy"), data.legacyIssueTotals)],
    [BOARD, "board", (data) => showBoard(screen.body("board"), data.taskBoard, state.board)],
    [OVERSIGHT, "oversight", (data) => showOversight(screen.body("oversight"), data.oversightTotals, state.oversight)],
  ];
}

function start() {
  if (!token) {
    replace(root, el("div", { class: "no-token" }, el("h1", {}, "营商环境监督 大屏"), el("p", {}, "请用带令牌的链接打开本页（make run 打印的大屏链接，形如 /screen#token=…）。")));
    return;
  }
  const screen = frame(root);
  const client = liveClient(token, (status) => showStatus(screen.status, status));
  for (const [query, panel, show] of views(screen)) {
    follow(
      client,
      query,
      {},
      (data) => {
        show(data);
        stamp(screen.status);
        root.dataset.updates = String(Number(root.dataset.updates || 0) + 1);
      },
      (error) => replace(screen.body(panel), el("p", { class: "problem" }, requestProblem(error))),
    );
  }
}

start();
