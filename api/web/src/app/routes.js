// Every working page: its path (with :params), its menu entry (the path the menu opens,
// or null for pages reached from others), the roles that see it, and how it renders.
// Roles: OFFICE, UNIT, INSPECTOR, LEADER, VIEWER.
import { home } from "./home.js";
import { legacyList } from "./legacy/list.js";
import { legacyPage } from "./legacy/page.js";
import { scorecards } from "./scorecards.js";
import { taskBoard } from "./tasks/board.js";
import { taskPage } from "./tasks/page.js";

export const ROUTES = [home, taskBoard, taskPage, legacyList, legacyPage, scorecards];
