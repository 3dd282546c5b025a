import { linkRoutes } from "./links.js";
import { loginRoutes } from "./login.js";
import { memberRoutes } from "./members.js";
import type { Route } from "./route.js";
import { sessionRoutes } from "./sessions.js";
import { settingsRoutes } from "./settings.js";

/** Every route of the JSON API. */
export const ROUTES: readonly Route[] = [
  ...loginRoutes,
  ...sessionRoutes,
  ...linkRoutes,
  ...settingsRoutes,
  ...memberRoutes,
] as unknown as readonly Route[];
