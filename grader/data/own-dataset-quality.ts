import sharp from "sharp";
import { DatasetArchiveError } from "../errors";
import { classCounts, indicesByClass, type ImageDataset } from "./image-dataset";
import { decodeImageFolderZip, DEFAULT_IMAGE_FOLDER_LIMITS, type ImageFolderLimits } from "./image-folder-zip";
import { QUALITY_LIST_CAP, type OwnDatasetQuality, type OwnDatasetSplitDoc } from "./own-dataset-contract";
import { labelsSha256 } from "./own-dataset-load";
import { DEFAULT_SPLIT, PART, splitOwnDataset, type PartName, type SplitOptions } from "./own-dataset-split";

/** What a student's own dataset must have, from the course config (ownDatasets in assignment.yaml). */
export interface OwnDatasetRules {
  minClasses: number;
  maxClasses: number;
  minImagesPerClass: number;
}

export const DEFAULT_OWN_DATASET_RULES: OwnDatasetRules = { minClasses: 2, maxClasses: 20, minImagesPerClass: 8 };

/** Sample thumbnails kept per class for the quality panel. */
export const THUMBNAILS_PER_CLASS = 6;

const PART_NAMES: Record<number, PartName> = { [PART.train]: "train", [PART.validation]: "validation", [PART.test]: "test", [PART.removed]: "removed" };

/** The outcome of inspecting a student's dataset: the decoded images, the split and quality documents to store. */
export interface InspectedOwnDataset {
  dataset: ImageDataset;
  /** Each image's file in the zip, in dataset order. */
  files: string[];
  split: OwnDatasetSplitDoc;
  quality: OwnDatasetQuality;
}

/**
 * Reads a student's image-folder archive (skipping, and naming, files it cannot use), checks the course's rules on
 * classes, splits it (seeded, stratified, duplicates kept out of the test split) and describes it for the quality
 * panel: the two documents of ./own-dataset-contract.ts. Thumbnails are named by image index (thumbnailPng makes them).
 * @throws DatasetArchiveError naming the folder or file when the archive breaks a limit or a rule
 */
export async function inspectOwnDataset(
  file: string, shape: [number, number, 1 | 3], opts: { seed: number; limits?: ImageFolderLimits; rules?: OwnDatasetRules; split?: Omit<SplitOptions, "seed"> },
): Promise<InspectedOwnDataset> {
  const rules = opts.rules ?? DEFAULT_OWN_DATASET_RULES;
  const limits = { ...DEFAULT_IMAGE_FOLDER_LIMITS, ...opts.limits };
  const { dataset, problems, originalSizes, files } = await decodeImageFolderZip(file, shape, limits);
  const counts = classCounts(dataset);
  const broken: string[] = [];
  if (dataset.classes.length < rules.minClasses) broken.push(`${dataset.classes.length} class folder(s) with usable images; at least ${rules.minClasses} are needed`);
  if (dataset.classes.length > rules.maxClasses) broken.push(`${dataset.classes.length} class folders; at most ${rules.maxClasses} are allowed`);
  dataset.classes.forEach((c, k) => {
    if (counts[k]! < rules.minImagesPerClass) broken.push(`${c}/: ${counts[k]} usable image(s); each class needs at least ${rules.minImagesPerClass}`);
  });
  if (broken.length) {
    const skipped = problems.length ? ` (${problems.length} file(s) skipped: ${problems.slice(0, 5).map((p) => `${p.file}: ${p.reason}`).join("; ")})` : "";
    throw new DatasetArchiveError(`This dataset cannot be used: ${broken.join("; ")}${skipped}`, broken.map((b) => b.split(":")[0]!));
  }
  const splitOpts = opts.split ?? DEFAULT_SPLIT;
  const split = splitOwnDataset(dataset, { seed: opts.seed, ...splitOpts });
  const byClass = indicesByClass(dataset.labels);
  const classes = dataset.classes.map((name, k) => {
    const mine = byClass.get(k) ?? [];
    const inPart = (p: number) => mine.filter((i) => split.part[i] === p).length;
    return {
      name, images: mine.length, train: inPart(PART.train), validation: inPart(PART.validation), test: inPart(PART.test), removed: inPart(PART.removed),
      thumbnails: mine.slice(0, THUMBNAILS_PER_CLASS),
    };
  });
  const sizeCounts = new Map<string, { width: number; height: number; images: number }>();
  let minWidth = Infinity, maxWidth = 0, minHeight = Infinity, maxHeight = 0;
  for (let i = 0; i < dataset.count; i++) {
    const width = originalSizes[i * 2]!, height = originalSizes[i * 2 + 1]!;
    minWidth = Math.min(minWidth, width);
    maxWidth = Math.max(maxWidth, width);
    minHeight = Math.min(minHeight, height);
    maxHeight = Math.max(maxHeight, height);
    const key = `${width}x${height}`;
    const seen = sizeCounts.get(key);
    if (seen) seen.images++;
    else sizeCounts.set(key, { width, height, images: 1 });
  }
  const common = [...sizeCounts.values()].sort((a, b) => b.images - a.images || a.width - b.width || a.height - b.height).slice(0, 5);
  const parts = Array.from(split.part, (p) => p as 0 | 1 | 2 | -1);
  return {
    dataset,
    files,
    split: {
      version: 1,
      seed: opts.seed,
      shape,
      limits,
      validationFraction: splitOpts.validation,
      testFraction: splitOpts.test,
      parts,
      sizes: split.sizes,
      labelsSha256: labelsSha256(dataset.labels),
    },
    quality: {
      version: 1,
      classes,
      imbalanceRatio: Math.max(...counts) / Math.min(...counts),
      originalSizes: { minWidth, maxWidth, minHeight, maxHeight, distinct: sizeCounts.size, common },
      skipped: problems.slice(0, QUALITY_LIST_CAP),
      skippedTotal: problems.length,
      duplicates: split.duplicates.slice(0, QUALITY_LIST_CAP).map((d) => ({
        image: d.image, of: d.of, imageFile: files[d.image]!, ofFile: files[d.of]!,
        imageClass: dataset.classes[dataset.labels[d.image]!]!, ofClass: dataset.classes[dataset.labels[d.of]!]!,
        imagePart: PART_NAMES[split.part[d.image]!]!, ofPart: PART_NAMES[split.part[d.of]!]!,
        distance: d.distance, meanDiff: Math.round(d.meanDiff * 100) / 100, exact: d.exact, removedFromTest: d.removedFromTest,
      })),
      duplicatesTotal: split.duplicates.length,
      split: { train: split.sizes.train, validation: split.sizes.validation, test: split.sizes.test, removedFromTest: split.sizes.removed, seed: opts.seed },
    },
  };
}

/** Image `i` of a decoded dataset as a small PNG, as the model sees it (at the dataset's input size). */
export function thumbnailPng(dataset: ImageDataset, i: number): Promise<Buffer> {
  const [h, w, c] = dataset.shape;
  const px = h * w * c;
  return sharp(Buffer.from(dataset.images.subarray(i * px, (i + 1) * px)), { raw: { width: w, height: h, channels: c as 1 | 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}
