import { Hono } from "hono";
import { passwordResetRoutes } from "./routes-auth/password-reset.js";
import { registrationRoutes } from "./routes-auth/registration.js";
import { secondFactorRoutes } from "./routes-auth/second-factor.js";
import { signInRoutes } from "./routes-auth/sign-in.js";
import type { WebApp } from "./web-context.js";

/** Signing in and out, and the pages the links in e-mails open: one module a flow, in routes-auth/. */
export function authRoutes(app: WebApp) {
  const routes = new Hono();
  routes.route("/", signInRoutes(app));
  routes.route("/", secondFactorRoutes(app));
  routes.route("/", registrationRoutes(app));
  routes.route("/", passwordResetRoutes(app));
  return routes;
}
