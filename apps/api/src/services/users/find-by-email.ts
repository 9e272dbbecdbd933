import type pg from "pg";

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
}

/** A user by e-mail, case-insensitively, before any tenant is known (SECURITY DEFINER lookup). */
export async function findUserByEmail({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { email: string };
}): Promise<UserRecord | null> {
  const { rows } = await ctx.pool.query<{
    id: string;
    email: string;
    display_name: string;
    password_hash: string | null;
  }>("select id, email, display_name, password_hash from bulwark_user_by_email($1)", [input.email]);
  const r = rows[0];
  return r ? { id: r.id, email: r.email, displayName: r.display_name, passwordHash: r.password_hash } : null;
}
