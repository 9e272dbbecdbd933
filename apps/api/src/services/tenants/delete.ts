import { withTenant } from "@bulwark/runtime";
import type pg from "pg";
import { ApiError } from "../../errors.js";

/** Every table of the schema with a tenant_id column, from the catalog (tables added later included). */
async function tenantTables(client: pg.PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_attribute a on a.attrelid = c.oid
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
       and a.attname = 'tenant_id' and not a.attisdropped order by 1`,
  );
  return rows.map((r) => r.name);
}

/** Children before parents along the schema's foreign keys, so no delete trips a NO ACTION constraint. */
async function childrenFirst(client: pg.PoolClient, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `select ch.relname as child, pa.relname as parent from pg_constraint k
     join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
     where k.contype = 'f' and k.connamespace = 'public'::regnamespace and k.conrelid <> k.confrelid`,
  );
  const children = new Map<string, string[]>();
  for (const r of rows) children.set(r.parent, [...(children.get(r.parent) ?? []), r.child]);
  const wanted = new Set(tables);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const c of children.get(t) ?? []) visit(c);
    if (wanted.has(t)) out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface DeletedTenant {
  /** rows deleted per table (tables the application may not delete from, the audit log, go by cascade) */
  rows: Record<string, number>;
  usersDeleted: number;
}

/**
 * Delete a tenant and every row of it, in one transaction: each table with a tenant_id column (found in the
 * catalog, so tables added later are covered without a change here), children first, then the tenant row,
 * whose foreign-key cascades take what the application role may not delete itself (the append-only audit
 * log). Before committing, every such table is counted again and any row left aborts the whole deletion.
 * Former members left in no tenant are deleted with their sessions.
 */
export async function deleteTenant({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { tenantId: string };
}): Promise<DeletedTenant> {
  const { tenantId } = input;
  return withTenant(ctx.pool, tenantId, async (_db, client) => {
    const found = await client.query("select 1 from tenants where id = $1 for update", [tenantId]);
    if (found.rowCount === 0) throw new ApiError("not_found", `tenant ${tenantId} not found`);
    const members = await client.query<{ user_id: string }>(
      "select user_id from memberships where tenant_id = $1",
      [tenantId],
    );
    const tables = await childrenFirst(client, await tenantTables(client));
    const rows: Record<string, number> = {};
    for (const t of tables) {
      const canDelete = await client.query<{ ok: boolean }>(
        "select has_table_privilege(current_user, $1, 'DELETE') as ok",
        [`public.${ident(t)}`],
      );
      if (!canDelete.rows[0]?.ok) continue;
      const r = await client.query(`delete from public.${ident(t)} where tenant_id = $1`, [tenantId]);
      rows[t] = r.rowCount ?? 0;
    }
    await client.query("delete from tenants where id = $1", [tenantId]);
    const left: string[] = [];
    for (const t of tables) {
      const r = await client.query<{ n: number }>(
        `select count(*)::int as n from public.${ident(t)} where tenant_id = $1`,
        [tenantId],
      );
      if ((r.rows[0]?.n ?? 0) > 0) left.push(`${t} (${r.rows[0]?.n})`);
    }
    if (left.length > 0) throw new Error(`tenant deletion would leave rows in: ${left.join(", ")}`);
    const orphans = await client.query<{ n: number }>("select bulwark_delete_orphan_users($1) as n", [
      members.rows.map((m) => m.user_id),
    ]);
    return { rows, usersDeleted: orphans.rows[0]?.n ?? 0 };
  });
}
