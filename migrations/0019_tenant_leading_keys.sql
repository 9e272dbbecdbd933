-- Primary keys of the tenant-distributed tables lead with tenant_id (README "Past one machine": a Citus
-- cluster distributed by tenant_id enforces a key only if it contains the distribution column).
ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_rule_fk";
--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_pkey";--> statement-breakpoint
ALTER TABLE "finding_events" DROP CONSTRAINT "finding_events_pkey";--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_pkey";--> statement-breakpoint
ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_pkey";--> statement-breakpoint
ALTER TABLE "notification_rules" DROP CONSTRAINT "notification_rules_pkey";--> statement-breakpoint
ALTER TABLE "reports" DROP CONSTRAINT "reports_pkey";--> statement-breakpoint
ALTER TABLE "suppressions" DROP CONSTRAINT "suppressions_pkey";--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "finding_events" ADD CONSTRAINT "finding_events_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_pk" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_rule_fk" FOREIGN KEY ("tenant_id","rule_id") REFERENCES "public"."notification_rules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "findings_suppressed_list_idx" ON "findings" USING btree ("tenant_id","status","severity_rank","last_seen_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE suppressed_until is not null;