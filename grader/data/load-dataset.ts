import { stat } from "node:fs/promises";
import path from "node:path";
import { uploadLimitsOf, type AssignmentConfig, type DatasetRef } from "../assignment/schema";
import { readCifar10 } from "./cifar10";
import { cached } from "./dataset-cache";
import type { ImageDataset } from "./image-dataset";
import { imageFolderLimits, readImageFolderZip, type ImageFolderLimits } from "./image-folder-zip";
import { loadMnistBuiltin } from "./mnist-builtin";
import { readMnistIdx } from "./mnist-idx";
import { loadOwnDataset } from "./own-dataset-load";
import { generateShapes, SHAPES_GENERATOR_VERSION } from "./shapes";

/**
 * Loads one dataset of an assignment (by builtin name or format + path), decoded to the assignment's input shape,
 * through the on-disk uint8 cache, with labels re-indexed to the assignment's class order.
 * A student's own dataset (`ownDataset` on the ref) is decoded at its stored shape and cut to one part of its stored
 * split; its `train` part comes with `validation`, the indices (into `dataset`) of the stored validation part, which
 * the grader uses as the validation set instead of carving one out of the training images.
 */
export async function loadDataset(
  ref: DatasetRef,
  assignment: Pick<AssignmentConfig, "inputShape" | "classes" | "dir" | "uploads">,
  dataDir: string,
): Promise<{ dataset: ImageDataset; cacheHit: boolean; validation?: Int32Array }> {
  if ("blob" in ref) {
    // The engine reads files of this machine; the worker swaps keys for local copies first.
    throw new Error(`dataset blob ${ref.blob} was not resolved to a local file (grader/storage/local-datasets.ts)`);
  }
  if ("path" in ref && ref.ownDataset) return loadOwnDatasetPart(ref, assignment, dataDir);
  const shape = [...assignment.inputShape] as [number, number, number];
  const resolved = "path" in ref ? path.resolve(assignment.dir ?? process.cwd(), ref.path) : undefined;
  // File datasets are keyed by their size and modification time too, so a replaced file is decoded again.
  const stamp = resolved ? await stat(resolved).then((s) => ({ size: s.size, mtime: s.mtimeMs })) : undefined;
  const generator = "builtin" in ref && ref.builtin === "shapes" ? SHAPES_GENERATOR_VERSION : undefined;
  const { dataset, hit } = await cached(dataDir, { ref, shape, resolved, stamp, generator }, () => build(ref, shape, resolved, imageFolderLimits(uploadLimitsOf(assignment).dataset)));
  return { dataset: alignClasses(dataset, assignment.classes, "builtin" in ref ? ref.builtin : ref.path), cacheHit: hit };
}

/** One part of a student's dataset through its stored split (grader/data/own-dataset-load.ts), in the assignment's class order. */
async function loadOwnDatasetPart(
  ref: Extract<DatasetRef, { path: string }>,
  assignment: Pick<AssignmentConfig, "inputShape" | "classes" | "dir">,
  dataDir: string,
): Promise<{ dataset: ImageDataset; cacheHit: boolean; validation?: Int32Array }> {
  const own = ref.ownDataset!;
  if (ref.format !== "image-folder") throw new Error(`an own dataset is an image-folder zip, not ${ref.format}`);
  const [h, w, c] = own.split.shape;
  if (h !== assignment.inputShape[0] || w !== assignment.inputShape[1] || c !== assignment.inputShape[2]) {
    throw new Error(`own dataset ${own.blobKey} is stored at ${h}×${w}×${c}, but the run's inputShape is ${assignment.inputShape.join("×")}`);
  }
  const file = path.resolve(assignment.dir ?? process.cwd(), ref.path);
  const loaded = await loadOwnDataset(file, own.split, { dataDir, blobKey: own.blobKey });
  const what = `own dataset ${own.blobKey}`;
  if (own.part === "test") return { dataset: alignClasses(loaded.test, assignment.classes, what), cacheHit: loaded.cacheHit };
  // Training images first, then the validation part: indices past the training images are the validation set.
  const both = concatDatasets(loaded.train, loaded.validation);
  const validation = Int32Array.from({ length: loaded.validation.count }, (_, i) => loaded.train.count + i);
  return { dataset: alignClasses(both, assignment.classes, what), cacheHit: loaded.cacheHit, validation };
}

/** `a`'s examples followed by `b`'s (same classes and shape). */
function concatDatasets(a: ImageDataset, b: ImageDataset): ImageDataset {
  const images = new Uint8Array(a.images.length + b.images.length);
  images.set(a.images, 0);
  images.set(b.images, a.images.length);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels, 0);
  labels.set(b.labels, a.count);
  return { classes: a.classes, shape: a.shape, count: a.count + b.count, images, labels };
}

async function build(
  ref: DatasetRef, shape: [number, number, number], resolved: string | undefined, limits: ImageFolderLimits,
): Promise<ImageDataset> {
  if ("builtin" in ref) {
    if (ref.builtin === "shapes") {
      return generateShapes({ count: ref.count, seed: ref.seed, classes: ref.classes, imbalance: ref.imbalance, shape });
    }
    return loadMnistBuiltin({ count: ref.count, offset: ref.offset, shape });
  }
  const file = resolved!;
  switch (ref.format) {
    case "image-folder":
      // The assignment's upload caps, so an archive the web accepted is one the grader reads.
      return readImageFolderZip(file, shape, limits);
    case "cifar10":
      return readCifar10(file, ref.files ?? ["data_batch_1.bin"], shape, ref.limit);
    case "mnist-idx": {
      const files = (ref.files ?? ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]) as [string, string];
      if (files.length !== 2) throw new Error("mnist-idx needs files: [images, labels]");
      return readMnistIdx(file, files, shape, ref.limit);
    }
  }
}

/**
 * Re-indexes labels so label k means `classes[k]` of the assignment. Every class of the dataset must be one of the
 * assignment's (an assignment may list a class the data lacks: it is then absent from the metrics).
 */
export function alignClasses(ds: ImageDataset, classes: string[], what: string): ImageDataset {
  if (ds.classes.length === classes.length && ds.classes.every((c, i) => c === classes[i])) return ds;
  const map = ds.classes.map((c) => classes.indexOf(c));
  const unknown = ds.classes.filter((_, i) => map[i]! < 0);
  if (unknown.length) {
    throw new Error(`Dataset ${what} has classes not in the assignment: ${unknown.join(", ")} (assignment: ${classes.join(", ")})`);
  }
  const labels = new Uint8Array(ds.count);
  for (let i = 0; i < ds.count; i++) labels[i] = map[ds.labels[i]!]!;
  return { ...ds, classes: [...classes], labels };
}
