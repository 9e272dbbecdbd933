CREATE TABLE "compliance_reports" (
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"framework_id" text NOT NULL,
	"title" text,
	"version" text,
	"report_id" text NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"summary" jsonb NOT NULL,
	"controls" jsonb NOT NULL,
	CONSTRAINT "compliance_reports_pk" PRIMARY KEY("tenant_id","cluster_id","framework_id")
);
--> statement-breakpoint
ALTER TABLE "compliance_reports" ADD CONSTRAINT "compliance_reports_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;