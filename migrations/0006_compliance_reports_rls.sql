-- Row-level security for compliance_reports, as for every tenant table (0001_rls_roles.sql).
GRANT SELECT, INSERT, UPDATE, DELETE ON compliance_reports TO bulwark_app;
--> statement-breakpoint
ALTER TABLE compliance_reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE compliance_reports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON compliance_reports TO bulwark_app
  USING (tenant_id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('bulwark.tenant_id', true));
