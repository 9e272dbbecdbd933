-- Retention of payloads kept in the object store, across tenants (the sweep runs without a tenant): list the
-- objects whose reports have all passed retention, and release one object's reports. The sweep deletes an
-- object only after its release found no report left that needs it, under the key's advisory lock, which the
-- upload takes too (upload: lock, store, insert; sweep: lock, release, delete), so an upload of the same body
-- never ends up pointing at a deleted object.
CREATE FUNCTION bulwark_expired_payload_objects(p_older_than interval, p_limit integer)
RETURNS TABLE (tenant_id text, payload_key text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT r.tenant_id, r.payload_key FROM reports r
  WHERE r.payload_key IS NOT NULL AND r.status IN ('done', 'failed') AND r.received_at < now() - p_older_than
  LIMIT p_limit
$$;
--> statement-breakpoint
CREATE FUNCTION bulwark_release_payload_object(p_tenant text, p_key text, p_older_than interval)
RETURNS TABLE (released bigint, unreferenced boolean)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH u AS (
    UPDATE reports SET payload_key = NULL, payload_purged_at = now()
    WHERE tenant_id = p_tenant AND payload_key = p_key AND status IN ('done', 'failed')
      AND received_at < now() - p_older_than
    RETURNING id
  )
  SELECT (SELECT count(*) FROM u),
    NOT EXISTS (SELECT 1 FROM reports r WHERE r.tenant_id = p_tenant AND r.payload_key = p_key
                  AND r.id NOT IN (SELECT id FROM u))
$$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['bulwark_expired_payload_objects(interval, integer)',
                           'bulwark_release_payload_object(text, text, interval)']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO bulwark_definer', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bulwark_app', f);
  END LOOP;
END $$;
