import { sql } from "drizzle-orm";
import {
  bigint, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";
import { idColumn, ownedBy, timeNow } from "./columns";
import { datasetRoleEnum, submissionKindEnum, submissionStatusEnum } from "./enums";
import { assignments } from "./courses";
import { users } from "./users";
import { studentDatasets } from "./own-datasets";

/**
 * Why a submission exists: `graded` counts for the assignment (leaderboard, gradebook, quota);
 * `practice` is an ungraded run on a student's own dataset (its own quota, lower queue priority);
 * `baseline` is the platform's run of the reference CNN on a student's dataset, made once per dataset.
 */
export const SUBMISSION_PURPOSES = ["graded", "practice", "baseline"] as const;
export type SubmissionPurpose = (typeof SUBMISSION_PURPOSES)[number];

/** Training and held-out sets of an assignment; their files live in the blob store. */
export const datasets = pgTable(
  "datasets",
  {
    id: idColumn(),
    assignmentId: ownedBy("assignment_id", () => assignments.id),
    role: datasetRoleEnum("role").notNull(),
    name: text("name").notNull(),
    /** image-folder | cifar10 | mnist-idx | builtin:<name> */
    format: text("format").notNull(),
    /** Blob key of the upload (lib/blobs/blob-key.ts); rows from before keys hold an absolute path. */
    blobKey: text("blob_key"),
    /**
     * The grader's whole reference to it (format, path, files), as the upload decoded it. The
     * effective assignment config takes the active row's ref over assignment.yaml's (null on rows
     * uploaded before this column: format and blob path are read instead).
     */
    ref: jsonb("ref"),
    classes: jsonb("classes").notNull(),
    classCounts: jsonb("class_counts").notNull(),
    exampleCount: integer("example_count").notNull(),
    /** Seeded, stored public/private assignment of each held-out example (labels never leave the server). */
    splitSeed: integer("split_seed"),
    publicFraction: real("public_fraction"),
    active: boolean("active").notNull().default(true),
    createdAt: timeNow("created_at"),
  },
  (t) => [index("datasets_assignment_idx").on(t.assignmentId, t.role)],
);

/**
 * The public/private split of the held-out set an instructor chose. A row of its own, so the content
 * sync (which rewrites `assignments.config` from assignment.yaml) never undoes it; without a row the
 * YAML's publicFraction and splitSeed apply.
 */
export const heldoutSplits = pgTable("heldout_splits", {
  assignmentId: text("assignment_id")
    .primaryKey()
    .references(() => assignments.id, { onDelete: "cascade" }),
  publicFraction: real("public_fraction").notNull(),
  splitSeed: integer("split_seed").notNull(),
  updatedAt: timeNow("updated_at"),
});

export const submissions = pgTable(
  "submissions",
  {
    id: idColumn(),
    assignmentId: ownedBy("assignment_id", () => assignments.id),
    userId: ownedBy("user_id", () => users.id),
    kind: submissionKindEnum("kind").notNull(),
    purpose: text("purpose", { enum: SUBMISSION_PURPOSES }).notNull().default("graded"),
    /** The student's dataset it trains and is scored on (practice, baseline, `datasets: student` mode); null: the assignment's. */
    studentDatasetId: text("student_dataset_id").references(() => studentDatasets.id),
    /** The validated spec (cnn/transfer/keras + training block); null in evaluate mode. */
    spec: jsonb("spec"),
    /**
     * Blob key of an uploaded trained model (evaluate mode), e.g. `submissions/<uuid>/model.zip`: any
     * host with the shared store finds it (lib/blobs/blob-store.ts). Rows from before keys hold an absolute path.
     */
    artifactKey: text("artifact_key"),
    /** Blob key (or, on older rows, absolute path) and type of the optional written report (Markdown or PDF). */
    writtenReportKey: text("written_report_key"),
    writtenReportType: text("written_report_type"),
    status: submissionStatusEnum("status").notNull().default("queued"),
    /** Grading attempts started (infrastructure retries increment it). */
    attempts: integer("attempts").notNull().default(0),
    /** Grading run number; a regrade increments it and keeps older reports. */
    run: integer("run").notNull().default(1),
    seed: bigint("seed", { mode: "number" }).notNull(),
    errorMessage: text("error_message"),
    /** False for failed or infrastructure-cancelled runs: they do not use the daily quota. */
    countsTowardQuota: boolean("counts_toward_quota").notNull().default(true),
    /** Last progress event (grader/contracts/grading-progress.ts), so a page reload shows where grading is. */
    progress: jsonb("progress"),
    /** The run's training curves so far (progressHistorySchema), so a page opened mid-run draws them at once. */
    progressHistory: jsonb("progress_history"),
    workerId: text("worker_id"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    /**
     * The key the submit form sends once per rendering of the form: a double click or a retried
     * request carries the same key and gets this submission back instead of a second one.
     */
    idempotencyKey: text("idempotency_key"),
    createdAt: timeNow("created_at"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("submissions_user_assignment_idx").on(t.userId, t.assignmentId, t.createdAt),
    index("submissions_status_idx").on(t.status, t.createdAt),
    index("submissions_assignment_status_idx").on(t.assignmentId, t.status),
    // The instructor's list pages through an assignment newest first (a cursor on created_at, id),
    // reading this index backwards. Ascending on purpose: drizzle's desc() means DESC NULLS LAST,
    // which an ORDER BY … DESC (NULLS FIRST) cannot use.
    index("submissions_assignment_created_idx").on(t.assignmentId, t.createdAt, t.id),
    // Null keys (rejected specs, regrades, older rows) are distinct in a unique index, so only keyed rows collide.
    uniqueIndex("submissions_user_idempotency_key_idx").on(t.userId, t.idempotencyKey),
    index("submissions_student_dataset_idx").on(t.studentDatasetId, t.createdAt),
    // One platform baseline per dataset.
    uniqueIndex("submissions_dataset_baseline_idx").on(t.studentDatasetId).where(sql`purpose = 'baseline'`),
  ],
);

/** One scored report per submission run: a duplicate delivery writes the same row once. */
export const reports = pgTable(
  "reports",
  {
    id: idColumn(),
    submissionId: ownedBy("submission_id", () => submissions.id),
    run: integer("run").notNull(),
    /** Score on the public part of the held-out set (live leaderboard). */
    publicScore: real("public_score"),
    /** Score on the private part (revealed after the deadline). */
    privateScore: real("private_score"),
    /** Score over the whole held-out set. */
    score: real("score"),
    paramCount: bigint("param_count", { mode: "number" }),
    /**
     * The whole typed report document (grader/report): metrics, confusion matrices, per-class rows,
     * backend and timings live here and nowhere else (the page reads them from it).
     */
    report: jsonb("report").notNull(),
    createdAt: timeNow("created_at"),
  },
  (t) => [uniqueIndex("reports_submission_run_idx").on(t.submissionId, t.run)],
);

/**
 * The submission that counts for each student on an assignment, and its scores, as
 * domain/grading/counted-submission.ts decides it. Kept up to date in the same transaction as the
 * report or override it depends on, so the leaderboard and the gradebook read one indexed row per
 * student instead of every report. `rule` is the assignment's counting rule the row was chosen by:
 * a row chosen by another rule is stale (the content sync recounts the assignment).
 */
export const countedSubmissions = pgTable(
  "counted_submissions",
  {
    assignmentId: ownedBy("assignment_id", () => assignments.id),
    userId: ownedBy("user_id", () => users.id),
    submissionId: ownedBy("submission_id", () => submissions.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull(),
    /** The newest override when there is one, else the newest report's score on the public part. */
    publicScore: real("public_score").notNull(),
    /** The same on the private part (an override sets both). */
    privateScore: real("private_score").notNull(),
    source: text("source", { enum: ["report", "override"] }).notNull(),
    rule: text("rule", { enum: ["best", "latest"] }).notNull(),
    updatedAt: timeNow("updated_at"),
  },
  // The primary key is the index both pages read by: an assignment's rows (the leaderboard ranks a
  // class's rows in SQL), or one student's.
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] })],
);

export const scoreOverrides = pgTable(
  "score_overrides",
  {
    id: idColumn(),
    submissionId: ownedBy("submission_id", () => submissions.id),
    score: real("score").notNull(),
    reason: text("reason").notNull(),
    byUserId: text("by_user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timeNow("created_at"),
  },
  // The newest override of a submission is the one that counts.
  (t) => [index("score_overrides_submission_idx").on(t.submissionId, t.createdAt)],
);

/** Instructor grading of the written report against the assignment's rubric. */
export const rubricGrades = pgTable(
  "rubric_grades",
  {
    id: idColumn(),
    assignmentId: ownedBy("assignment_id", () => assignments.id),
    userId: ownedBy("user_id", () => users.id),
    submissionId: text("submission_id").references(() => submissions.id, { onDelete: "set null" }),
    scores: jsonb("scores").notNull(),
    total: real("total").notNull(),
    comment: text("comment"),
    gradedBy: text("graded_by")
      .notNull()
      .references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex("rubric_grades_user_idx").on(t.assignmentId, t.userId)],
);
