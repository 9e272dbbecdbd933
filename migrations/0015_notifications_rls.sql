-- Row-level security for the notification tables, as for every tenant table (0001_rls_roles.sql), and the two
-- cross-tenant reads of the notification sync job (which rules need a schedule, which deliveries lost their job).
GRANT SELECT, INSERT, UPDATE, DELETE ON notification_rules, notification_deliveries TO bulwark_app;
--> statement-breakpoint
ALTER TABLE notification_rules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notification_rules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON notification_rules TO bulwark_app
  USING (tenant_id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notification_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON notification_deliveries TO bulwark_app
  USING (tenant_id = current_setting('bulwark.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('bulwark.tenant_id', true));
--> statement-breakpoint
GRANT SELECT ON notification_rules, notification_deliveries TO bulwark_definer;
--> statement-breakpoint
CREATE POLICY definer_sweep ON notification_rules FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
CREATE POLICY definer_sweep ON notification_deliveries FOR SELECT TO bulwark_definer USING (true);
--> statement-breakpoint
-- Enabled rules with their schedule and the end of their last scheduled period: the sync keeps one job
-- scheduler per rule and finds ticks that passed with no outbox row. No channel, filter or secret leaves.
CREATE FUNCTION bulwark_scheduled_rules()
RETURNS TABLE (tenant_id text, id text, cron text, timezone text, scheduled_from timestamptz,
  last_period_end timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.tenant_id, r.id, r.cron, r.timezone, r.scheduled_from,
    (SELECT max(d.period_end) FROM notification_deliveries d
     WHERE d.tenant_id = r.tenant_id AND d.rule_id = r.id AND d.kind = 'scheduled')
  FROM notification_rules r WHERE r.enabled
$$;
--> statement-breakpoint
-- Deliveries still owed whose next attempt is overdue by the grace period: the sync re-enqueues their job
-- (a no-op when Redis still has it).
CREATE FUNCTION bulwark_unfinished_deliveries(p_grace interval, p_limit integer)
RETURNS TABLE (tenant_id text, id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT d.tenant_id, d.id FROM notification_deliveries d
  WHERE d.status IN ('pending', 'sending', 'retrying') AND d.next_attempt_at < now() - p_grace
    AND (d.lease_until IS NULL OR d.lease_until < now())
  ORDER BY d.next_attempt_at
  LIMIT p_limit
$$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['bulwark_scheduled_rules()', 'bulwark_unfinished_deliveries(interval, integer)']
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO bulwark_definer', f);
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bulwark_app', f);
  END LOOP;
END $$;
