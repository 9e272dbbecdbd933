-- Row-level security for mesh_coverage, as for every tenant table in 0001_rls_roles.sql: ENABLE + FORCE and
-- the tenant_isolation policy for the application role. The explicit GRANT does not rely on the default
-- privileges of 0001 (they only cover tables created by the role that ran it).
GRANT SELECT, INSERT, UPDATE, DELETE ON mesh_coverage TO bulwark_app;
--> statement-breakpoint
ALTER TABLE mesh_coverage ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE mesh_coverage FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON mesh_coverage TO bulwark_app
  USING (tenant_id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('bulwark.tenant_id', true));
