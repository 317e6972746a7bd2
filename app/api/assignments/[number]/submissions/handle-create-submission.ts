import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { CurrentUser } from "@/app/_lib/auth/session";
import { ForbiddenError, NotFoundError, ValidationError } from "@/app/_lib/errors";
import { checkReportUpload, checkZipUpload } from "@/app/_lib/uploads/check-upload-type";
import { checkFileSize, readLimitedFormData } from "@/app/_lib/uploads/limited-form-data";
import { removeBlob, saveBlob } from "@/app/_lib/uploads/blob-store";
import type { Db } from "@/db";
import { isEnrolled } from "@/db/queries/courses/enroll";
import { findAssignmentByNumber } from "@/db/queries/reports/find-assignment";
import { readZipSafely, DEFAULT_ZIP_LIMITS } from "@/grader/archive/read-zip";
import { isUserError, ModelArchiveError, type Issue } from "@/grader/errors";
import { checkTextBounds } from "@/grader/spec/input-bounds";
import { checkUploadedModelJson } from "@/grader/spec/isolated-analysis";
import { submitForGrading, type SubmissionContent } from "@/grader/queue/submit-for-grading";
import type { GradeQueue } from "@/grader/queue/grade-queue";

/** Upload limits of the submission form. The whole form is cut off while streaming past MAX_FORM_BYTES. */
export const SUBMISSION_UPLOAD_LIMITS = {
  maxFormBytes: 80 * 1024 * 1024,
  maxSpecBytes: 1024 * 1024,
  maxModelBytes: 64 * 1024 * 1024,
  maxReportBytes: 10 * 1024 * 1024,
  /** The Keras form's training block: a handful of fields, parsed in the web process, so kept small. */
  maxTrainingChars: 64 * 1024,
} as const;

/** The same caps the grader applies when it opens the archive, so a model accepted here also loads there. */
const MODEL_ZIP_LIMITS = { ...DEFAULT_ZIP_LIMITS, maxEntries: 1000, maxTotalBytes: 256 * 1024 * 1024, maxEntryBytes: 128 * 1024 * 1024 };

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

/** Re-labels grader issues for the form: spec paths stay as they are, under a prefix when the spec is nested. */
function issuesFor(e: { issues?: Issue[]; message: string }, fallbackPath: string): Issue[] {
  return e.issues?.length ? e.issues : [{ path: fallbackPath, message: e.message }];
}

/**
 * Builds the submission content from the form: a spec (from the builder, pasted or uploaded as
 * JSON/YAML), a Keras `model.to_json()` file plus a training block, or a trained model zip.
 */
async function readContent(form: FormData, mode: z.infer<typeof modeSchema>, dataDir?: string): Promise<{ content: SubmissionContent; blob?: string }> {
  if (mode === "model") {
    const upload = file(form.get("model"));
    if (!upload) throw new ValidationError("Choose the zip of your trained model.", [{ path: "model", message: "Choose the zip of your trained model." }]);
    checkFileSize(upload, SUBMISSION_UPLOAD_LIMITS.maxModelBytes, "model", "The model archive");
    const bytes = new Uint8Array(await upload.arrayBuffer());
    checkZipUpload(upload, bytes, "model");
    const blob = await saveBlob("submissions", "model.zip", bytes, dataDir);
    try {
      const files = await readZipSafely(blob, MODEL_ZIP_LIMITS, (m) => new ModelArchiveError(m));
      const jsonName = [...files.keys()].find((n) => n === "model.json" || n.endsWith("/model.json"));
      if (!jsonName) {
        throw new ModelArchiveError("The archive has no model.json (zip the folder that model.save() or tensorflowjs_converter wrote).");
      }
      // Refuse Lambda/custom layers now, with the same message the grader gives, rather than after queueing —
      // parsed and checked in an analysis worker (time and memory limits), not on the server's own thread.
      await checkUploadedModelJson(files.get(jsonName)!.toString("utf8"));
    } catch (e) {
      await removeBlob(blob);
      throw e;
    }
    return { content: { kind: "model", artifactPath: blob }, blob };
  }
  if (mode === "keras") {
    const topology = file(form.get("kerasFile"));
    if (!topology) throw new ValidationError("Choose the JSON file model.to_json() wrote.", [{ path: "kerasFile", message: "Choose the JSON file model.to_json() wrote." }]);
    checkFileSize(topology, SUBMISSION_UPLOAD_LIMITS.maxSpecBytes, "kerasFile", "The Keras model file");
    const trainingText = text(form.get("training"));
    if (!trainingText) throw new ValidationError("Add a training block (epochs at least).", [{ path: "training", message: "Add a training block (epochs at least)." }]);
    let training: unknown;
    try {
      // Parsed here, in the web process: bounded first (the topology itself is parsed in the analysis worker).
      checkTextBounds(trainingText, "The training block", SUBMISSION_UPLOAD_LIMITS.maxTrainingChars);
      training = parseYaml(trainingText);
    } catch (e) {
      const message = isUserError(e) ? e.message : `The training block is not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}`;
      throw new ValidationError(message, [{ path: "training", message }]);
    }
    return { content: { kind: "spec", spec: { kind: "keras", name: text(form.get("name"))?.slice(0, 100) ?? undefined, model: await topology.text(), training } } };
  }
  const specText = await readSpecText(form);
  if (!specText) throw new ValidationError("Paste a spec or choose a spec file.", [{ path: "spec", message: "Paste a spec or choose a spec file." }]);
  return { content: { kind: "spec", spec: specText } };
}

