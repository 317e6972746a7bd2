import { stat } from "node:fs/promises";
import path from "node:path";
import { uploadLimitsOf, type AssignmentConfig, type DatasetRef } from "../assignment/schema";
import { readCifar10 } from "./cifar10";
import { cached } from "./dataset-cache";
import type { ImageDataset } from "./image-dataset";
import { imageFolderLimits, readImageFolderZip, type ImageFolderLimits } from "./image-folder-zip";
import { loadMnistBuiltin } from "./mnist-builtin";
import { readMnistIdx } from "./mnist-idx";
import { generateShapes, SHAPES_GENERATOR_VERSION } from "./shapes";

/**
 * Loads one dataset of an assignment (by builtin name or format + path), decoded to the assignment's input shape,
 * through the on-disk uint8 cache, with labels re-indexed to the assignment's class order.
 */
export async function loadDataset(
  ref: DatasetRef,
  assignment: Pick<AssignmentConfig, "inputShape" | "classes" | "dir" | "uploads">,
  dataDir: string,
): Promise<{ dataset: ImageDataset; cacheHit: boolean }> {
  if ("blob" in ref) {
    // The engine reads files of this machine; the worker swaps keys for local copies first.
    throw new Error(`dataset blob ${ref.blob} was not resolved to a local file (grader/storage/local-datasets.ts)`);
  }
  const shape = [...assignment.inputShape] as [number, number, number];
  const resolved = "path" in ref ? path.resolve(assignment.dir ?? process.cwd(), ref.path) : undefined;
  // File datasets are keyed by their size and modification time too, so a replaced file is decoded again.
  const stamp = resolved ? await stat(resolved).then((s) => ({ size: s.size, mtime: s.mtimeMs })) : undefined;
  const generator = "builtin" in ref && ref.builtin === "shapes" ? SHAPES_GENERATOR_VERSION : undefined;
  const { dataset, hit } = await cached(dataDir, { ref, shape, resolved, stamp, generator }, () => build(ref, shape, resolved, imageFolderLimits(uploadLimitsOf(assignment).dataset)));
  return { dataset: alignClasses(dataset, assignment.classes, "builtin" in ref ? ref.builtin : ref.path), cacheHit: hit };
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
