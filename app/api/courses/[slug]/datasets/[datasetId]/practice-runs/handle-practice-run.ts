import { z } from "zod";
import type { CurrentUser } from "@/app/_lib/auth/session";
import { discardForm, readLimitedFormData } from "@/app/_lib/uploads/limited-form-data";
import type { Db } from "@/db";
import { findCourseBySlug } from "@/db/queries/courses/course-access";
import { startPracticeRun, type StartedPracticeRun } from "@/domain/practice-runs/start-practice-run";
import { isUserError, type Issue } from "@/grader/errors";
import type { GradeQueue } from "@/grader/queue/grade-queue";
import type { SubmissionContent } from "@/grader/queue/submit-for-grading";
import { checkTextBounds } from "@/grader/spec/input-bounds";
import { parseUserYaml } from "@/grader/spec/read-yaml";
import { ValidationError } from "@/lib/errors";

/** The practice form holds text only: a spec (the builder's presets fill it) or a Keras topology and a training block. */
export const PRACTICE_FORM_LIMITS = { maxFormBytes: 3 * 1024 * 1024, maxSpecChars: 1024 * 1024, maxTrainingChars: 64 * 1024 } as const;

const modeSchema = z.enum(["spec", "keras"], { errorMap: () => ({ message: "Choose how you give the model: a spec or a Keras topology." }) });
const idempotencyKeySchema = z.string().uuid({ message: "The form's key is malformed; reload the page and start the run again." }).nullable();

const text = (v: FormDataEntryValue | null): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const fail = (path: string, message: string): never => {
  throw new ValidationError(message, [{ path, message }]);
};

/** The spec the form describes, bounded before anything is parsed (the spec itself is parsed in the analysis worker). */
function readPracticeContent(form: FormData): Extract<SubmissionContent, { kind: "spec" }> {
  const mode = modeSchema.safeParse(form.get("mode"));
  if (!mode.success) return fail("mode", mode.error.issues[0]!.message);
  if (mode.data === "spec") {
    const spec = text(form.get("spec"));
    if (!spec) return fail("spec", "Choose a starting model or paste a spec.");
    if (spec.length > PRACTICE_FORM_LIMITS.maxSpecChars) return fail("spec", "The spec is longer than 1 MB.");
    return { kind: "spec", spec };
  }
  const topology = text(form.get("kerasText"));
  if (!topology) return fail("kerasText", "Paste the JSON that model.to_json() printed.");
  if (topology.length > PRACTICE_FORM_LIMITS.maxSpecChars) return fail("kerasText", "The Keras topology is longer than 1 MB.");
  const trainingText = text(form.get("training"));
  if (!trainingText) return fail("training", "Add a training block (epochs at least).");
  let training: unknown;
  try {
    checkTextBounds(trainingText, "The training block", PRACTICE_FORM_LIMITS.maxTrainingChars);
    const yaml = parseUserYaml(trainingText);
    if (!yaml.ok) throw new SyntaxError(yaml.message);
    training = yaml.value;
  } catch (e) {
    const message = isUserError(e) ? e.message : `The training block is not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}`;
    return fail("training", message);
  }
  return { kind: "spec", spec: { kind: "keras", name: text(form.get("name"))?.slice(0, 100) ?? undefined, model: topology, training } };
}

/**
 * POST /api/courses/:slug/datasets/:datasetId/practice-runs — an ungraded practice run of a spec on one's own
 * dataset (domain/practice-runs/start-practice-run.ts: the owner only, 404 for anyone else; the practice quota; a
 * lower queue priority). The form is read with streamed size limits; spec problems come back as 422 with the
 * grader's messages on the form's fields, as for a graded submission.
 */
export async function handlePracticeRun(
  req: Request,
  user: Pick<CurrentUser, "id">,
  where: { courseSlug: string; datasetId: string },
  db: Db,
  deps: { queue: GradeQueue | null; dataDir?: string },
): Promise<StartedPracticeRun> {
  const course = await findCourseBySlug(db, where.courseSlug);
  const form = await readLimitedFormData(req, PRACTICE_FORM_LIMITS.maxFormBytes, { dataDir: deps.dataDir });
  try {
    const content = readPracticeContent(form);
    const key = idempotencyKeySchema.safeParse(text(form.get("idempotencyKey")));
    if (!key.success) return fail("idempotencyKey", key.error.issues[0]!.message);
    try {
      return await startPracticeRun(db, user, { courseId: course.id, datasetId: where.datasetId, content, idempotencyKey: key.data }, { queue: deps.queue });
    } catch (e) {
      if (isUserError(e)) {
        const issues = (e as { issues?: Issue[] }).issues;
        const field = form.get("mode") === "keras" ? "kerasText" : "spec";
        throw new ValidationError(e.message, issues?.length ? issues : [{ path: field, message: e.message }]);
      }
      throw e;
    }
  } finally {
    await discardForm(form);
  }
}
