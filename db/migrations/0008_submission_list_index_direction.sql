DROP INDEX "counted_submissions_public_idx";--> statement-breakpoint
DROP INDEX "counted_submissions_private_idx";--> statement-breakpoint
DROP INDEX "score_overrides_submission_idx";--> statement-breakpoint
DROP INDEX "submissions_assignment_created_idx";--> statement-breakpoint
CREATE INDEX "score_overrides_submission_idx" ON "score_overrides" USING btree ("submission_id","created_at");--> statement-breakpoint
CREATE INDEX "submissions_assignment_created_idx" ON "submissions" USING btree ("assignment_id","created_at","id");