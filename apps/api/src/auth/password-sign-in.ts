import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { findUserByEmail } from "../services/users/find-by-email.js";
import { userTenants } from "../services/users/memberships.js";
import { clientIp } from "./client-ip.js";
import { verifyPassword } from "./passwords.js";
import { auditSignIn, completeSignIn } from "./sign-in.js";
import { checkThrottle, clearAccountFailures, recordFailure } from "./throttle.js";

/**
 * E-mail and password sign-in, shared by POST /v1/auth/login and the console's sign-in form: throttled,
 * audited, the same answer for a wrong e-mail and a wrong password. `redirectTo` null answers JSON.
 */
export async function passwordSignIn(
  c: Context<AppEnv>,
  input: { email: string; password: string; tenant?: string | undefined },
  redirectTo: string | null,
): Promise<Response> {
  const deps = c.get("deps");
  const ip = clientIp(c);
  await checkThrottle(deps, input.email, ip);
  const user = await findUserByEmail({ ctx: { pool: deps.pool }, input: { email: input.email } });
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  // the same queries whether or not the e-mail has an account, so timing does not tell
  const tenants = await userTenants({ ctx: { pool: deps.pool, userId: user?.id ?? "usr_none" } });
  const named = input.tenant ? tenants.filter((t) => t.id === input.tenant) : tenants;
  if (!user || !ok) {
    await recordFailure(deps, input.email, ip);
    // recorded where the account's admins can see it: the tenant named, else every tenant of the account
    await auditSignIn(c, {
      tenantIds: named.map((t) => t.id),
      method: "password",
      outcome: "failure",
      userId: user?.id ?? null,
      email: input.email,
      reason: "invalid credentials",
      status: 401,
    });
    throw new ApiError("unauthorized", "wrong e-mail or password");
  }
  await clearAccountFailures(deps, input.email);
  const tenant = named[0];
  if (!tenant) {
    throw new ApiError(
      "forbidden",
      input.tenant ? `you are not a member of tenant ${input.tenant}` : "your account belongs to no tenant",
    );
  }
  return completeSignIn(c, {
    user: { id: user.id, email: user.email, displayName: user.displayName },
    tenant: { id: tenant.id, name: tenant.name },
    role: tenant.role,
    bound: false,
    method: "password",
    redirectTo,
  });
}
