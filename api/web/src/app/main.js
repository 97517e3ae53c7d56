// The working pages: sign in with a token (kept for the tab only), then the menus of the
// token's role. Each page is a route of routes.js.
import "./app.css";
import { start } from "./shell.js";

start(document.getElementById("app"));
