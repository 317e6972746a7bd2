CREATE TABLE "student_datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"assignment_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"blob_key" text NOT NULL,
	"thumbnails_key" text,
	"input_size" integer NOT NULL,
	"channels" integer NOT NULL,
	"classes" jsonb NOT NULL,
	"class_counts" jsonb NOT NULL,
	"image_count" integer NOT NULL,
	"split_seed" integer NOT NULL,
	"split" jsonb NOT NULL,
	"quality" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "written_reports" (
	"assignment_id" text NOT NULL,
	"user_id" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"handed_in_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "written_reports_assignment_id_user_id_pk" PRIMARY KEY("assignment_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "purpose" text DEFAULT 'graded' NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "student_dataset_id" text;--> statement-breakpoint
ALTER TABLE "student_datasets" ADD CONSTRAINT "student_datasets_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_datasets" ADD CONSTRAINT "student_datasets_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_datasets" ADD CONSTRAINT "student_datasets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "written_reports" ADD CONSTRAINT "written_reports_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "written_reports" ADD CONSTRAINT "written_reports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "student_datasets_user_idx" ON "student_datasets" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "student_datasets_course_idx" ON "student_datasets" USING btree ("course_id","created_at");--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_student_dataset_id_student_datasets_id_fk" FOREIGN KEY ("student_dataset_id") REFERENCES "public"."student_datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submissions_student_dataset_idx" ON "submissions" USING btree ("student_dataset_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_dataset_baseline_idx" ON "submissions" USING btree ("student_dataset_id") WHERE purpose = 'baseline';