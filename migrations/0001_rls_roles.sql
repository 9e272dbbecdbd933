-- Row-level security and the roles the application runs as (hand-written, kept in the drizzle journal).
--
-- bulwark_app      the role the API and workers run every query as (SET ROLE on each pooled connection).
--                  Owns nothing, cannot bypass RLS, sees only the tenant named by bulwark.tenant_id,
--                  which is set per transaction.
-- bulwark_definer  owns the few SECURITY DEFINER functions that must look across tenants before a tenant is
--                  known (signing-key and token lookup) or for maintenance sweeps. Not the table owner either:
--                  RLS is FORCEd, so the owner itself sees nothing without a policy.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bulwark_app') THEN
    BEGIN
      CREATE ROLE bulwark_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently by another database's migration
    END;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bulwark_definer') THEN
    BEGIN
      CREATE ROLE bulwark_definer NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  -- the migrating user must be able to SET ROLE bulwark_app and hand functions to bulwark_definer
  IF NOT pg_has_role(current_user, 'bulwark_app', 'MEMBER') THEN
    EXECUTE format('GRANT bulwark_app TO %I', current_user);
  END IF;
  IF NOT pg_has_role(current_user, 'bulwark_definer', 'MEMBER') THEN
    EXECUTE format('GRANT bulwark_definer TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO bulwark_app, bulwark_definer;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bulwark_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bulwark_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bulwark_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO bulwark_app;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['clusters', 'signing_keys', 'api_tokens', 'reports', 'findings', 'finding_events',
                           'snapshot_heads', 'nonces', 'suppressions']
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
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants TO bulwark_app
  USING (id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
-- bulwark_definer reads across tenants only through the functions below
GRANT SELECT ON signing_keys, api_tokens TO bulwark_definer;
--> statement-breakpoint
GRANT SELECT, UPDATE ON reports TO bulwark_definer;
--> statement-breakpoint
GRANT SELECT, DELETE ON nonces TO bulwark_definer;
--> statement-breakpoint
CREATE POLICY definer_lookup ON signing_keys FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON api_tokens FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_sweep ON reports FOR ALL TO bulwark_definer USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY definer_sweep ON nonces FOR ALL TO bulwark_definer USING (true);
--> statement-breakpoint
-- Resolve a signing key id to its tenant, cluster and encrypted secret (before any tenant is known).
CREATE FUNCTION bulwark_signing_key(p_key_id text)
RETURNS TABLE (tenant_id text, cluster_id text, secret_ciphertext text, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.tenant_id, k.cluster_id, k.secret_ciphertext, k.revoked_at FROM signing_keys k WHERE k.id = p_key_id
$$;
--> statement-breakpoint
-- Resolve an API token hash to its token row (before any tenant is known).
CREATE FUNCTION bulwark_api_token(p_hash text)
RETURNS TABLE (id text, tenant_id text, scopes text[], revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.tenant_id, t.scopes, t.revoked_at FROM api_tokens t WHERE t.token_hash = p_hash
$$;
--> statement-breakpoint
-- Reports accepted but not finished after a grace period: their job may have been lost with Redis.
CREATE FUNCTION bulwark_unfinished_reports(p_older_than interval, p_limit integer)
RETURNS TABLE (tenant_id text, id text, status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.tenant_id, r.id, r.status FROM reports r
  WHERE r.status IN ('queued', 'processing') AND r.received_at < now() - p_older_than
  ORDER BY r.received_at LIMIT p_limit
$$;
--> statement-breakpoint
CREATE FUNCTION bulwark_purge_nonces()
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH d AS (DELETE FROM nonces WHERE expires_at < now() RETURNING 1) SELECT count(*) FROM d
$$;
--> statement-breakpoint
-- Raw payload retention: drop the stored body of finished reports older than the retention period.
CREATE FUNCTION bulwark_purge_payloads(p_older_than interval)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH u AS (
    UPDATE reports SET payload = NULL, payload_purged_at = now()
    WHERE payload IS NOT NULL AND status IN ('done', 'failed') AND received_at < now() - p_older_than
    RETURNING 1
  ) SELECT count(*) FROM u
$$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['bulwark_signing_key(text)', 'bulwark_api_token(text)',
                           'bulwark_unfinished_reports(interval, integer)', 'bulwark_purge_nonces()',
                           'bulwark_purge_payloads(interval)']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO bulwark_definer', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bulwark_app', f);
  END LOOP;
END $$;
