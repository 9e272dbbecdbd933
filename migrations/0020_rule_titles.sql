CREATE TABLE "rule_titles" (
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"title_hash" uuid NOT NULL,
	"title" text NOT NULL,
	"search" text GENERATED ALWAYS AS (lower(rule_id) || chr(10) || lower(title)) STORED NOT NULL,
	CONSTRAINT "rule_titles_pk" PRIMARY KEY("tenant_id","rule_id","title_hash")
);
--> statement-breakpoint
ALTER TABLE "rule_titles" ADD CONSTRAINT "rule_titles_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;