export {
  createPanelAccessHttp,
  type PanelAccessHttp,
  type RequestInfo,
  type RunResult,
} from "./handler.js";
export type { OpenApiDocument } from "./openapi.js";
export type { CookieKind, HttpOptions, ResolvedHttpOptions } from "./options.js";
export type { Route, RouteContext, SessionNeed } from "./routes/route.js";
export { browserLabelOf } from "./web/browser-label.js";
export type { CookieJar } from "./web/cookies.js";
export {
  type Answer,
  ERROR_STATUS,
  type ErrorBody,
  type ErrorCode,
  messageOf,
  refusal,
  waitText,
} from "./web/errors.js";
