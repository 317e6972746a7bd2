import sharp from "sharp";
import { DatasetArchiveError } from "../errors";
import { classCounts, indicesByClass, type ImageDataset } from "./image-dataset";
import { decodeImageFolderZip, type FolderProblem, type ImageFolderLimits } from "./image-folder-zip";
import { DEFAULT_SPLIT, PART, splitOwnDataset, type DuplicatePair, type SplitOptions } from "./own-dataset-split";

/** What a student's own dataset must have, from the course config. */
export interface OwnDatasetRules {
  minClasses: number;
  maxClasses: number;
  minImagesPerClass: number;
}

export const DEFAULT_OWN_DATASET_RULES: OwnDatasetRules = { minClasses: 2, maxClasses: 20, minImagesPerClass: 8 };

/** The data-quality panel: what a student writes about under "data preparation". */
export interface DatasetQuality {
  classes: { name: string; images: number; train: number; validation: number; test: number; thumbnails: string[] }[];
  /** Largest class over smallest class (1 = balanced). */
  imbalanceRatio: number;
  /** Original image sizes before resizing to the chosen input size. */
  originalSizes: { minWidth: number; maxWidth: number; minHeight: number; maxHeight: number; distinct: number };
  /** Files not used, by name, with the reason. */
  skipped: FolderProblem[];
  duplicates: (DuplicatePair & { imageClass: string; ofClass: string })[];
  split: { train: number; validation: number; test: number; removedFromTest: number; seed: number };
}

const THUMBNAILS_PER_CLASS = 6;

/**
 * Reads a student's image-folder archive (skipping, and naming, files it cannot use), checks the course's rules on
 * classes, splits it (seeded, stratified, duplicates kept out of the test split) and describes it for the quality
 * panel, with a few thumbnails per class as PNG data URLs.
 * @throws DatasetArchiveError naming the folder or file when the archive breaks a limit or a rule
 */
export async function inspectOwnDataset(
  file: string, shape: [number, number, number], opts: { seed: number; limits?: ImageFolderLimits; rules?: OwnDatasetRules; split?: Omit<SplitOptions, "seed"> },
): Promise<{ dataset: ImageDataset; part: Int8Array; quality: DatasetQuality }> {
  const rules = opts.rules ?? DEFAULT_OWN_DATASET_RULES;
  const { dataset, problems, originalSizes } = await decodeImageFolderZip(file, shape, opts.limits);
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
  const split = splitOwnDataset(dataset, { seed: opts.seed, ...(opts.split ?? DEFAULT_SPLIT) });
  const [h, w, c] = shape;
  const px = h * w * c;
  const thumbnail = async (i: number): Promise<string> => {
    const png = await sharp(Buffer.from(dataset.images.subarray(i * px, (i + 1) * px)), { raw: { width: w, height: h, channels: c as 1 | 3 } }).png().toBuffer();
    return `data:image/png;base64,${png.toString("base64")}`;
  };
  const byClass = indicesByClass(dataset.labels);
  const classes = await Promise.all(dataset.classes.map(async (name, k) => {
    const mine = byClass.get(k) ?? [];
    const inPart = (p: number) => mine.filter((i) => split.part[i] === p).length;
    return {
      name, images: mine.length, train: inPart(PART.train), validation: inPart(PART.validation), test: inPart(PART.test),
      thumbnails: await Promise.all(mine.slice(0, THUMBNAILS_PER_CLASS).map(thumbnail)),
    };
  }));
  const widths = Array.from({ length: dataset.count }, (_, i) => originalSizes[i * 2]!);
  const heights = Array.from({ length: dataset.count }, (_, i) => originalSizes[i * 2 + 1]!);
  const sizes = new Set(widths.map((wd, i) => `${wd}x${heights[i]}`));
  return {
    dataset,
    part: split.part,
    quality: {
      classes,
      imbalanceRatio: Math.max(...counts) / Math.min(...counts),
      originalSizes: { minWidth: Math.min(...widths), maxWidth: Math.max(...widths), minHeight: Math.min(...heights), maxHeight: Math.max(...heights), distinct: sizes.size },
      skipped: problems,
      duplicates: split.duplicates.map((d) => ({ ...d, imageClass: dataset.classes[dataset.labels[d.image]!]!, ofClass: dataset.classes[dataset.labels[d.of]!]! })),
      split: { train: split.sizes.train, validation: split.sizes.validation, test: split.sizes.test, removedFromTest: split.sizes.removed, seed: opts.seed },
    },
  };
}
