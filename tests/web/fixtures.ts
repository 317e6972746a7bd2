import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { enrollments, submissions } from "@/db/schema";
import { writeReport } from "@/db/queries/submissions/complete-submission";
import { recountStudent } from "@/domain/grading/recount";
import type { GradingReport, SplitMetrics } from "@/grader/report/schema";
import { HttpError } from "@/lib/errors";
import { deflatedZip } from "../helpers/hostile-zips";
import { fakeReport } from "../queue/fixtures/builders";

/** A multipart POST of these form fields to `url`, as a browser's form submits it to a route handler. */
export function formPost(url: string, fields: Record<string, string | File>): Request {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return new Request(url, { method: "POST", body: fd });
}

/** A zip (deflated, written by yazl) of these files, by name. */
export function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  return deflatedZip(Object.entries(files).map(([name, data]) => ({ name, data })));
}

/** Zip bytes as the file field of an upload form. */
export const zipFile = (bytes: Buffer, name = "upload.zip") => new File([new Uint8Array(bytes)], name, { type: "application/zip" });

/** The HttpError a route call ends in, for asserting status, message and field issues; fails the test if it succeeds. */
export async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error("expected the request to be refused");
}

/** The text a reader sees in rendered markup: tags dropped, apostrophes decoded, white space folded. */
export const visibleText = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&apos;/g, "'").replace(/\s+/g, " ");

/** Metrics for one split of a three-class problem, with a confusion matrix that adds up to `count`. */
export function splitMetrics(accuracy: number, count = 30): SplitMetrics {
  const per = count / 3;
  const right = Math.round(per * accuracy);
  const wrong = per - right;
  const row = (i: number) => [0, 1, 2].map((j) => (i === j ? right : j === (i + 1) % 3 ? wrong : 0));
  const perClass = ["circle", "square", "triangle"].map((className) => ({ className, precision: accuracy, recall: accuracy, f1: accuracy, support: per }));
  const roc = ["circle", "square", "triangle"].map((className) => ({
    className,
    auc: 0.5 + accuracy / 2,
    points: [{ fpr: 0, tpr: 0 }, { fpr: 0.1, tpr: accuracy }, { fpr: 1, tpr: 1 }],
  }));
  return {
    count,
    accuracy,
    topK: { k: 2, accuracy: Math.min(1, accuracy + 0.1) },
    perClass,
    macro: { precision: accuracy, recall: accuracy, f1: accuracy },
    weighted: { precision: accuracy, recall: accuracy, f1: accuracy },
    confusionMatrix: [0, 1, 2].map(row),
    roc,
    macroAuc: 0.5 + accuracy / 2,
    logLoss: 1 - accuracy,
  };
}

/** A report with real-looking metrics per split; scores are given on the 0–100 scale. */
export function reportWithScores(publicScore: number, privateScore: number): GradingReport {
  const base = fakeReport(publicScore);
  const s = (score: number) => ({ ...base.score!.public, score, value: score / 100 });
  return {
    ...base,
    metrics: { public: splitMetrics(publicScore / 100), private: splitMetrics(privateScore / 100), all: splitMetrics((publicScore + privateScore) / 200, 60) },
    score: { public: s(publicScore), private: s(privateScore), all: s((publicScore + privateScore) / 2) },
    training: {
      ...base.training,
      epochsRun: 2,
      curves: [
        { epoch: 1, phase: "train", loss: 1.1, acc: 0.4, valLoss: 1.2, valAcc: 0.35, learningRate: 0.01, seconds: 1 },
        { epoch: 2, phase: "train", loss: 0.7, acc: 0.7, valLoss: 0.8, valAcc: 0.65, learningRate: 0.01, seconds: 1 },
      ],
    },
  };
}

/**
 * Writes a run's report and chooses the student's submission that counts again, in one transaction,
 * as domain/grading/complete-grading.ts does when the grader finishes a run.
 */
export async function recordReport(db: Db, submissionId: string, run: number, report: GradingReport): Promise<void> {
  await db.transaction(async (tx) => {
    const [s] = await tx.select({ assignmentId: submissions.assignmentId, userId: submissions.userId }).from(submissions).where(eq(submissions.id, submissionId));
    await writeReport(tx, submissionId, run, report);
    await recountStudent(tx, s!.assignmentId, s!.userId);
  });
}

/** Inserts a graded (succeeded) submission with one report, as the grader would leave it. */
export async function gradedSubmission(
  db: Db,
  input: { assignmentId: string; userId: string; publicScore: number; privateScore: number; createdAt?: Date },
): Promise<string> {
  const [row] = await db
    .insert(submissions)
    .values({
      assignmentId: input.assignmentId,
      userId: input.userId,
      kind: "cnn",
      spec: { kind: "cnn", name: `scored ${input.publicScore}` },
      seed: 1,
      status: "succeeded",
      createdAt: input.createdAt ?? new Date(),
      finishedAt: new Date(),
    })
    .returning();
  await recordReport(db, row.id, 1, reportWithScores(input.publicScore, input.privateScore));
  return row.id;
}

/** Enrols a user in a course as a student. */
export async function enrolStudent(db: Db, courseId: string, userId: string): Promise<void> {
  await db.insert(enrollments).values({ courseId, userId, role: "student" }).onConflictDoNothing();
}
