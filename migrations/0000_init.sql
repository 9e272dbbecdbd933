CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "clusters" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "finding_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"finding_id" text NOT NULL,
	"report_id" text,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"source" text NOT NULL,
	"fingerprint" text NOT NULL,
	"rule_id" text NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"severity_rank" smallint NOT NULL,
	"status" text NOT NULL,
	"category" text NOT NULL,
	"strategy" text NOT NULL,
	"nist" text[] NOT NULL,
	"mapped" boolean NOT NULL,
	"resource_kind" text,
	"resource_namespace" text,
	"resource_name" text,
	"resource_container" text,
	"resource_image" text,
	"remediation" text,
	"references" text[] NOT NULL,
	"details" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"last_report_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nonces" (
	"tenant_id" text NOT NULL,
	"key_id" text NOT NULL,
	"nonce" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "nonces_pk" PRIMARY KEY("key_id","nonce")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"error" text,
	"stats" jsonb,
	"superseded_by" text,
	"run_id" text,
	"tool" jsonb,
	"scope" jsonb,
	"scope_key" text NOT NULL,
	"body_sha256" text NOT NULL,
	"payload" "bytea",
	"payload_bytes" integer NOT NULL,
	"payload_purged_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "snapshot_heads" (
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"source" text NOT NULL,
	"scope_key" text NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"report_id" text NOT NULL,
	CONSTRAINT "snapshot_heads_pk" PRIMARY KEY("tenant_id","cluster_id","source","scope_key")
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"rule_id" text,
	"cluster_id" text,
	"namespace" text,
	"kind" text,
	"name" text,
	"fingerprint" text,
	"reason" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_tenant_idx" ON "api_tokens" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "clusters_tenant_name_uq" ON "clusters" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "finding_events_finding_idx" ON "finding_events" USING btree ("tenant_id","finding_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_identity_uq" ON "findings" USING btree ("tenant_id","cluster_id","source","fingerprint");--> statement-breakpoint
CREATE INDEX "findings_list_idx" ON "findings" USING btree ("tenant_id","status","severity_rank","last_seen_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_cluster_list_idx" ON "findings" USING btree ("tenant_id","cluster_id","status","severity_rank","last_seen_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_strategy_idx" ON "findings" USING btree ("tenant_id","strategy","status","severity_rank");--> statement-breakpoint
CREATE INDEX "findings_rule_idx" ON "findings" USING btree ("tenant_id","rule_id");--> statement-breakpoint
CREATE INDEX "findings_resource_idx" ON "findings" USING btree ("tenant_id","resource_namespace","resource_kind","resource_name");--> statement-breakpoint
CREATE INDEX "findings_first_seen_idx" ON "findings" USING btree ("tenant_id","first_seen_at");--> statement-breakpoint
CREATE INDEX "findings_open_by_source_idx" ON "findings" USING btree ("tenant_id","cluster_id","source","resource_namespace") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "reports_dedupe_uq" ON "reports" USING btree ("tenant_id","cluster_id","source","body_sha256");--> statement-breakpoint
CREATE INDEX "reports_tenant_received_idx" ON "reports" USING btree ("tenant_id","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reports_tenant_cluster_source_idx" ON "reports" USING btree ("tenant_id","cluster_id","source","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reports_unfinished_idx" ON "reports" USING btree ("received_at") WHERE status in ('queued', 'processing');--> statement-breakpoint
CREATE INDEX "signing_keys_tenant_cluster_idx" ON "signing_keys" USING btree ("tenant_id","cluster_id");--> statement-breakpoint
CREATE INDEX "suppressions_tenant_expires_idx" ON "suppressions" USING btree ("tenant_id","expires_at");