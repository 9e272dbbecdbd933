import type pg from "pg";

/** Context of a verb that runs before a tenant is known (SECURITY DEFINER lookups only). */
export interface PoolCtx {
  pool: pg.Pool;
}

/** Context of a tenant verb: every query runs in withTenant AND filters by tenantId. */
export interface TenantCtx {
  pool: pg.Pool;
  tenantId: string;
}
