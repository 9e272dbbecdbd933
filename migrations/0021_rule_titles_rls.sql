-- Row-level security for the rule catalog, and the catalog of existing installations (FORCEd RLS would hide
-- every finding from a non-superuser owner, so it is lifted for the backfill only).
GRANT SELECT, INSERT, UPDATE, DELETE ON rule_titles TO bulwark_app;
--> statement-breakpoint
ALTER TABLE rule_titles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE rule_titles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON rule_titles TO bulwark_app
  USING (tenant_id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
ALTER TABLE findings NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE rule_titles NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO rule_titles (tenant_id, rule_id, title_hash, title)
SELECT DISTINCT ON (tenant_id, rule_id, md5(title)::uuid) tenant_id, rule_id, md5(title)::uuid, title
FROM findings
ON CONFLICT DO NOTHING;
--> statement-breakpoint
ALTER TABLE findings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE rule_titles FORCE ROW LEVEL SECURITY;
