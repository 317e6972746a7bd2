import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { idColumn, ownedBy, timeNow } from "./columns";
import { assignments, courses } from "./courses";
import { users } from "./users";

/**
 * A dataset a student uploaded (an image-folder zip, one folder per class) for the lesson's Activity
 * (practice runs) and for assignments in `datasets: student` mode. Decoded once at upload, at the input
 * size the student chose within the assignment's budget; the platform's seeded, stratified split into
 * train / validation / test is stored here, so every run on the dataset sees the same split and the
 * test images a training image copies stay out of the test part. Its files live in the blob store.
 */
export const studentDatasets = pgTable(
  "student_datasets",
  {
    id: idColumn(),
    courseId: ownedBy("course_id", () => courses.id),
    /** The assignment whose allow-list and budget its runs use. */
    assignmentId: ownedBy("assignment_id", () => assignments.id),
    userId: ownedBy("user_id", () => users.id),
    /** What the student called it (by default the zip's file name). */
    name: text("name").notNull(),
    /** Blob key of the uploaded zip (lib/blobs/blob-key.ts). */
    blobKey: text("blob_key").notNull(),
    /** Blob key of the per-class thumbnails the quality panel shows; null when none were made. */
    thumbnailsKey: text("thumbnails_key"),
    /** Square input size in pixels and channels (1 grayscale, 3 colour) chosen at upload. */
    inputSize: integer("input_size").notNull(),
    channels: integer("channels").notNull(),
    /** Class names in label order (the zip's folder names, sorted). */
    classes: jsonb("classes").notNull(),
    /** Images per class, in label order. */
    classCounts: jsonb("class_counts").notNull(),
    imageCount: integer("image_count").notNull(),
    splitSeed: integer("split_seed").notNull(),
    /** The stored split: which part each decoded image belongs to (grader/data/own-dataset-split.ts). */
    split: jsonb("split").notNull(),
    /** The data-quality document the panel draws: counts, sizes, skipped files, duplicates, split sizes. */
    quality: jsonb("quality").notNull(),
    createdAt: timeNow("created_at"),
  },
  (t) => [
    index("student_datasets_user_idx").on(t.userId, t.createdAt),
    index("student_datasets_course_idx").on(t.courseId, t.createdAt),
  ],
);

/**
 * The written report of an assignment, written on the platform in Markdown. It may embed the
 * student's own runs by reference (rendered from the stored reports); `handedInAt` is set when the
 * student hands it in, and instructors grade it with the rubric (rubric_grades).
 */
export const writtenReports = pgTable(
  "written_reports",
  {
    assignmentId: ownedBy("assignment_id", () => assignments.id),
    userId: ownedBy("user_id", () => users.id),
    body: text("body").notNull().default(""),
    handedInAt: timestamp("handed_in_at", { withTimezone: true }),
    updatedAt: timeNow("updated_at"),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] })],
);
