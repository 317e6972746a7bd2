import { and, count, eq, gte, inArray, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions, users } from "@/db/schema";
import { SubmissionLimitError } from "./submission-limit-error";

export type Submission = typeof submissions.$inferSelect;
export type SubmissionKind = Submission["kind"];

/** The per-student limits of one assignment (`limits` in its assignment.yaml). */
export interface SubmissionLimits {
  /** Submissions per student per UTC day that count towards the quota. */
  dailySubmissions: number;
  /** Submissions a student may have waiting or running at once. */
  maxQueuedPerStudent: number;
}

export interface NewSubmission {
  assignmentId: string;
  userId: string;
  kind: SubmissionKind;
  /** The validated spec (null in evaluate mode). */
  spec: unknown;
  artifactPath?: string | null;
  writtenReportPath?: string | null;
  writtenReportType?: string | null;
  /** Fixes initialisation, shuffling and augmentation. Random when omitted. */
  seed?: number;
}

/** Largest seed: fits the grader's 32-bit seeded generators. */
const MAX_SEED = 2 ** 31 - 1;

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Inserts a `queued` submission if the student is within the assignment's limits. The limit checks
 * and the insert share one transaction, and the student's `users` row is locked first, so two
 * submits racing each other (two tabs, a double click) are counted one after the other.
 * Enqueue the returned id only after this resolves (the transaction has committed by then).
 *
 * @throws SubmissionLimitError when the queued cap or the daily quota is reached.
 */
export async function createSubmission(
  db: Db,
  input: NewSubmission,
  limits: SubmissionLimits,
  now: Date = new Date(),
): Promise<Submission> {
  return db.transaction(async (tx) => {
    const locked = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for("update");
    if (locked.length === 0) throw new Error(`createSubmission: no user ${input.userId}`);

    const mine = and(eq(submissions.userId, input.userId), eq(submissions.assignmentId, input.assignmentId));
    const [{ pending }] = await tx
      .select({ pending: count() })
      .from(submissions)
      .where(and(mine, inArray(submissions.status, ["queued", "running"])));
    if (pending >= limits.maxQueuedPerStudent) {
      throw new SubmissionLimitError(
        "queued_cap",
        `You already have ${plural(pending, "submission")} waiting to be graded; this assignment allows ` +
          `${limits.maxQueuedPerStudent} at a time. Submit again once one of them has finished.`,
      );
    }

    const dayStart = startOfUtcDay(now);
    const [{ today }] = await tx
      .select({ today: count() })
      .from(submissions)
      .where(
        and(
          mine,
          gte(submissions.createdAt, dayStart),
          eq(submissions.countsTowardQuota, true),
          ne(submissions.status, "rejected"),
        ),
      );
    if (today >= limits.dailySubmissions) {
      const reset = new Date(dayStart.getTime() + 24 * 3600 * 1000);
      throw new SubmissionLimitError(
        "daily_limit",
        `You have used all ${plural(limits.dailySubmissions, "submission")} allowed today. ` +
          `The quota resets at ${reset.toISOString().slice(0, 16).replace("T", " ")} UTC; failed runs do not count.`,
      );
    }

    const [row] = await tx
      .insert(submissions)
      .values({
        assignmentId: input.assignmentId,
        userId: input.userId,
        kind: input.kind,
        spec: input.spec ?? null,
        artifactPath: input.artifactPath ?? null,
        writtenReportPath: input.writtenReportPath ?? null,
        writtenReportType: input.writtenReportType ?? null,
        seed: input.seed ?? Math.floor(Math.random() * MAX_SEED),
        status: "queued",
        createdAt: now,
      })
      .returning();
    return row;
  });
}

/**
 * Records a submission refused at submit time (invalid or over-budget spec) with the reason the
 * student sees. It is final at once, never queued, and uses none of the quota.
 */
export async function recordRejectedSubmission(
  db: Db,
  input: NewSubmission & { errorMessage: string },
  now: Date = new Date(),
): Promise<Submission> {
  const [row] = await db
    .insert(submissions)
    .values({
      assignmentId: input.assignmentId,
      userId: input.userId,
      kind: input.kind,
      spec: input.spec ?? null,
      artifactPath: input.artifactPath ?? null,
      seed: input.seed ?? 0,
      status: "rejected",
      errorMessage: input.errorMessage,
      countsTowardQuota: false,
      createdAt: now,
      finishedAt: now,
    })
    .returning();
  return row;
}
