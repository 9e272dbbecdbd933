-- Row-level security for the posture tables, the cross-tenant lookups of the posture jobs, and the maintained
-- state of existing installations (suppression expiries on findings, posture counters).
GRANT SELECT, INSERT, UPDATE, DELETE ON posture_counts, posture_daily, posture_resolved, sla_policies TO bulwark_app;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['posture_counts', 'posture_daily', 'posture_resolved', 'sla_policies']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I TO bulwark_app '
      'USING (tenant_id = current_setting(''bulwark.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''bulwark.tenant_id'', true))', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- the maintained state, computed once for data that predates it (FORCEd RLS would hide every row from a
-- non-superuser owner, so it is lifted for these statements only)
ALTER TABLE findings NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE suppressions NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE posture_counts NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE findings f SET suppressed_until = s.until
FROM (
  SELECT f2.id, max(s.expires_at) AS until
  FROM findings f2 JOIN suppressions s ON s.tenant_id = f2.tenant_id AND s.expires_at > now()
    AND (s.rule_id IS NULL OR s.rule_id = f2.rule_id)
    AND (s.cluster_id IS NULL OR s.cluster_id = f2.cluster_id)
    AND (s.namespace IS NULL OR s.namespace = f2.resource_namespace)
    AND (s.kind IS NULL OR s.kind = f2.resource_kind)
    AND (s.name IS NULL OR s.name = f2.resource_name)
    AND (s.fingerprint IS NULL OR s.fingerprint = f2.fingerprint)
  GROUP BY f2.id
) s
WHERE f.id = s.id;
--> statement-breakpoint
INSERT INTO posture_counts (tenant_id, cluster_id, source, strategy, severity, suppressed_until, n)
SELECT tenant_id, cluster_id, source, strategy, severity, coalesce(suppressed_until, '-infinity'), count(*)
FROM findings WHERE status = 'open'
GROUP BY tenant_id, cluster_id, source, strategy, severity, coalesce(suppressed_until, '-infinity');
--> statement-breakpoint
ALTER TABLE findings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE suppressions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE posture_counts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT ON clusters, findings TO bulwark_definer;
--> statement-breakpoint
CREATE POLICY definer_sweep ON clusters FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_sweep ON findings FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
-- Tenants that have clusters: the day-closing job visits each in a transaction of its own.
CREATE FUNCTION bulwark_tenants_with_clusters()
RETURNS TABLE (tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT c.tenant_id FROM clusters c
$$;
--> statement-breakpoint
-- Tenants with findings whose suppression has lapsed: the sweep records the unsuppression and tidies up.
CREATE FUNCTION bulwark_tenants_with_lapsed_suppressions(p_limit integer)
RETURNS TABLE (tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT f.tenant_id FROM findings f
  WHERE f.suppressed_until IS NOT NULL AND f.suppressed_until <= now()
  LIMIT p_limit
$$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['bulwark_tenants_with_clusters()', 'bulwark_tenants_with_lapsed_suppressions(integer)']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO bulwark_definer', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bulwark_app', f);
  END LOOP;
END $$;
