import { decryptSecret, encryptSecret, sha256Hex } from "@bulwark/runtime";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { publicOrigin } from "../../auth/cookies.js";
import { oidc, providerConfig } from "../../auth/oidc.js";
import { safeReturnTo } from "../../auth/return-to.js";
import { auditSignIn, completeSignIn } from "../../auth/sign-in.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { publicAccess } from "../../middleware/access.js";
import { problems } from "../../openapi/common.js";
import { resolveOidcMember } from "../../services/sso/resolve.js";
import { decryptClientSecret, getSso } from "../../services/sso/settings.js";
import { OidcCallbackQuery, OidcStartParams, OidcStartQuery } from "./schema.js";

/** The sign-in in progress, kept in the browser: encrypted and authenticated under SECRETS_KEY, 10 minutes. */
const FLOW = "bulwark_oidc";
const FLOW_TTL_S = 600;
interface Flow {
  t: string;
  s: string;
  n: string;
  v: string;
  r: string;
  e: number;
}

const redirectUri = (c: Context<AppEnv>) => `${publicOrigin(c)}/v1/auth/oidc/callback`;

async function configFor(c: Context<AppEnv>, tenantId: string) {
  const { pool, config } = c.get("deps");
  const sso = await getSso({ ctx: { pool, tenantId } });
  if (!sso) throw new ApiError("not_found", "this tenant has no single sign-on configured");
  const clientSecret = decryptClientSecret(config.SECRETS_KEY, tenantId, sso.secretCiphertext);
  try {
    const oc = await providerConfig(
      { issuer: sso.issuer, clientId: sso.clientId, clientSecret },
      config.OIDC_ALLOW_INSECURE_ISSUERS,
    );
    return { sso, oc };
  } catch (e) {
    throw new ApiError("unavailable", `the identity provider could not be reached: ${(e as Error).message}`, {
      retryAfter: 30,
    });
  }
}

export const startRoute = createRoute({
  operationId: "startOidcSignIn",
  security: [],
  method: "get",
  path: "/v1/auth/oidc/{tenantId}/start",
  tags: ["auth"],
  summary: "Sign in through the tenant's OIDC provider: redirects there (authorization code with PKCE)",
  description:
    "State, nonce and the PKCE verifier travel in an encrypted, HttpOnly cookie and are checked at the callback; `returnTo` (a path on this site) is where the browser lands once signed in.",
  middleware: [publicAccess] as const,
  request: { params: OidcStartParams, query: OidcStartQuery },
  responses: {
    302: { description: "To the identity provider" },
    ...problems("validation_failed", "not_found", "unavailable"),
  },
});

export const startHandler: RouteHandler<typeof startRoute, AppEnv> = async (c) => {
  const { tenantId } = c.req.valid("param");
  const { oc } = await configFor(c, tenantId);
  const flow: Flow = {
    t: tenantId,
    s: oidc.randomState(),
    n: oidc.randomNonce(),
    v: oidc.randomPKCECodeVerifier(),
    r: safeReturnTo(c.req.valid("query").returnTo),
    e: Date.now() + FLOW_TTL_S * 1000,
  };
  const url = oidc.buildAuthorizationUrl(oc, {
    redirect_uri: redirectUri(c),
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.v),
    code_challenge_method: "S256",
    state: flow.s,
    nonce: flow.n,
  });
  const key = Buffer.from(c.get("deps").config.SECRETS_KEY, "base64");
  setCookie(c, FLOW, encryptSecret(key, JSON.stringify(flow), "oidc-flow"), {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: FLOW_TTL_S,
    prefix: "host",
  });
  c.header("cache-control", "no-store");
  return c.redirect(url.toString(), 302) as never;
};

export const callbackRoute = createRoute({
  operationId: "finishOidcSignIn",
  security: [],
  method: "get",
  path: "/v1/auth/oidc/callback",
  tags: ["auth"],
  summary: "Where the identity provider sends the browser back; signs in and redirects to returnTo",
  description: [
    "Refused: no sign-in in progress in this browser, a state that differs from the one sent, a state already",
    "used (replay), a code the provider will not exchange (wrong, replayed, or another provider's), an ID token",
    "whose nonce or signature does not check, an unverified e-mail, a domain not allowed, or someone who is not",
    "a member (unless invited, or the tenant grants just-in-time membership). Each attempt is audited.",
  ].join("\n"),
  middleware: [publicAccess] as const,
  request: { query: OidcCallbackQuery },
  responses: {
    303: { description: "Signed in: to returnTo" },
    ...problems("bad_request", "validation_failed", "unauthorized", "forbidden", "unavailable"),
  },
});

