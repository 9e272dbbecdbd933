import { z } from "@hono/zod-openapi";
import { passwordSignIn } from "../../auth/password-sign-in.js";
import { safeReturnTo } from "../../auth/return-to.js";
import type { Api } from "../../env.js";
import { ApiError } from "../../errors.js";
import { publicAccess } from "../../middleware/access.js";
import { refuseCrossSite } from "../../middleware/form-or-json.js";
import { assetByName } from "../assets.js";
import { LoginPage } from "../pages/login.js";
import { page } from "../render.js";

const LoginForm = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
  returnTo: z.string().max(2000).optional(),
});

const returnToOf = (v: unknown) => safeReturnTo(v, "/app");

/** Sign-in page and form, the SSO entry, and the static assets: the console's public routes. */
export function registerConsoleSession(app: Api): void {
  app.get("/app/login", publicAccess, (c) =>
    page(c, <LoginPage returnTo={returnToOf(c.req.query("returnTo"))} />),
  );

  app.post("/app/login", publicAccess, refuseCrossSite, async (c) => {
    const body = await c.req.parseBody().catch(() => ({}));
    const parsed = LoginForm.safeParse(body);
    const returnTo = returnToOf((body as Record<string, unknown>).returnTo);
    if (!parsed.success) {
      return page(c, <LoginPage returnTo={returnTo} error="Enter your e-mail and password." />);
    }
    try {
      return await passwordSignIn(c, parsed.data, returnTo);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 429)) {
        if (e.extras.retryAfter) c.header("retry-after", String(e.extras.retryAfter));
        // the form again with the reason, answered 200 like any re-shown form (a 4xx document makes browsers
        // log a console error on a page that worked as intended); the audit log still records the failure
        return page(c, <LoginPage returnTo={returnTo} error={e.detail} />);
      }
      throw e;
    }
  });

  app.get("/app/sso", publicAccess, (c) => {
    const tenant = c.req.query("tenant") ?? "";
    if (!/^ten_[0-9a-z]{1,40}$/.test(tenant)) {
      return page(c, <LoginPage returnTo="/app" error="Enter your tenant id (ten_…)." />);
    }
    const returnTo = encodeURIComponent(returnToOf(c.req.query("returnTo")));
    return c.redirect(`/v1/auth/oidc/${tenant}/start?returnTo=${returnTo}`, 303);
  });

  app.get("/app/assets/:name", publicAccess, (c) => {
    const asset = assetByName(c.req.param("name"));
    if (!asset) throw new ApiError("not_found", "no such asset");
    c.header("etag", asset.etag);
    c.header("cache-control", "public, max-age=31536000, immutable");
    c.header("x-content-type-options", "nosniff");
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304);
    c.header("content-type", asset.type);
    return c.body(new Uint8Array(asset.body), 200);
  });
}
