// Every working page: its path (with :params), its menu entry (the path the menu opens,
// or null for pages reached from others), the roles that see it, and how it renders.
// Roles: OFFICE, UNIT, INSPECTOR, LEADER, VIEWER.
import { home } from "./home.js";
// the work plan: the task board and a task's page, the legacy-problem ledger, scorecards
import { legacyList } from "./legacy/list.js";
import { legacyPage } from "./legacy/page.js";
import { scorecards } from "./scorecards.js";
import { taskBoard } from "./tasks/board.js";
import { taskPage } from "./tasks/page.js";
// complaints (5+1+1 inbox, a case's page) and oversight (约谈, 移交纪检监察)
import { complaintInbox } from "./complaints/inbox.js";
import { complaintPage } from "./complaints/complaint_page.js";
import { oversight } from "./oversight/page.js";
// reviewers: an item's timeline, the inspector's desk
import { timelineRoutes } from "./timeline/timeline.js";
import { deskRoutes } from "./desk/desk.js";

export const ROUTES = [
  home,
  taskBoard,
  taskPage,
  complaintInbox,
  complaintPage,
  legacyList,
  legacyPage,
  oversight,
  scorecards,
  ...timelineRoutes,
  ...deskRoutes,
];
