CREATE TABLE "posture_counts" (
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"source" text NOT NULL,
	"strategy" text NOT NULL,
	"severity" text NOT NULL,
	"suppressed_until" timestamp with time zone NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "posture_counts_pk" PRIMARY KEY("tenant_id","cluster_id","source","strategy","severity","suppressed_until")
);
--> statement-breakpoint
CREATE TABLE "posture_daily" (
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"day" date NOT NULL,
	"counts" jsonb NOT NULL,
	"origin" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posture_daily_pk" PRIMARY KEY("tenant_id","cluster_id","day")
);
--> statement-breakpoint
CREATE TABLE "posture_resolved" (
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"day" date NOT NULL,
	"strategy" text NOT NULL,
	"severity" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "posture_resolved_pk" PRIMARY KEY("tenant_id","cluster_id","day","strategy","severity")
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"days" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
DROP INDEX "findings_rule_idx";--> statement-breakpoint
DROP INDEX "findings_first_seen_idx";--> statement-breakpoint
ALTER TABLE "finding_events" ADD COLUMN "suppression_id" text;--> statement-breakpoint
ALTER TABLE "finding_events" ADD COLUMN "kind" text GENERATED ALWAYS AS (CASE WHEN from_status IS NULL THEN 'new' WHEN to_status = 'resolved' THEN 'resolved' WHEN to_status = 'suppressed' THEN 'suppressed' WHEN from_status = 'suppressed' THEN 'unsuppressed' ELSE 'reopened' END) STORED NOT NULL;--> statement-breakpoint
-- existing rows: the open episode began at the last reopening, else when first seen (then NOT NULL)
ALTER TABLE "findings" ADD COLUMN "opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "findings" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "finding_events" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "findings" f SET "opened_at" = coalesce(
  (SELECT max(e.at) FROM "finding_events" e
   WHERE e.tenant_id = f.tenant_id AND e.finding_id = f.id AND e.to_status = 'open'),
  f.first_seen_at);--> statement-breakpoint
ALTER TABLE "findings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "finding_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "opened_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "suppressed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posture_counts" ADD CONSTRAINT "posture_counts_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posture_daily" ADD CONSTRAINT "posture_daily_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posture_resolved" ADD CONSTRAINT "posture_resolved_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "finding_events_at_idx" ON "finding_events" USING btree ("tenant_id","at","id");--> statement-breakpoint
CREATE INDEX "findings_last_seen_idx" ON "findings" USING btree ("tenant_id","status","last_seen_at","id");--> statement-breakpoint
CREATE INDEX "findings_suppressed_until_idx" ON "findings" USING btree ("suppressed_until") WHERE suppressed_until is not null;--> statement-breakpoint
CREATE INDEX "findings_rule_idx" ON "findings" USING btree ("tenant_id","rule_id","status","id");--> statement-breakpoint
CREATE INDEX "findings_first_seen_idx" ON "findings" USING btree ("tenant_id","status","first_seen_at","id");