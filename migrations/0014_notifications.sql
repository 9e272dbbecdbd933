CREATE TABLE "notification_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"kind" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"report_id" text,
	"idempotency_key" text,
	"late" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"response_code" integer,
	"lease_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"channel_type" text NOT NULL,
	"summary" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"channel_type" text NOT NULL,
	"channel" jsonb NOT NULL,
	"channel_secret" text,
	"filters" jsonb NOT NULL,
	"skip_unchanged" boolean DEFAULT false NOT NULL,
	"instant_min_severity" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"scheduled_from" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
-- hand-edited: existing events keep a null recorded_at (they predate summaries); new ones get now()
ALTER TABLE "finding_events" ADD COLUMN "recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finding_events" ALTER COLUMN "recorded_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_rule_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."notification_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_period_uq" ON "notification_deliveries" USING btree ("tenant_id","rule_id","period_start") WHERE kind = 'scheduled';--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_report_uq" ON "notification_deliveries" USING btree ("tenant_id","rule_id","report_id") WHERE kind = 'instant';--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_idem_uq" ON "notification_deliveries" USING btree ("tenant_id","rule_id","idempotency_key") WHERE kind = 'manual' and idempotency_key is not null;--> statement-breakpoint
CREATE INDEX "notification_deliveries_rule_created_idx" ON "notification_deliveries" USING btree ("tenant_id","rule_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notification_deliveries_unfinished_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE status in ('pending', 'sending', 'retrying');--> statement-breakpoint
CREATE INDEX "notification_rules_tenant_created_idx" ON "notification_rules" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notification_rules_instant_idx" ON "notification_rules" USING btree ("tenant_id") WHERE instant_min_severity is not null and enabled;--> statement-breakpoint
CREATE INDEX "finding_events_recorded_idx" ON "finding_events" USING btree ("tenant_id","recorded_at");