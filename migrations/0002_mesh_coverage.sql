CREATE TABLE "mesh_coverage" (
	"tenant_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"report_id" text NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"facts" jsonb NOT NULL,
	CONSTRAINT "mesh_coverage_pk" PRIMARY KEY("tenant_id","cluster_id")
);
--> statement-breakpoint
ALTER TABLE "mesh_coverage" ADD CONSTRAINT "mesh_coverage_cluster_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;