-- Row-level security, grants and lookups for users, memberships, sessions, invitations, sign-in links, SSO and
-- the audit log (hand-written; see 0001_rls_roles.sql for the roles).
--
-- Two settings scope a transaction: bulwark.tenant_id (the tenant acted in, as before) and bulwark.user_id
-- (the signed-in user, for what belongs to the person rather than to a tenant: their user row, their
-- memberships across tenants, their sessions).
GRANT SELECT, INSERT, UPDATE, DELETE ON users, memberships, sessions, invitations, sign_in_links, sso_providers,
  user_identities TO bulwark_app;
--> statement-breakpoint
-- The audit log is append-only for the application: no UPDATE, DELETE or TRUNCATE (0001's default privileges
-- would otherwise grant them). Its rows go only through the retention function below or with their tenant.
REVOKE ALL ON audit_log FROM bulwark_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_log TO bulwark_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE audit_log_id_seq TO bulwark_app;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'memberships', 'sessions', 'invitations', 'sign_in_links', 'sso_providers',
                           'user_identities', 'audit_log']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['memberships', 'invitations', 'sign_in_links', 'sso_providers', 'user_identities']
  LOOP
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I TO bulwark_app '
      'USING (tenant_id = current_setting(''bulwark.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''bulwark.tenant_id'', true))', t);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON audit_log FOR SELECT TO bulwark_app
  USING (tenant_id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
CREATE POLICY tenant_append ON audit_log FOR INSERT TO bulwark_app
  WITH CHECK (tenant_id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
-- a user reads their own memberships in every tenant (GET /v1/me, sign-in)
CREATE POLICY member_self ON memberships FOR SELECT TO bulwark_app
  USING (user_id = current_setting('bulwark.user_id', true));
--> statement-breakpoint
-- ... and the names of those tenants
CREATE POLICY tenant_of_member ON tenants FOR SELECT TO bulwark_app
  USING (EXISTS (SELECT 1 FROM memberships m
                 WHERE m.tenant_id = tenants.id AND m.user_id = current_setting('bulwark.user_id', true)));
--> statement-breakpoint
-- a user row: the user themself, or read-only for the tenant they are a member of
CREATE POLICY user_self ON users TO bulwark_app
  USING (id = current_setting('bulwark.user_id', true))
  WITH CHECK (id = current_setting('bulwark.user_id', true));
--> statement-breakpoint
CREATE POLICY user_in_tenant ON users FOR SELECT TO bulwark_app
  USING (EXISTS (SELECT 1 FROM memberships m
                 WHERE m.user_id = users.id AND m.tenant_id = current_setting('bulwark.tenant_id', true)));
--> statement-breakpoint
-- a session: its user (sign out everywhere, switching tenant) or the tenant it acts in (removing a member,
-- deleting the tenant)
CREATE POLICY session_access ON sessions TO bulwark_app
  USING (user_id = current_setting('bulwark.user_id', true)
         OR tenant_id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (user_id = current_setting('bulwark.user_id', true)
              OR tenant_id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
GRANT SELECT ON users, memberships, sessions, tenants, clusters, findings TO bulwark_definer;
--> statement-breakpoint
GRANT DELETE ON users, sessions, audit_log TO bulwark_definer;
--> statement-breakpoint
CREATE POLICY definer_lookup ON users FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_purge ON users FOR DELETE TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON memberships FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON sessions FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_purge ON sessions FOR DELETE TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON tenants FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON clusters FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON findings FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_lookup ON audit_log FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_purge ON audit_log FOR DELETE TO bulwark_definer USING (true);
--> statement-breakpoint
GRANT SELECT ON audit_log TO bulwark_definer;
--> statement-breakpoint
-- Tokens now carry an expiry and may belong to a user, whose role in the token's tenant caps its scopes
-- (null role: a user token whose user is no longer a member).
DROP FUNCTION bulwark_api_token(text);
--> statement-breakpoint
CREATE FUNCTION bulwark_api_token(p_hash text)
RETURNS TABLE (id text, tenant_id text, name text, scopes text[], revoked_at timestamptz, expires_at timestamptz,
               user_id text, user_email text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.tenant_id, t.name, t.scopes, t.revoked_at, t.expires_at, t.user_id, u.email, m.role
  FROM api_tokens t
  LEFT JOIN users u ON u.id = t.user_id
  LEFT JOIN memberships m ON m.tenant_id = t.tenant_id AND m.user_id = t.user_id
  WHERE t.token_hash = p_hash
$$;
--> statement-breakpoint
-- Resolve a session cookie (its hash) to the session, its user and their role in the session's tenant.
CREATE FUNCTION bulwark_session(p_hash text)
RETURNS TABLE (id text, user_id text, tenant_id text, bound boolean, method text, created_at timestamptz,
               last_seen_at timestamptz, expires_at timestamptz, email text, display_name text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.id, s.user_id, s.tenant_id, s.bound, s.method, s.created_at, s.last_seen_at, s.expires_at,
         u.email, u.display_name, m.role
  FROM sessions s
  JOIN users u ON u.id = s.user_id
  LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
  WHERE s.token_hash = p_hash
$$;
--> statement-breakpoint
-- Sign-in: a user by email (case-insensitive), before any tenant is known.
CREATE FUNCTION bulwark_user_by_email(p_email text)
RETURNS TABLE (id text, email text, display_name text, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.id, u.email, u.display_name, u.password_hash FROM users u WHERE lower(u.email) = lower(p_email)
$$;
--> statement-breakpoint
-- The platform operator's tenant list with usage, newest first, keyset on (created_at, id); p_id picks one.
CREATE FUNCTION bulwark_tenants_page(p_after_created timestamptz, p_after_id text, p_limit integer, p_id text)
RETURNS TABLE (id text, name text, created_at timestamptz, cursor_at text, suspended_at timestamptz,
               suspended_reason text, members bigint, clusters bigint, open_findings bigint, reports_30d bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.name, t.created_at,
         to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         t.suspended_at, t.suspended_reason,
         (SELECT count(*) FROM memberships m WHERE m.tenant_id = t.id),
         (SELECT count(*) FROM clusters c WHERE c.tenant_id = t.id),
         (SELECT count(*) FROM findings f WHERE f.tenant_id = t.id AND f.status = 'open'),
         (SELECT count(*) FROM reports r WHERE r.tenant_id = t.id AND r.received_at > now() - interval '30 days')
  FROM tenants t
  WHERE (p_id IS NULL OR t.id = p_id)
    AND (p_after_created IS NULL OR (t.created_at, t.id) < (p_after_created, p_after_id))
  ORDER BY t.created_at DESC, t.id DESC
  LIMIT p_limit
$$;
--> statement-breakpoint
-- Audit retention. Never younger than 30 days, whatever the caller asks: the application cannot use this to
-- erase recent entries.
CREATE FUNCTION bulwark_purge_audit_log(p_older_than interval)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH d AS (DELETE FROM audit_log WHERE at < now() - greatest(p_older_than, interval '30 days') RETURNING 1)
  SELECT count(*) FROM d
$$;
--> statement-breakpoint
-- Sessions past their absolute expiry or idle for longer than the idle timeout.
CREATE FUNCTION bulwark_purge_sessions(p_idle interval)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH d AS (DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < now() - p_idle RETURNING 1)
  SELECT count(*) FROM d
$$;
--> statement-breakpoint
-- After a tenant is deleted: its former members who now belong to no tenant are deleted too (with their
-- sessions, by cascade). Users still in another tenant stay.
CREATE FUNCTION bulwark_delete_orphan_users(p_ids text[])
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH d AS (
    DELETE FROM users u WHERE u.id = ANY(p_ids)
      AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)
    RETURNING 1
  ) SELECT count(*) FROM d
$$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['bulwark_api_token(text)', 'bulwark_session(text)', 'bulwark_user_by_email(text)',
                           'bulwark_tenants_page(timestamptz, text, integer, text)',
                           'bulwark_purge_audit_log(interval)', 'bulwark_purge_sessions(interval)',
                           'bulwark_delete_orphan_users(text[])']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO bulwark_definer', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bulwark_app', f);
  END LOOP;
END $$;
