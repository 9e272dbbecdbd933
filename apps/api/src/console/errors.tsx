import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.js";
import { API_ERRORS, type ApiError } from "../errors.js";
import { ErrorPage } from "./pages/error.js";
import { page } from "./render.js";

/** Whether an error of this request is answered as a console page rather than problem+json. */
export function isConsoleRequest(c: Context<AppEnv>): boolean {
  return c.req.path === "/app" || (c.req.path.startsWith("/app/") && !c.req.path.startsWith("/app/assets/"));
}

/**
 * A console error as a page: not signed in (or the session ended) goes to the sign-in page and back; the
 * rest (403 for a control the role lacks, 400 for a form's bad field, 404) is an HTML page with the reason.
 */
export function consoleErrorPage(c: Context<AppEnv>, err: ApiError): Response {
  // a browser without a (valid) session signs in and comes back; a script's bad token gets its 401 as a page
  if (err.status === 401 && c.req.header("authorization") === undefined) {
    const back = c.req.method === "GET" ? `${c.req.path}${new URL(c.req.url).search}` : "/app";
    return c.redirect(`/app/login?returnTo=${encodeURIComponent(back)}`, 303);
  }
  return page(
    c,
    <ErrorPage
      status={err.status}
      title={API_ERRORS[err.code].title}
      detail={err.detail}
      fields={err.extras.errors}
      requestId={c.get("requestId")}
    />,
    err.status as ContentfulStatusCode,
  );
}
