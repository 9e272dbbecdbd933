DROP INDEX "clusters_tenant_name_uq";--> statement-breakpoint
ALTER TABLE "clusters" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "request_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "clusters_tenant_name_uq" ON "clusters" USING btree ("tenant_id","name") WHERE deleted_at is null;