-- These columns hold blob keys (e.g. `submissions/<uuid>/model.zip`), not paths; rows from before keys keep the absolute path they had.
ALTER TABLE "datasets" RENAME COLUMN "blob_path" TO "blob_key";--> statement-breakpoint
ALTER TABLE "submissions" RENAME COLUMN "artifact_path" TO "artifact_key";--> statement-breakpoint
ALTER TABLE "submissions" RENAME COLUMN "written_report_path" TO "written_report_key";
