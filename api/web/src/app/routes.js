// Every working page: its path (with :params), its menu entry (the path the menu opens,
// or null for pages reached from others), the roles that see it, and how it renders.
// Roles: OFFICE, UNIT, INSPECTOR, LEADER, VIEWER.
import { home } from "./home.js";
// reviewers: an item's timeline, the inspector's desk
import { timelineRoutes } from "./timeline/timeline.js";
import { deskRoutes } from "./desk/desk.js";

export const ROUTES = [home, ...timelineRoutes, ...deskRoutes];
