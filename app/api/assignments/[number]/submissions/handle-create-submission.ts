import { z } from "zod";
import type { CurrentUser } from "@/app/_lib/auth/session";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { checkReportUpload, checkZipUpload } from "@/app/_lib/uploads/check-upload-type";
import { checkFileSize, discardForm, readLimitedFormData, spooledPath } from "@/app/_lib/uploads/limited-form-data";
import { moveIntoBlobStore, removeBlob, saveBlob } from "@/app/_lib/uploads/blob-store";
import { blobStore } from "@/grader/storage/blob-store";
import type { Db } from "@/db";
import { isEnrolled } from "@/db/queries/courses/enroll";
import { findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { findCourseBySlug } from "@/db/queries/courses/course-access";
import { courseSlugWith } from "@/db/queries/courses/course-with-number";
import { uploadLimitsOf, type AssignmentConfig, type ModelUploadLimits, type UploadLimits } from "@/grader/assignment/schema";
import { inspectModelArchive } from "@/grader/evaluate/model-archive";
import { isUserError, type Issue } from "@/grader/errors";
import { checkTextBounds } from "@/grader/spec/input-bounds";
import { checkUploadedModelJson } from "@/grader/spec/isolated-analysis";
import { parseUserYaml } from "@/grader/spec/read-yaml";
import { submitForGrading, type SubmissionContent } from "@/grader/queue/submit-for-grading";
import type { GradeQueue } from "@/grader/queue/grade-queue";
import { ensureDatasetBaseline, prepareBaseline } from "@/grader/queue/ensure-baseline";
import { gradedDatasetOf, type GradedAssignment } from "@/domain/grading/graded-dataset";
import { runAssignmentConfig } from "@/db/queries/assignments/run-config";
import type { Spec } from "@/grader/spec/schema";

/** Upload limits of the submission form. The whole form is cut off while streaming past MAX_FORM_BYTES. */
export const SUBMISSION_UPLOAD_LIMITS = {
  maxFormBytes: 80 * 1024 * 1024,
  maxSpecBytes: 1024 * 1024,
  /** Text fields and the spec/Keras files beside the model and the report. */
  maxFormFieldsBytes: 4 * 1024 * 1024,
  maxReportBytes: 10 * 1024 * 1024,
  /** The Keras form's training block: a handful of fields, parsed in the web process, so kept small. */
  maxTrainingChars: 64 * 1024,
} as const;

const modeSchema = z.enum(["builder", "spec", "keras", "model"], {
  errorMap: () => ({ message: "Choose how you submit: builder, spec, keras or model." }),
});

const numberSchema = z.coerce.number().int().positive();

/** The submit form's per-render key (a random UUID); absent from scripted or older clients. */
const idempotencyKeySchema = z
  .string()
  .uuid({ message: "The form's submit key is malformed; reload the page and submit again." })
  .nullable();

export interface CreatedSubmission {
  id: string;
  queuePosition: number | null;
  /** The request repeated an earlier submit (same idempotency key): `id` is that submission. */
  replayed: boolean;
}

const text = (v: FormDataEntryValue | null): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const file = (v: FormDataEntryValue | null): File | null => (v instanceof File && v.size > 0 ? v : null);

/** The spec as text: an uploaded JSON/YAML file wins over the text area (the builder fills the text area). */
async function readSpecText(form: FormData): Promise<string | null> {
  const uploaded = file(form.get("specFile"));
  if (uploaded) {
    checkFileSize(uploaded, SUBMISSION_UPLOAD_LIMITS.maxSpecBytes, "specFile", "The spec file");
    return uploaded.text();
  }
  const pasted = text(form.get("spec"));
  if (pasted && pasted.length > SUBMISSION_UPLOAD_LIMITS.maxSpecBytes) {
    throw new ValidationError("The pasted spec is longer than 1 MB.", [{ path: "spec", message: "The pasted spec is longer than 1 MB." }]);
  }
  return pasted;
}

const NO_TOPOLOGY = "Paste the JSON that model.to_json() printed (or a TF.js model.json), or choose the file.";

/** The Keras topology as text: a chosen file wins over the pasted text. */
async function readKerasText(form: FormData): Promise<string> {
  const uploaded = file(form.get("kerasFile"));
  if (uploaded) {
    checkFileSize(uploaded, SUBMISSION_UPLOAD_LIMITS.maxSpecBytes, "kerasFile", "The Keras model file");
    return uploaded.text();
  }
  const pasted = text(form.get("kerasText"));
  if (!pasted) throw new ValidationError(NO_TOPOLOGY, [{ path: "kerasText", message: NO_TOPOLOGY }]);
  if (pasted.length > SUBMISSION_UPLOAD_LIMITS.maxSpecBytes) {
    throw new ValidationError("The pasted Keras topology is longer than 1 MB.", [{ path: "kerasText", message: "The pasted Keras topology is longer than 1 MB." }]);
  }
  return pasted;
}

/** Re-labels grader issues for the form: spec paths stay as they are, under a prefix when the spec is nested. */
function issuesFor(e: { issues?: Issue[]; message: string }, fallbackPath: string): Issue[] {
  return e.issues?.length ? e.issues : [{ path: fallbackPath, message: e.message }];
}

/**
 * Builds the submission content from the form: a spec (from the builder, pasted or uploaded as
 * JSON/YAML), a Keras `model.to_json()` (pasted or a file, bare or inside a TF.js model.json) plus a training block,
 * or a trained model zip.
 */
async function readContent(
  form: FormData, mode: z.infer<typeof modeSchema>, limits: ModelUploadLimits, dataDir?: string,
): Promise<{ content: SubmissionContent; blob?: string }> {
  if (mode === "model") {
    const upload = file(form.get("model"));
    if (!upload) throw new ValidationError("Choose the zip of your trained model.", [{ path: "model", message: "Choose the zip of your trained model." }]);
    checkFileSize(upload, limits.maxUploadBytes, "model", "The model archive");
    checkZipUpload(upload, new Uint8Array(await upload.slice(0, 4).arrayBuffer()), "model");
    // The zip was spooled to disk while the form streamed in; it is moved, never read whole into memory.
    const blob = await moveIntoBlobStore(spooledPath(upload)!, "submissions", "model.zip", dataDir);
    try {
      // Central directory, caps on bytes actually inflated, shard sizes; only model.json is kept (capped).
      const { modelJson } = await inspectModelArchive(await blobStore(dataDir).localPath(blob), limits);
      // Refuse Lambda/custom layers now, with the same message the grader gives, rather than after queueing —
      // parsed and checked in an analysis worker (time and memory limits), not on the server's own thread.
      await checkUploadedModelJson(modelJson);
    } catch (e) {
      await removeBlob(blob, dataDir);
      throw e;
    }
    // The row keeps the blob key (not a path on this machine): the grader host finds it in the shared store.
    return { content: { kind: "model", artifactKey: blob }, blob };
  }
  if (mode === "keras") {
    const topology = await readKerasText(form);
    const trainingText = text(form.get("training"));
    if (!trainingText) throw new ValidationError("Add a training block (epochs at least).", [{ path: "training", message: "Add a training block (epochs at least)." }]);
    let training: unknown;
    try {
      // Parsed here, in the web process: bounded first (the topology itself is parsed in the analysis worker).
      checkTextBounds(trainingText, "The training block", SUBMISSION_UPLOAD_LIMITS.maxTrainingChars);
      // parseUserYaml: linear (the yaml package's own duplicate-key check is quadratic) and refuses `&a [*a]`.
      const yaml = parseUserYaml(trainingText);
      if (!yaml.ok) throw new SyntaxError(yaml.message);
      training = yaml.value;
    } catch (e) {
      const message = isUserError(e) ? e.message : `The training block is not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}`;
      throw new ValidationError(message, [{ path: "training", message }]);
    }
    return { content: { kind: "spec", spec: { kind: "keras", name: text(form.get("name"))?.slice(0, 100) ?? undefined, model: topology, training } } };
  }
  const specText = await readSpecText(form);
  if (!specText) throw new ValidationError("Paste a spec or choose a spec file.", [{ path: "spec", message: "Paste a spec or choose a spec file." }]);
  return { content: { kind: "spec", spec: specText } };
}

/**
 * POST /api/courses/:slug/assignments/:number/submissions — the one way in for all three kinds of submission,
 * plus the optional written report. Checks who is asking (enrolled students and instructors), reads
 * the form with streamed size limits, checks file types by their bytes, and hands over to the
 * grading service's `submitForGrading` (validation, budget, limits, enqueue after commit). Every
 * problem a user can cause comes back as 4xx JSON with `issues` located on form fields.
 */
export async function handleCreateCourseSubmission(
  req: Request,
  user: Pick<CurrentUser, "id" | "role">,
  where: { courseSlug: string; number: string },
  db: Db,
  deps: { queue: GradeQueue | null; dataDir?: string },
): Promise<CreatedSubmission> {
  const number = numberSchema.safeParse(where.number);
  if (!number.success) throw new NotFoundError("No such assignment.");
  return createInCourse(req, user, where.courseSlug, number.data, db, deps);
}

/**
 * POST /api/assignments/:number/submissions[?course=<slug>] — the older, course-less address, kept as an alias
 * for scripts and pages that still post there: the course named by ?course=, or else the asker's own course with
 * that assignment number; then exactly what the course-scoped route does.
 */
export async function handleCreateSubmission(
  req: Request,
  user: Pick<CurrentUser, "id" | "role">,
  rawNumber: string,
  db: Db,
  deps: { queue: GradeQueue | null; dataDir?: string },
): Promise<CreatedSubmission> {
  const number = numberSchema.safeParse(rawNumber);
  if (!number.success) throw new NotFoundError("No such assignment.");
  const courseSlug =
    new URL(req.url).searchParams.get("course") ?? (await courseSlugWith(db, { userId: user.id, kind: "assignment", number: number.data }));
  if (!courseSlug) throw new NotFoundError(`There is no assignment ${number.data}.`);
  return createInCourse(req, user, courseSlug, number.data, db, deps);
}

/** Both routes, once the course and the assignment number are known. */
async function createInCourse(
  req: Request,
  user: Pick<CurrentUser, "id" | "role">,
  courseSlug: string,
  number: number,
  db: Db,
  deps: { queue: GradeQueue | null; dataDir?: string },
): Promise<CreatedSubmission> {
  const assignment = await findAssignmentInCourse(db, (await findCourseBySlug(db, courseSlug)).id, number);
  // Enrolled in this course, as a student or as one of its instructors: an instructor account of another course is
  // refused like any outsider.
  if (!(await isEnrolled(db, assignment.courseId, user.id))) {
    throw new ForbiddenError(
      user.role === "instructor"
        ? "You do not teach this course: only its students and instructors can submit to it."
        : "Join the course (with the code your instructor shared) before submitting.",
    );
  }
  const limits = uploadLimitsOf(assignment.config);
  // Room for the largest model this assignment accepts plus a report, whatever the defaults say.
  const maxFormBytes = Math.max(SUBMISSION_UPLOAD_LIMITS.maxFormBytes, limits.model.maxUploadBytes + SUBMISSION_UPLOAD_LIMITS.maxReportBytes + SUBMISSION_UPLOAD_LIMITS.maxFormFieldsBytes);
  const form = await readLimitedFormData(req, maxFormBytes, { dataDir: deps.dataDir });
  try {
    return await createFromForm(form, assignment, user, db, deps, limits);
  } finally {
    // Spooled files not moved into the blob store (a report, a refused upload) go now.
    await discardForm(form);
  }
}

/** The rest of createInCourse, once the form has been read. */
async function createFromForm(
  form: FormData,
  assignment: GradedAssignment,
  user: Pick<CurrentUser, "id" | "role">,
  db: Db,
  deps: { queue: GradeQueue | null; dataDir?: string },
  limits: UploadLimits,
): Promise<CreatedSubmission> {
  const mode = modeSchema.safeParse(form.get("mode"));
  if (!mode.success) throw new ValidationError(mode.error.issues[0]!.message, [{ path: "mode", message: mode.error.issues[0]!.message }]);
  const idempotencyKey = idempotencyKeySchema.safeParse(text(form.get("idempotencyKey")));
  if (!idempotencyKey.success) {
    const message = idempotencyKey.error.issues[0]!.message;
    throw new ValidationError(message, [{ path: "idempotencyKey", message }]);
  }

  // `datasets: student`: the student's own dataset this run trains and is scored on (checked: theirs, this
  // assignment's), and the platform's baseline for it, checked to fit before anything is stored.
  const dataset = await gradedDatasetOf(db, assignment, user.id, text(form.get("studentDatasetId")));
  let baseline: { runConfig: AssignmentConfig; spec: Spec } | null = null;
  if (dataset) {
    const runConfig = await runAssignmentConfig(db, assignment.id, dataset.id);
    if (!runConfig) throw new NotFoundError("There is no such dataset.");
    baseline = { runConfig, spec: await prepareBaseline(runConfig) };
  }

  const blobs: string[] = [];
  try {
    let writtenReportKey: string | null = null;
    let writtenReportType: string | null = null;
    const report = file(form.get("report"));
    if (report) {
      checkFileSize(report, SUBMISSION_UPLOAD_LIMITS.maxReportBytes, "report", "The written report");
      const bytes = new Uint8Array(await report.arrayBuffer());
      writtenReportType = checkReportUpload(report, bytes, "report");
      writtenReportKey = await saveBlob("submissions", writtenReportType === "pdf" ? "report.pdf" : "report.md", bytes, deps.dataDir);
      blobs.push(writtenReportKey);
    }
    const { content, blob } = await readContent(form, mode.data, limits.model, deps.dataDir);
    if (blob) blobs.push(blob);
    const { submission, queuePosition, replayed } = await submitForGrading(
      db,
      {
        assignmentId: assignment.id, userId: user.id, content, writtenReportKey, writtenReportType, idempotencyKey: idempotencyKey.data,
        purpose: "graded", studentDatasetId: dataset?.id ?? null,
      },
      { queue: deps.queue },
    );
    // The dataset's first graded submission queues its baseline; later ones reuse it.
    if (dataset && baseline) {
      await ensureDatasetBaseline(db, { assignmentId: assignment.id, studentDatasetId: dataset.id, ownerId: dataset.ownerId, ...baseline }, { queue: deps.queue });
    }
    // A repeated submit keeps the first request's files; this request's copies belong to nothing.
    if (replayed) await Promise.all(blobs.map((b) => removeBlob(b, deps.dataDir)));
    return { id: submission.id, queuePosition, replayed };
  } catch (e) {
    await Promise.all(blobs.map((b) => removeBlob(b, deps.dataDir)));
    if (isUserError(e)) {
      // Spec, budget and archive problems: the grader's own messages, on the fields they concern.
      const fallback = mode.data === "model" ? "model" : mode.data === "keras" ? "kerasFile" : "spec";
      throw new ValidationError(e.message, issuesFor(e as { issues?: Issue[]; message: string }, fallback));
    }
    throw e;
  }
}
