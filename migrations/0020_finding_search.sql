-- q= searches a substring of the title or rule id: a trigram index (pg_trgm), tenant first (btree_gin).
-- Both are trusted extensions (PostgreSQL 13+): the database owner running the migrations may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "findings_search_idx" ON "findings" USING gin ("tenant_id","title" gin_trgm_ops,"rule_id" gin_trgm_ops);
