import type { CurrentUser } from "@/app/_lib/auth/session";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { checkZipUpload } from "@/app/_lib/uploads/check-upload-type";
import { checkFileSize, discardForm, readLimitedFormData, spooledPath } from "@/app/_lib/uploads/limited-form-data";
import { moveIntoBlobFolder, moveIntoBlobStore, removeBlob } from "@/app/_lib/uploads/blob-store";
import { blobStore } from "@/grader/storage/blob-store";
import type { Db } from "@/db";
import { registerDataset, type NewDataset } from "@/db/queries/datasets/register-dataset";
import { findAssignmentById, type AssignmentView } from "@/db/queries/assignments/find-assignment";
import { readCifar10 } from "@/grader/data/cifar10";
import { classCounts, type ImageDataset } from "@/grader/data/image-dataset";
import { isStudentDatasetMode, uploadLimitsOf, type DatasetUploadLimits } from "@/grader/assignment/schema";
import { imageFolderLimits, readImageFolderZip } from "@/grader/data/image-folder-zip";
import { alignClasses } from "@/grader/data/load-dataset";
import { readMnistIdx } from "@/grader/data/mnist-idx";
import { isUserError } from "@/grader/errors";
import { z } from "zod";

/**
 * A dataset upload may be large, but not unbounded: the form is cut off while streaming past this (or past the
 * assignment's own `uploads: dataset: maxUploadBytes`, when that is larger, plus room for the other fields).
 */
export const MAX_DATASET_UPLOAD_BYTES = 256 * 1024 * 1024;
const FORM_OVERHEAD_BYTES = 1024 * 1024;

const fieldsSchema = z.object({
  role: z.enum(["train", "heldout"], { errorMap: () => ({ message: "Choose whether this is the training set or the held-out set." }) }),
  format: z.enum(["image-folder", "cifar10", "mnist-idx"], { errorMap: () => ({ message: "Choose the format: image-folder zip, CIFAR-10 binary or MNIST IDX." }) }),
});

const file = (v: FormDataEntryValue | null): File | null => (v instanceof File && v.size > 0 ? v : null);
const files = (vs: FormDataEntryValue[]): File[] => vs.filter((v): v is File => v instanceof File && v.size > 0);
const required = (path: string, message: string): never => {
  throw new ValidationError(message, [{ path, message }]);
};

export interface DatasetUploadResult {
  id: string;
  role: "train" | "heldout";
  exampleCount: number;
  classCounts: Record<string, number>;
}

/**
 * POST /courses/:slug/assignments/:number/datasets/upload: an instructor uploads a training or held-out set as an
 * image-folder zip, CIFAR-10 binary batches or an MNIST IDX pair. The form is size-limited while
 * streaming; the files are decoded by the grader's own readers (with their archive limits) at the
 * assignment's input size, and the classes must be the assignment's — so a set that is accepted here
 * is one the grader can train and score on. Then it becomes the active set of its role.
 */
export async function handleDatasetUpload(
  req: Request,
  user: Pick<CurrentUser, "role">,
  db: Db,
  opts: { assignmentId: string; dataDir?: string },
): Promise<DatasetUploadResult> {
  if (user.role !== "instructor") throw new ForbiddenError();
  const assignment = await findAssignmentById(db, opts.assignmentId);
  if (isStudentDatasetMode(assignment.config)) {
    const message = "This assignment is graded on each student's own dataset (datasets: student): it has no training or held-out set to upload.";
    throw new ValidationError(message, [{ path: "file", message }]);
  }
  const limits = uploadLimitsOf(assignment.config).dataset;
  const form = await readLimitedFormData(req, Math.max(MAX_DATASET_UPLOAD_BYTES, limits.maxUploadBytes + FORM_OVERHEAD_BYTES), { dataDir: opts.dataDir });
  try {
    return await registerFromForm(form, assignment, db, limits, opts.dataDir);
  } finally {
    // Spooled files that were not moved into the blob store (a refused upload, an unused field) go now.
    await discardForm(form);
  }
}

