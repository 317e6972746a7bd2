import { z } from "zod";

/**
 * The two documents stored with a student's own dataset (`student_datasets.split` and `student_datasets.quality`,
 * db/schema/own-datasets.ts), each one zod schema, defined here once: the upload's isolated child process writes them
 * (./own-dataset-child.ts), the web process parses them on arrival and on the way out of the database, and the
 * grader's loader (./own-dataset-load.ts) reads the split to train, validate and score on the same images every time.
 */

/** The reader limits the zip was decoded with at upload (ImageFolderLimits, all required). */
export const ownDatasetDecodeLimitsSchema = z.object({
  maxEntries: z.number().int().positive(),
  maxTotalBytes: z.number().int().positive(),
  maxEntryBytes: z.number().int().positive(),
  maxRatio: z.number().min(1),
  maxImages: z.number().int().positive(),
  maxImageSide: z.number().int().positive(),
}).strict();
export type OwnDatasetDecodeLimits = z.infer<typeof ownDatasetDecodeLimitsSchema>;

/**
 * Part codes of the stored split, the values of PART in ./own-dataset-split.ts: 0 train, 1 validation, 2 test,
 * -1 removed (a test image that copies a training or validation image: used by no part).
 */
export const partCodeSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(-1)]);

/**
 * `student_datasets.split`. `parts[i]` is the part of image i, where images are numbered in the order
 * `decodeImageFolderZip(zip, shape, limits)` (./image-folder-zip.ts) returns them when it is given exactly this
 * document's `shape` and `limits`: class folders in sorted order, within a class the files in sorted name order,
 * files it skips (not an image, unreadable, too large) not numbered. `labelsSha256` (hex SHA-256 of the decoded
 * labels, one byte per image) lets a reader check that decoding again gave the same images in the same order.
 * Load it with loadOwnDataset (./own-dataset-load.ts) rather than by hand.
 */
export const ownDatasetSplitSchema = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  /** [height, width, channels] the zip is decoded at: [inputSize, inputSize, 1 | 3]. */
  shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.union([z.literal(1), z.literal(3)])]),
  limits: ownDatasetDecodeLimitsSchema,
  /** Fractions of each class put in validation and test (the rest trains). */
  validationFraction: z.number().min(0).max(1),
  testFraction: z.number().min(0).max(1),
  parts: z.array(partCodeSchema),
  sizes: z.object({ train: z.number().int().min(0), validation: z.number().int().min(0), test: z.number().int().min(0), removed: z.number().int().min(0) }).strict(),
  labelsSha256: z.string().regex(/^[0-9a-f]{64}$/),
}).strict().superRefine((s, ctx) => {
  const total = s.sizes.train + s.sizes.validation + s.sizes.test + s.sizes.removed;
  if (total !== s.parts.length) ctx.addIssue({ code: "custom", path: ["sizes"], message: `sizes add up to ${total}, but there are ${s.parts.length} parts` });
});
export type OwnDatasetSplitDoc = z.infer<typeof ownDatasetSplitSchema>;

/** Longest lists kept in the quality document (the panel shows them all; a dataset past them says how many more). */
export const QUALITY_LIST_CAP = 200;

const partNameSchema = z.enum(["train", "validation", "test", "removed"]);

/**
 * `student_datasets.quality`: the data-quality panel of the dataset's page. Images are named by their index in
 * the split's order and by their file in the zip; `thumbnails` and a duplicate's `image`/`of` are indices whose
 * thumbnail is `<index>.png` in the dataset's thumbnails folder blob (`student_datasets.thumbnails_key`).
 */
export const ownDatasetQualitySchema = z.object({
  version: z.literal(1),
  classes: z.array(z.object({
    name: z.string(),
    images: z.number().int().min(0),
    train: z.number().int().min(0),
    validation: z.number().int().min(0),
    test: z.number().int().min(0),
    /** Test images of this class taken out as duplicates. */
    removed: z.number().int().min(0),
    thumbnails: z.array(z.number().int().min(0)),
  }).strict()),
  /** Images in the largest class over images in the smallest (1 = balanced). */
  imbalanceRatio: z.number().min(1),
  /** Sizes of the images before they were resized to the chosen input size. */
  originalSizes: z.object({
    minWidth: z.number().int(), maxWidth: z.number().int(), minHeight: z.number().int(), maxHeight: z.number().int(),
    distinct: z.number().int().min(0),
    /** The most frequent sizes, most frequent first (at most 5). */
    common: z.array(z.object({ width: z.number().int(), height: z.number().int(), images: z.number().int() }).strict()),
  }).strict(),
  /** Files of the zip that were not used, with the reason (at most QUALITY_LIST_CAP; skippedTotal says how many there were). */
  skipped: z.array(z.object({ file: z.string(), reason: z.string() }).strict()),
  skippedTotal: z.number().int().min(0),
  /** Exact and near duplicates (at most QUALITY_LIST_CAP; duplicatesTotal says how many pairs there were). */
  duplicates: z.array(z.object({
    image: z.number().int().min(0),
    of: z.number().int().min(0),
    imageFile: z.string(),
    ofFile: z.string(),
    imageClass: z.string(),
    ofClass: z.string(),
    /** Where each image was put (`removed`: taken out of the test split because of this pair). */
    imagePart: partNameSchema,
    ofPart: partNameSchema,
    /** Perceptual-hash distance in bits (of 64). */
    distance: z.number().int().min(0),
    /** Mean pixel difference (0–255) with each image's brightness taken away. */
    meanDiff: z.number().min(0),
    exact: z.boolean(),
    removedFromTest: z.boolean(),
  }).strict()),
  duplicatesTotal: z.number().int().min(0),
  split: z.object({
    train: z.number().int().min(0), validation: z.number().int().min(0), test: z.number().int().min(0),
    removedFromTest: z.number().int().min(0), seed: z.number().int(),
  }).strict(),
}).strict();
export type OwnDatasetQuality = z.infer<typeof ownDatasetQualitySchema>;

/** Every thumbnail index a quality document refers to: the class samples and both images of each duplicate pair. */
export function thumbnailIndices(q: Pick<OwnDatasetQuality, "classes" | "duplicates">): Set<number> {
  const all = new Set<number>();
  for (const c of q.classes) for (const i of c.thumbnails) all.add(i);
  for (const d of q.duplicates) {
    all.add(d.image);
    all.add(d.of);
  }
  return all;
}
