import { randomInt } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { CurrentUser } from "@/app/_lib/auth/session";
import { blobRoot, moveIntoBlobFolder, moveIntoBlobStore, removeBlob } from "@/app/_lib/uploads/blob-store";
import { checkFileSize, discardForm, readLimitedFormData, spooledPath } from "@/app/_lib/uploads/limited-form-data";
import type { Db } from "@/db";
import { findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { courseRoleOf, findCourseBySlug } from "@/db/queries/courses/course-access";
import { countOwnDatasets } from "@/db/queries/own-datasets/count-own-datasets";
import { insertOwnDataset } from "@/db/queries/own-datasets/insert-own-dataset";
import { ownDatasetsOf, type OwnDatasetCaps } from "@/grader/assignment/schema";
import { inspectOwnDatasetIsolated, type InspectionLimits } from "@/grader/data/isolated-inspection";
import { isUserError } from "@/grader/errors";
import { ConflictError, ForbiddenError, HttpError, NotFoundError, ValidationError } from "@/lib/errors";

/** Room for the text fields beside the zip in the multipart body. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed", "application/x-zip", "application/octet-stream", ""]);

export interface OwnDatasetUploadResult {
  id: string;
  name: string;
  imageCount: number;
  classes: string[];
  skipped: number;
  duplicates: number;
}

const fail = (path: string, message: string): never => {
  throw new ValidationError(message, [{ path, message }]);
};

/** The upload's caps: the assignment `number` of the course, if it takes own datasets. */
async function capsFor(db: Db, courseId: string, rawNumber: string | null): Promise<{ assignmentId: string; caps: OwnDatasetCaps }> {
  const n = z.coerce.number().int().min(1).max(999).safeParse(rawNumber ?? "");
  if (!rawNumber || !n.success) return fail("assignment", "Choose the assignment this dataset is for.");
  const assignment = await findAssignmentInCourse(db, courseId, n.data).catch((e: unknown) => {
    if (e instanceof NotFoundError) fail("assignment", `This course has no assignment ${n.data}.`);
    throw e;
  });
  const caps = ownDatasetsOf(assignment.config);
  if (!caps) fail("assignment", `Assignment ${n.data} does not take datasets of your own.`);
  return { assignmentId: assignment.id, caps: caps! };
}

/**
 * POST /api/courses/:slug/datasets?assignment=N: a member of the course uploads an image-folder zip (one folder per
 * class) as a dataset of their own, with a name, an input size and colour or grayscale. The assignment is in the
 * address so the body can be held to its cap (`ownDatasets.maxUploadBytes`) while it streams; the zip is spooled to
 * disk, then decoded, split and described in an isolated child process that reads it from there
 * (grader/data/isolated-inspection.ts). Only an accepted dataset is moved into the blob store, with its thumbnails,
 * and recorded. Every refusal is a 4xx whose issues name the form field; an archive's name the folder or file.
 */
export async function handleOwnDatasetUpload(
  req: Request,
  user: Pick<CurrentUser, "id">,
  db: Db,
  opts: { slug: string; dataDir?: string; inspectionLimits?: Partial<InspectionLimits> },
): Promise<OwnDatasetUploadResult> {
  const course = await findCourseBySlug(db, opts.slug);
  if ((await courseRoleOf(db, course.id, user.id)) === null) throw new ForbiddenError("Join this course before uploading a dataset to it.");
  const { assignmentId, caps } = await capsFor(db, course.id, new URL(req.url).searchParams.get("assignment"));
  if ((await countOwnDatasets(db, course.id, user.id)) >= caps.maxDatasetsPerStudent) {
    throw new ConflictError(`You already keep ${caps.maxDatasetsPerStudent} datasets in this course, the most allowed; delete one to upload another.`);
  }
  const form = await readLimitedFormData(req, caps.maxUploadBytes + FORM_OVERHEAD_BYTES, { dataDir: opts.dataDir });
  const thumbs = path.join(blobRoot(opts.dataDir), "incoming", `${crypto.randomUUID()}-thumbnails`);
  try {
    return await storeFromForm(form, db, { courseId: course.id, assignmentId, userId: user.id, caps, thumbs, ...opts });
  } finally {
    await discardForm(form);
    await fs.rm(thumbs, { recursive: true, force: true });
  }
}

async function storeFromForm(
  form: FormData,
  db: Db,
  o: { courseId: string; assignmentId: string; userId: string; caps: OwnDatasetCaps; thumbs: string; dataDir?: string; inspectionLimits?: Partial<InspectionLimits> },
): Promise<OwnDatasetUploadResult> {
  const { caps } = o;
  const raw = form.get("archive");
  const archive = raw instanceof File ? raw : null;
  const fields = z.object({
    name: z.string().trim().max(100, "Keep the name under 100 characters.").optional(),
    inputSize: z.coerce.number({ invalid_type_error: "Choose an input size." }).int()
      .refine((s) => caps.inputSizes.includes(s), { message: `Choose an input size of ${caps.inputSizes.join(", ")} pixels.` }),
    colour: z.enum(["colour", "grayscale"], { errorMap: () => ({ message: "Choose colour or grayscale." }) })
      .refine((c) => caps.channels.includes(c), { message: `This assignment takes ${caps.channels.join(" or ")} datasets only.` }),
  }).safeParse({ name: form.get("name") ?? undefined, inputSize: form.get("inputSize") ?? "", colour: form.get("colour") ?? "" });
  const issues = fields.success ? [] : fields.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  if (!archive || archive.size === 0) issues.unshift({ path: "archive", message: "Choose a .zip with one folder of images per class." });
  if (issues.length || !fields.success) throw new ValidationError(issues[0]!.message, issues);
  checkFileSize(archive!, caps.maxUploadBytes, "archive", "The zip");
  const head = new Uint8Array(await archive!.slice(0, 4).arrayBuffer());
  if (!ZIP_TYPES.has(archive!.type) || !ZIP_MAGIC.every((b, i) => head[i] === b)) {
    fail("archive", `Upload the dataset as a .zip of class folders (got ${archive!.type || "a file that is not a zip"}).`);
  }
  const name = fields.data.name || archive!.name.replace(/\.zip$/i, "").slice(0, 100) || "My dataset";
  const channels = fields.data.colour === "colour" ? 3 : 1;
  const shape: [number, number, 1 | 3] = [fields.data.inputSize, fields.data.inputSize, channels];
  const zipFile = spooledPath(archive!)!;

  let inspected;
  try {
    inspected = await inspectOwnDatasetIsolated({
      zipFile,
      outDir: o.thumbs,
      shape,
      seed: randomInt(1, 2 ** 31 - 1),
      limits: {
        maxEntries: caps.maxEntries, maxTotalBytes: caps.maxInflatedBytes, maxEntryBytes: caps.maxEntryBytes,
        maxRatio: caps.maxRatio, maxImages: caps.maxImages, maxImageSide: caps.maxImageSide,
      },
      rules: { minClasses: caps.minClasses, maxClasses: caps.maxClasses, minImagesPerClass: caps.minImagesPerClass },
    }, { limits: o.inspectionLimits });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if (isUserError(e)) {
      console.warn("[own-datasets] upload refused:", e.message);
      fail("archive", e.message);
    }
    throw e;
  }

  const stored: string[] = [];
  try {
    const blobKey = await moveIntoBlobStore(zipFile, "datasets", "dataset.zip", o.dataDir);
    stored.push(blobKey);
    const pngs = (await fs.readdir(o.thumbs).catch(() => [] as string[])).filter((f) => /^\d+\.png$/.test(f));
    const thumbnailsKey = pngs.length
      ? await moveIntoBlobFolder("datasets", pngs.map((f) => ({ name: f, from: path.join(o.thumbs, f) })), o.dataDir)
      : null;
    if (thumbnailsKey) stored.push(thumbnailsKey);
    const id = await insertOwnDataset(db, {
      courseId: o.courseId,
      assignmentId: o.assignmentId,
      userId: o.userId,
      name,
      blobKey,
      thumbnailsKey,
      inputSize: fields.data.inputSize,
      channels,
      classes: inspected.classes,
      classCounts: inspected.classCounts,
      split: inspected.split,
      quality: inspected.quality,
    });
    return {
      id, name, imageCount: inspected.split.parts.length, classes: inspected.classes,
      skipped: inspected.quality.skippedTotal, duplicates: inspected.quality.duplicatesTotal,
    };
  } catch (e) {
    for (const key of stored) await removeBlob(key, o.dataDir);
    throw e;
  }
}
