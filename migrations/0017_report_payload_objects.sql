ALTER TABLE "reports" ADD COLUMN "payload_key" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "payload_stored_bytes" integer;--> statement-breakpoint
CREATE INDEX "reports_payload_key_idx" ON "reports" USING btree ("tenant_id","payload_key") WHERE payload_key is not null;