/** The rest of handleDatasetUpload, once the form is read: its files are on disk, spooled. */
async function registerFromForm(
  form: FormData, assignment: AssignmentView, db: Db, limits: DatasetUploadLimits, dataDir?: string,
): Promise<DatasetUploadResult> {
  const opts = { dataDir };
  const store = blobStore(dataDir);
  const spooled = (f: File): string => spooledPath(f)!;
  const parsed = fieldsSchema.safeParse({ role: form.get("role"), format: form.get("format") });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new ValidationError(issues[0]!.message, issues);
  }
  const { role, format } = parsed.data;
  const shape = [...assignment.config.inputShape] as [number, number, number];

  let blob: string | null = null;
  try {
    let ref: NewDataset["ref"];
    let decoded: ImageDataset;
    let name: string;
    if (format === "image-folder") {
      const archive = file(form.get("archive")) ?? required("archive", "Choose the .zip with one folder per class.");
      checkFileSize(archive, limits.maxUploadBytes, "archive", "The archive");
      checkZipUpload(archive, new Uint8Array(await archive.slice(0, 4).arrayBuffer()), "archive");
      blob = await moveIntoBlobStore(spooled(archive), "datasets", "dataset.zip", opts.dataDir);
      ref = { format, blob };
      name = archive.name;
      // Central directory first (a bomb is refused before a byte is inflated), then one image at a time.
      decoded = await readImageFolderZip(await store.localPath(blob), shape, imageFolderLimits(limits));
    } else if (format === "cifar10") {
      const batches = files(form.getAll("batches"));
      if (batches.length === 0) required("batches", "Choose one or more CIFAR-10 batch files (data_batch_1.bin, ...).");
      const meta = file(form.get("meta"));
      const saved = batches.map((b, i) => ({ name: `batch_${i + 1}.bin`, from: spooled(b) }));
      if (meta) saved.push({ name: "batches.meta.txt", from: spooled(meta) });
      blob = await moveIntoBlobFolder("datasets", saved, opts.dataDir);
      const names = saved.filter((s) => s.name.endsWith(".bin")).map((s) => s.name);
      ref = { format, blob, files: names };
      name = batches.map((b) => b.name).join(", ");
      decoded = await readCifar10(await store.localPath(blob), names, shape);
    } else {
      const images = file(form.get("images")) ?? required("images", "Choose the IDX images file (…-images-idx3-ubyte, optionally .gz).");
      const labels = file(form.get("labels")) ?? required("labels", "Choose the IDX labels file (…-labels-idx1-ubyte, optionally .gz).");
      blob = await moveIntoBlobFolder(
        "datasets",
        [
          { name: "images-idx3", from: spooled(images) },
          { name: "labels-idx1", from: spooled(labels) },
        ],
        opts.dataDir,
      );
      ref = { format, blob, files: ["images-idx3", "labels-idx1"] };
      name = `${images.name} + ${labels.name}`;
      decoded = await readMnistIdx(await store.localPath(blob), ["images-idx3", "labels-idx1"], shape);
    }
    const aligned = alignClasses(decoded, assignment.config.classes, name);
    const counts = classCounts(aligned);
    const id = await registerDataset(db, {
      assignmentId: assignment.id,
      role,
      name,
      ref,
      classes: aligned.classes,
      classCounts: counts,
      exampleCount: aligned.count,
    });
    return { id, role, exampleCount: aligned.count, classCounts: Object.fromEntries(aligned.classes.map((c, i) => [c, counts[i]!])) };
  } catch (e) {
    if (blob) await removeBlob(blob, opts.dataDir);
    if (e instanceof ValidationError || (e as { status?: number }).status) throw e;
    // The readers' complaints are about the uploaded bytes: the instructor can fix them.
    const field = format === "image-folder" ? "archive" : format === "cifar10" ? "batches" : "images";
    const message = isUserError(e) ? e.message : `The upload could not be read as ${format}: ${(e as Error).message}`;
    console.warn(`[datasets] upload refused (${format}, ${role}):`, (e as Error).message);
    throw new ValidationError(message, [{ path: field, message }]);
  }
}