function readFlow(c: Context<AppEnv>): Flow {
  const raw = getCookie(c, FLOW, "host");
  deleteCookie(c, FLOW, { path: "/", secure: true, prefix: "host" });
  if (!raw) throw new ApiError("bad_request", "no sign-in in progress in this browser (start again)");
  try {
    const flow = JSON.parse(
      decryptSecret(Buffer.from(c.get("deps").config.SECRETS_KEY, "base64"), raw, "oidc-flow"),
    ) as Flow;
    if (flow.e < Date.now()) throw new Error("expired");
    return flow;
  } catch {
    throw new ApiError("bad_request", "the sign-in in progress expired or is unreadable (start again)");
  }
}

export const callbackHandler: RouteHandler<typeof callbackRoute, AppEnv> = async (c) => {
  const flow = readFlow(c);
  const q = c.req.valid("query");
  const deps = c.get("deps");
  const fail = async (status: 400 | 401 | 403, reason: string, email: string | null = null) => {
    await auditSignIn(c, {
      tenantIds: [flow.t],
      method: "oidc",
      outcome: status === 403 ? "denied" : "failure",
      userId: null,
      email,
      reason,
      status,
    });
    const code = status === 400 ? "bad_request" : status === 401 ? "unauthorized" : "forbidden";
    return new ApiError(code, reason);
  };
  if (q.error) throw await fail(401, `the identity provider refused the sign-in: ${q.error}`);
  if (!q.state || q.state !== flow.s) throw await fail(400, "state does not match the sign-in in progress");
  // single use, across API instances: a replayed callback finds the state spent
  const fresh = await deps.redis
    .set(`${deps.config.QUEUE_PREFIX}:oidc-state:${sha256Hex(flow.s)}`, "1", "EX", FLOW_TTL_S, "NX")
    .catch(() => {
      throw new ApiError("unavailable", "sign-in is unavailable right now", { retryAfter: 5 });
    });
  if (fresh !== "OK") throw await fail(400, "this sign-in was already completed (replayed callback)");
  const { sso, oc } = await configFor(c, flow.t);
  const current = new URL(redirectUri(c));
  current.search = new URL(c.req.url).search;
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(oc, current, {
      pkceCodeVerifier: flow.v,
      expectedState: flow.s,
      expectedNonce: flow.n,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
    if (typeof claims.email !== "string" && tokens.access_token && typeof claims.sub === "string") {
      claims = { ...claims, ...(await oidc.fetchUserInfo(oc, tokens.access_token, claims.sub)) };
    }
  } catch (e) {
    // openid-client wraps the precise reason (e.g. the ID token's "nonce" claim) in the error's cause
    const cause = (e as { cause?: unknown }).cause;
    const why = cause instanceof Error ? cause.message : (e as Error).message;
    throw await fail(401, `sign-in failed: ${why}`);
  }
  if (typeof claims.email !== "string" || typeof claims.sub !== "string") {
    throw await fail(403, "the identity provider did not share an e-mail address");
  }
  let member: Awaited<ReturnType<typeof resolveOidcMember>>;
  try {
    member = await resolveOidcMember({
      ctx: { pool: deps.pool, tenantId: flow.t },
      input: {
        identity: {
          issuer: sso.issuer,
          subject: claims.sub,
          email: claims.email,
          emailVerified: typeof claims.email_verified === "boolean" ? claims.email_verified : undefined,
          name: typeof claims.name === "string" ? claims.name : undefined,
        },
        allowedDomains: sso.allowedDomains,
        jitRole: sso.jitRole,
      },
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) throw await fail(403, e.detail, claims.email);
    throw e;
  }
  return completeSignIn(c, { ...member, bound: true, method: "oidc", redirectTo: flow.r }) as never;
};
