CREATE TABLE "heldout_splits" (
	"assignment_id" text PRIMARY KEY NOT NULL,
	"public_fraction" real NOT NULL,
	"split_seed" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "ref" jsonb;--> statement-breakpoint
ALTER TABLE "heldout_splits" ADD CONSTRAINT "heldout_splits_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Uploads made before this migration patched assignments.config; their full reference (with the
-- batch or IDX file names) is still there when the content sync has not overwritten it since.
UPDATE "datasets" AS d SET "ref" = a."config"->'datasets'->(d."role"::text)
  FROM "assignments" AS a
  WHERE a."id" = d."assignment_id" AND a."config"->'datasets'->(d."role"::text)->>'path' = d."blob_path";--> statement-breakpoint
-- A split set before this migration is on the active held-out dataset row (setHeldoutSplit wrote both).
INSERT INTO "heldout_splits" ("assignment_id", "public_fraction", "split_seed")
  SELECT DISTINCT ON ("assignment_id") "assignment_id", "public_fraction", "split_seed" FROM "datasets"
  WHERE "role" = 'heldout' AND "active" AND "public_fraction" IS NOT NULL AND "split_seed" IS NOT NULL
  ORDER BY "assignment_id", "created_at" DESC
  ON CONFLICT ("assignment_id") DO NOTHING;
