import { and, count, eq, gte, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { submissions, users } from "@/db/schema";
import type { SubmissionPurpose } from "@/db/schema/grading";
import { IdempotencyKeyReusedError, SubmissionLimitError } from "./submission-limit-error";
import { quotaUsedSince, startOfUtcDay } from "./quota-used-today";

export type Submission = typeof submissions.$inferSelect;
export type SubmissionKind = Submission["kind"];

/** The per-student limits of one assignment (`limits` in its assignment.yaml). */
export interface SubmissionLimits {
  /** Submissions per student per UTC day that count towards the quota. */
  dailySubmissions: number;
  /** Submissions a student may have waiting or running at once. */
  maxQueuedPerStudent: number;
}

/** How many refused specs an assignment records per student per UTC day (`limits` in assignment.yaml). */
export interface RejectedSubmissionLimits {
  dailyRejectedSubmissions: number;
}

export interface NewSubmission {
  assignmentId: string;
  userId: string;
  kind: SubmissionKind;
  /** The validated spec (null in evaluate mode). */
  spec: unknown;
  artifactKey?: string | null;
  writtenReportKey?: string | null;
  writtenReportType?: string | null;
  /** Fixes initialisation, shuffling and augmentation. Random when omitted. */
  seed?: number;
  /** The submit form's key for this one submit (see createSubmission); none for other callers. */
  idempotencyKey?: string | null;
  /**
   * `graded` (the default) counts for the assignment; `practice` is an ungraded run on the student's own dataset,
   * with a quota and a queued cap of its own (the caller passes the practice limits); `baseline` is the platform's
   * run, which no limit applies to.
   */
  purpose?: SubmissionPurpose;
  /** The student's dataset the run trains and is scored on (practice, baseline, `datasets: student` mode). */
  studentDatasetId?: string | null;
}

/** A submission as createSubmission returns it: `replayed` when the key named an earlier one. */
export type CreatedSubmission = Submission & { replayed: boolean };

/** Largest seed: fits the grader's 32-bit seeded generators. */
const MAX_SEED = 2 ** 31 - 1;

/** The columns a new submission row takes from its input, whatever status it starts in. */
function columnsOf(input: NewSubmission, now: Date) {
  return {
    assignmentId: input.assignmentId,
    userId: input.userId,
    kind: input.kind,
    purpose: input.purpose ?? "graded",
    studentDatasetId: input.studentDatasetId ?? null,
    spec: input.spec ?? null,
    artifactKey: input.artifactKey ?? null,
    createdAt: now,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** When the UTC day that `dayStart` begins ends, as a student reads it ("2030-03-05 00:00 UTC"). */
function nextUtcDay(dayStart: Date): string {
  return `${new Date(dayStart.getTime() + 24 * 3600 * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Inserts a `queued` submission if the student is within the assignment's limits. The limit checks
 * and the insert share one transaction, and the student's `users` row is locked first, so two
 * submits racing each other (two tabs, a double click) are counted one after the other.
 * Enqueue the returned id only after this resolves (the transaction has committed by then).
 *
 * With an idempotency key, a submission the same student already made with that key is returned
 * as it is (`replayed`), before any limit is counted: a double click or a retried request is one
 * submission and one use of the quota. The lock above makes the second request wait for the
 * first one's commit, so it finds the row; the unique index on (user, key) stands behind that.
 *
 * @throws SubmissionLimitError when the queued cap or the daily quota (of the submission's purpose) is reached.
 * @throws IdempotencyKeyReusedError when the key was used for another assignment, purpose or dataset.
 */
export async function createSubmission(
  db: Db,
  input: NewSubmission,
  limits: SubmissionLimits,
  /** The submission's time; by default the moment the lock is held, so limits are counted at the insert's own time. */
  at?: Date,
): Promise<CreatedSubmission> {
  return db.transaction(async (tx) => {
    const locked = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for("update");
    if (locked.length === 0) throw new Error(`createSubmission: no user ${input.userId}`);
    // Taken after the lock: a submit that waited behind another is stamped when it is counted, not when it arrived
    // (a run that finished meanwhile was correctly not counted as pending).
    const now = at ?? new Date();

    if (input.idempotencyKey) {
      const [earlier] = await tx
        .select()
        .from(submissions)
        .where(and(eq(submissions.userId, input.userId), eq(submissions.idempotencyKey, input.idempotencyKey)));
      if (earlier) {
        const sameTarget = earlier.assignmentId === input.assignmentId && earlier.purpose === (input.purpose ?? "graded") &&
          earlier.studentDatasetId === (input.studentDatasetId ?? null);
        if (!sameTarget) throw new IdempotencyKeyReusedError();
        return { ...earlier, replayed: true };
      }
    }

    const purpose = input.purpose ?? "graded";
    // Platform runs are made once per dataset by the platform itself: no student limit applies to them.
    if (purpose !== "baseline") await checkLimits(tx, { ...input, purpose }, limits, now);

    const [row] = await tx
      .insert(submissions)
      .values({
        ...columnsOf(input, now),
        writtenReportKey: input.writtenReportKey ?? null,
        writtenReportType: input.writtenReportType ?? null,
        seed: input.seed ?? Math.floor(Math.random() * MAX_SEED),
        idempotencyKey: input.idempotencyKey ?? null,
        status: "queued",
      })
      .returning();
    return { ...row, replayed: false };
  });
}

/**
 * The queued cap and the daily quota of one purpose: graded submissions and practice runs are counted apart, so
 * practice waiting in the queue never holds a graded submission back, and neither uses the other's quota.
 */
async function checkLimits(
  tx: Tx,
  input: NewSubmission & { purpose: SubmissionPurpose },
  limits: SubmissionLimits,
  now: Date,
): Promise<void> {
  const practice = input.purpose === "practice";
  const mine = and(eq(submissions.userId, input.userId), eq(submissions.assignmentId, input.assignmentId), eq(submissions.purpose, input.purpose));
  const [{ pending }] = await tx
    .select({ pending: count() })
    .from(submissions)
    .where(and(mine, inArray(submissions.status, ["queued", "running"])));
  if (pending >= limits.maxQueuedPerStudent) {
    throw new SubmissionLimitError(
      "queued_cap",
      practice
        ? `You already have ${plural(pending, "practice run")} waiting or training; ${limits.maxQueuedPerStudent} may wait at a time. ` +
          "Start another once one of them has finished."
        : `You already have ${plural(pending, "submission")} waiting to be graded; this assignment allows ` +
          `${limits.maxQueuedPerStudent} at a time. Submit again once one of them has finished.`,
    );
  }

  const dayStart = startOfUtcDay(now);
  const today = await quotaUsedSince(tx, input, dayStart);
  if (today >= limits.dailySubmissions) {
    throw new SubmissionLimitError(
      "daily_limit",
      practice
        ? `You have used all ${plural(limits.dailySubmissions, "practice run")} allowed today (graded submissions have a quota of ` +
          `their own). The quota resets at ${nextUtcDay(dayStart)}; failed runs do not count.`
        : `You have used all ${plural(limits.dailySubmissions, "submission")} allowed today. ` +
          `The quota resets at ${nextUtcDay(dayStart)}; failed runs do not count.`,
    );
  }
}

/**
 * Records a submission refused at submit time (invalid or over-budget spec) with the reason the
 * student sees. It is final at once, never queued, and uses none of the grading quota; refused
 * specs have a daily cap of their own, counted under the same lock as createSubmission's, so
 * stored refusals per student stay bounded however fast they arrive. The caller bounds `spec`
 * and `errorMessage` (grader/queue/rejected-spec.ts).
 *
 * @throws SubmissionLimitError (`rejected_limit`) when today's refusals are used up: nothing is
 *   stored, and the message still gives the reason this spec was refused.
 */
export async function recordRejectedSubmission(
  db: Db,
  input: NewSubmission & { errorMessage: string },
  limits: RejectedSubmissionLimits,
  at?: Date,
): Promise<Submission> {
  return db.transaction(async (tx) => {
    const locked = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for("update");
    if (locked.length === 0) throw new Error(`recordRejectedSubmission: no user ${input.userId}`);
    const now = at ?? new Date();
    const dayStart = startOfUtcDay(now);
    const [{ refused }] = await tx
      .select({ refused: count() })
      .from(submissions)
      .where(
        and(
          eq(submissions.userId, input.userId),
          eq(submissions.assignmentId, input.assignmentId),
          eq(submissions.status, "rejected"),
          gte(submissions.createdAt, dayStart),
        ),
      );
    if (refused >= limits.dailyRejectedSubmissions) {
      throw new SubmissionLimitError(
        "rejected_limit",
        `${input.errorMessage} — This spec was not saved to your history: today you already have ` +
          `${plural(refused, "refused submission")}, the most this assignment keeps in a day. A spec that passes ` +
          `the checks can still be submitted now; refused ones are saved again from ${nextUtcDay(dayStart)}.`,
      );
    }
    const [row] = await tx
      .insert(submissions)
      .values({
        ...columnsOf(input, now),
        seed: input.seed ?? 0,
        status: "rejected",
        errorMessage: input.errorMessage,
        countsTowardQuota: false,
        finishedAt: now,
      })
      .returning();
    return row;
  });
}
