import path from "node:path";
import sharp from "sharp";
import { env } from "@/env";
import { assignmentsRoot } from "@/grader/assignment/load-assignment";
import { instructorDatasets, type AssignmentConfig, type DatasetRef } from "@/grader/assignment/schema";
import { heldoutSplit } from "@/grader/data/heldout-split";
import { classCounts } from "@/grader/data/image-dataset";
import { loadDataset } from "@/grader/data/load-dataset";
import { blobStore } from "@/grader/storage/blob-store";
import { localDatasetRef } from "@/grader/storage/local-datasets";

/** What the dataset page shows about one of the assignment's sets. */
export interface DatasetPreview {
  source: string;
  count: number;
  classes: { name: string; count: number; publicCount?: number; privateCount?: number; thumbnails: string[] }[];
}

const THUMBS_PER_CLASS = 6;
const THUMB_PX = 64;

/** Where a set comes from, in words. */
export function describeRef(ref: DatasetRef): string {
  if ("builtin" in ref) return ref.builtin === "shapes" ? `built-in shapes (${ref.count} images, seed ${ref.seed})` : `built-in MNIST (${ref.count} digits)`;
  const where = "blob" in ref ? ref.blob : ref.path;
  return `${ref.format} upload (${path.basename(where)}${ref.files ? `: ${ref.files.join(", ")}` : ""})`;
}

/** One example as a PNG data URL, scaled up without smoothing so small images stay legible. */
async function thumbnail(pixels: Uint8Array, [h, w, c]: [number, number, number]): Promise<string> {
  const png = await sharp(Buffer.from(pixels), { raw: { width: w, height: h, channels: c as 1 | 3 } })
    .resize(THUMB_PX, THUMB_PX, { kernel: "nearest" })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString("base64")}`;
}

/**
 * Decodes one of the assignment's sets the way the grader does (same readers, same cache) and
 * summarises it: counts per class; for the training set a few example thumbnails per class; for the
 * held-out set the public/private counts of the stored split (never its images: they stay hidden).
 */
export async function previewDataset(config: AssignmentConfig, role: "train" | "heldout", dataDir: string = env.DATA_DIR): Promise<DatasetPreview> {
  // An upload is named by its blob key; the readers need a file of this machine.
  const ref = await localDatasetRef(instructorDatasets(config)[role], blobStore(dataDir));
  const { dataset } = await loadDataset(ref, { inputShape: config.inputShape, classes: config.classes, dir: path.join(assignmentsRoot(), config.slug) }, dataDir);
  const counts = classCounts(dataset);
  const px = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const isPublic = role === "heldout" ? heldoutSplit(dataset.labels, config.publicFraction, config.splitSeed) : null;
  const classes = await Promise.all(
    dataset.classes.map(async (name, k) => {
      const thumbnails: string[] = [];
      let pub = 0;
      for (let i = 0; i < dataset.count; i++) {
        if (dataset.labels[i] !== k) continue;
        if (isPublic?.[i]) pub++;
        if (role === "train" && thumbnails.length < THUMBS_PER_CLASS) {
          thumbnails.push(await thumbnail(dataset.images.subarray(i * px, (i + 1) * px), dataset.shape));
        }
      }
      return {
        name,
        count: counts[k]!,
        ...(isPublic ? { publicCount: pub, privateCount: counts[k]! - pub } : {}),
        thumbnails,
      };
    }),
  );
  return { source: describeRef(ref), count: dataset.count, classes };
}
