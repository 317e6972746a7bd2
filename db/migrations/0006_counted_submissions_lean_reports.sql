CREATE TABLE "counted_submissions" (
	"assignment_id" text NOT NULL,
	"user_id" text NOT NULL,
	"submission_id" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"public_score" real NOT NULL,
	"private_score" real NOT NULL,
	"source" text NOT NULL,
	"rule" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counted_submissions_assignment_id_user_id_pk" PRIMARY KEY("assignment_id","user_id")
);
--> statement-breakpoint
DROP INDEX "reports_public_score_idx";--> statement-breakpoint
ALTER TABLE "counted_submissions" ADD CONSTRAINT "counted_submissions_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counted_submissions" ADD CONSTRAINT "counted_submissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counted_submissions" ADD CONSTRAINT "counted_submissions_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counted_submissions_public_idx" ON "counted_submissions" USING btree ("assignment_id","public_score" DESC NULLS LAST,"submitted_at","submission_id");--> statement-breakpoint
CREATE INDEX "counted_submissions_private_idx" ON "counted_submissions" USING btree ("assignment_id","private_score" DESC NULLS LAST,"submitted_at","submission_id");--> statement-breakpoint
CREATE INDEX "score_overrides_submission_idx" ON "score_overrides" USING btree ("submission_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "submissions_assignment_created_idx" ON "submissions" USING btree ("assignment_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "metrics";--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "confusion_matrix";--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "per_class";--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "backend";--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "durations";--> statement-breakpoint
ALTER TABLE "reports" DROP COLUMN "flops";--> statement-breakpoint
ALTER TABLE "submissions" DROP COLUMN "parent_submission_id";