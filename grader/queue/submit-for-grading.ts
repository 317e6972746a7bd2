import type { Db } from "@/db";
import { runAssignmentConfig } from "@/db/queries/assignments/run-config";
import {
  createSubmission,
  recordRejectedSubmission,
  type NewSubmission,
  type Submission,
} from "@/db/queries/submissions/create-submission";
import { rejectedMessageToStore, rejectedSpecToStore } from "./rejected-spec";
import { getQueuePosition } from "@/db/queries/submissions/queue-position";
import { ownDatasetsOf, type AssignmentConfig } from "@/grader/assignment/schema";
import { trainedKindSchema } from "@/grader/contracts/submission-status";
import { isUserError } from "@/grader/errors";
import { analyseSubmittedSpec, type AnalysisPool } from "@/grader/spec/isolated-analysis";
import { enqueueGrading, type GradeQueue } from "./grade-queue";
import type { SubmissionPurpose } from "./grade-job";
import { announceSubmitted } from "./submission-events";

/** What a student hands in: a spec for the grader to train, or an uploaded trained model. */
export type SubmissionContent =
  | { kind: "spec"; spec: unknown }
  | { kind: "model"; artifactKey: string };

/**
 * What a submit asks for: the content, and the fields of NewSubmission (each documented there: purpose, the student's
 * dataset, the idempotency key, …). With `studentDatasetId` the spec is checked against that dataset's classes and input
 * size (runAssignmentConfig); the caller has checked that the dataset is the student's and of this assignment.
 */
export interface SubmitForGradingInput
  extends Pick<NewSubmission, "assignmentId" | "userId" | "writtenReportKey" | "writtenReportType" | "seed" | "idempotencyKey" | "purpose" | "studentDatasetId"> {
  content: SubmissionContent;
}

export interface SubmittedForGrading {
  submission: Submission;
  /** 1-based place in the grading queue right after submitting. */
  queuePosition: number | null;
  /** True when the idempotency key named an earlier submission, which is returned instead of a new one. */
  replayed: boolean;
}

async function loadAssignmentConfig(db: Db, assignmentId: string, studentDatasetId: string | null | undefined): Promise<AssignmentConfig> {
  const config = await runAssignmentConfig(db, assignmentId, studentDatasetId);
  if (!config) throw new Error(`submitForGrading: no assignment ${assignmentId}${studentDatasetId ? ` with dataset ${studentDatasetId}` : ""}`);
  return config;
}

/** The limits of a submission's purpose: practice runs have a daily quota of their own (`ownDatasets.dailyPracticeRuns`). */
function limitsFor(assignment: AssignmentConfig, purpose: SubmissionPurpose): AssignmentConfig["limits"] {
  if (purpose !== "practice") return assignment.limits;
  return { ...assignment.limits, dailySubmissions: ownDatasetsOf(assignment)?.dailyPracticeRuns ?? 0 };
}

/** The kind a rejected spec claimed to be, for the submissions list ("cnn" when it said nothing usable). */
function declaredKind(raw: unknown): Submission["kind"] {
  const kind = trainedKindSchema.safeParse(raw && typeof raw === "object" && "kind" in raw ? raw.kind : undefined);
  return kind.success ? kind.data : "cnn";
}

/**
 * The whole submit path, in the order docs/architecture.md ("Data flow") describes: validate the spec and check it
 * against the assignment's budget; a spec that fails is recorded as `rejected` with its message
 * (never queued, no quota used) and the user error is rethrown for the form to show. A valid one is
 * inserted `queued` in a transaction that also enforces the per-student limits; only after that
 * commit is it put on the queue (BullMQ with Redis, else the embedded runner is woken). A failed
 * enqueue does not fail the submission: the row is committed, and the reconciler enqueues it.
 *
 * @throws SpecValidationError | SpecOverBudgetError (with a rejected row)
 * @throws SpecInputTooLargeError | SpecAnalysisLimitError when the spec is too big to read or its analysis ran out
 *   of time or memory (with a rejected row)
 * @throws SubmissionLimitError when the queued cap or daily quota is reached (no row), or when the
 *   spec is refused and today's refusals are used up (no row; the message gives the reason)
 */
export async function submitForGrading(
  db: Db,
  input: SubmitForGradingInput,
  deps: { queue: GradeQueue | null; analysisPool?: AnalysisPool },
): Promise<SubmittedForGrading> {
  const assignment = await loadAssignmentConfig(db, input.assignmentId, input.studentDatasetId);
  const purpose = input.purpose ?? "graded";
  const base = {
    assignmentId: input.assignmentId,
    userId: input.userId,
    purpose,
    studentDatasetId: input.studentDatasetId ?? null,
    writtenReportKey: input.writtenReportKey ?? null,
    writtenReportType: input.writtenReportType ?? null,
    seed: input.seed,
  };

  let row: NewSubmission;
  if (input.content.kind === "model") {
    row = { ...base, kind: "model", spec: null, artifactKey: input.content.artifactKey };
  } else {
    try {
      // Parsed and analysed in a worker thread under time and memory limits: a parser bug costs this request only.
      const spec = await analyseSubmittedSpec(input.content.spec, assignment, deps.analysisPool);
      row = { ...base, kind: spec.kind, spec };
    } catch (e) {
      if (!isUserError(e)) throw e;
      const raw = input.content.spec;
      // Keep what the student sent so they can see and fix it — at most its first 8 KB, marked as
      // cut — under a daily cap of refusals (past it a 429 that still gives this refusal's reason).
      await recordRejectedSubmission(
        db,
        { ...base, kind: declaredKind(raw), spec: rejectedSpecToStore(raw), errorMessage: rejectedMessageToStore(e.message) },
        assignment.limits,
      );
      throw e;
    }
  }

  const { replayed, ...submission } = await createSubmission(db, { ...row, idempotencyKey: input.idempotencyKey }, limitsFor(assignment, purpose));
  // The same submit again (double click, retry): the first request queued it already.
  if (replayed) return { submission, queuePosition: await getQueuePosition(db, submission.id), replayed };
  // Committed: now (and only now) a worker may see it.
  if (deps.queue) {
    try {
      await enqueueGrading(deps.queue, submission.id, purpose);
    } catch (e) {
      console.error(`[submit] enqueue of ${submission.id} failed; the reconciler will enqueue it:`, (e as Error).message);
    }
  } else {
    announceSubmitted();
  }
  return { submission, queuePosition: await getQueuePosition(db, submission.id), replayed };
}
