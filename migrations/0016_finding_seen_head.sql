ALTER TABLE "findings" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "seen_scope_key" text;