/**
 * POST /api/assignments/:number/submissions — the one way in for all three kinds of submission,
 * plus the optional written report. Checks who is asking (enrolled students and instructors), reads
 * the form with streamed size limits, checks file types by their bytes, and hands over to the
 * grading service's `submitForGrading` (validation, budget, limits, enqueue after commit). Every
 * problem a user can cause comes back as 4xx JSON with `issues` located on form fields.
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
  const assignment = await findAssignmentByNumber(db, number.data);
  if (user.role !== "instructor" && !(await isEnrolled(db, assignment.courseId, user.id))) {
    throw new ForbiddenError("Join the course (with the code your instructor shared) before submitting.");
  }
  const form = await readLimitedFormData(req, SUBMISSION_UPLOAD_LIMITS.maxFormBytes);
  const mode = modeSchema.safeParse(form.get("mode"));
  if (!mode.success) throw new ValidationError(mode.error.issues[0]!.message, [{ path: "mode", message: mode.error.issues[0]!.message }]);
  const idempotencyKey = idempotencyKeySchema.safeParse(text(form.get("idempotencyKey")));
  if (!idempotencyKey.success) {
    const message = idempotencyKey.error.issues[0]!.message;
    throw new ValidationError(message, [{ path: "idempotencyKey", message }]);
  }

  const blobs: string[] = [];
  try {
    let writtenReportPath: string | null = null;
    let writtenReportType: string | null = null;
    const report = file(form.get("report"));
    if (report) {
      checkFileSize(report, SUBMISSION_UPLOAD_LIMITS.maxReportBytes, "report", "The written report");
      const bytes = new Uint8Array(await report.arrayBuffer());
      writtenReportType = checkReportUpload(report, bytes, "report");
      writtenReportPath = await saveBlob("submissions", writtenReportType === "pdf" ? "report.pdf" : "report.md", bytes, deps.dataDir);
      blobs.push(writtenReportPath);
    }
    const { content, blob } = await readContent(form, mode.data, deps.dataDir);
    if (blob) blobs.push(blob);
    const { submission, queuePosition, replayed } = await submitForGrading(
      db,
      { assignmentId: assignment.id, userId: user.id, content, writtenReportPath, writtenReportType, idempotencyKey: idempotencyKey.data },
      { queue: deps.queue },
    );
    // A repeated submit keeps the first request's files; this request's copies belong to nothing.
    if (replayed) await Promise.all(blobs.map(removeBlob));
    return { id: submission.id, queuePosition, replayed };
  } catch (e) {
    await Promise.all(blobs.map(removeBlob));
    if (isUserError(e)) {
      // Spec, budget and archive problems: the grader's own messages, on the fields they concern.
      const fallback = mode.data === "model" ? "model" : mode.data === "keras" ? "kerasFile" : "spec";
      throw new ValidationError(e.message, issuesFor(e as { issues?: Issue[]; message: string }, fallback));
    }
    throw e;
  }
}
