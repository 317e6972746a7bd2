import path from "node:path";
import sharp from "sharp";
import { DatasetArchiveError } from "../errors";
import { datasetUploadLimitsSchema, type DatasetUploadLimits } from "../assignment/schema";
import { openZipSafely, type ZipEntryInfo, type ZipLimits } from "../archive/read-zip";
import type { ImageDataset } from "./image-dataset";
import { convertChannels } from "./resize-image";

const IMAGE_EXT = new Set([".png", ".jpg", ".jpeg", ".webp"]);
/** Operating-system litter that zip tools add; skipped rather than reported. */
const IGNORED = (name: string): boolean => name.startsWith("__MACOSX/") || path.basename(name).startsWith(".");

/** Archive limits plus caps on what is decoded: how many images, and how large each may be before it is decoded. */
export interface ImageFolderLimits extends ZipLimits {
  maxImages?: number;
  /** Largest width or height, read from the image header before decoding. */
  maxImageSide?: number;
}

/** An assignment's dataset upload caps as reader limits. */
export function imageFolderLimits(d: DatasetUploadLimits): Required<ImageFolderLimits> {
  return {
    maxEntries: d.maxEntries,
    maxTotalBytes: d.maxInflatedBytes,
    maxEntryBytes: d.maxEntryBytes,
    maxRatio: d.maxRatio,
    maxImages: d.maxImages,
    maxImageSide: d.maxImageSide,
  };
}

/** The defaults of an assignment's `uploads: dataset:` block, so an archive the web accepted also loads here. */
export const DEFAULT_IMAGE_FOLDER_LIMITS: Required<ImageFolderLimits> = imageFolderLimits(datasetUploadLimitsSchema.parse({}));

/**
 * Reads an image-folder archive in the Keras `flow_from_directory` layout (`<class>/<image>.png|jpg|webp`, optionally
 * under one top-level folder), decoding with sharp and resizing to `shape`. Classes are the folder names in sorted
 * order, as Keras does. The layout is read from the central directory alone; images are then inflated and decoded one
 * at a time (never the whole archive in memory), each header checked against `maxImageSide` before decoding, and no
 * more than `maxImages` of them. Every problem is collected and reported together, by file name: non-image files,
 * images sharp cannot decode or that are too large, files outside a class folder, and empty classes.
 * @throws DatasetArchiveError
 */
export async function readImageFolderZip(
  file: string, shape: [number, number, number], limits: ImageFolderLimits = DEFAULT_IMAGE_FOLDER_LIMITS,
): Promise<ImageDataset> {
  const { dataset, problems } = await decodeImageFolderZip(file, shape, limits);
  if (problems.length) {
    const shown = problems.slice(0, 20).map((p) => `${p.file}: ${p.reason}`).join("; ");
    throw new DatasetArchiveError(
      `The dataset archive has ${problems.length} problem(s): ${shown}${problems.length > 20 ? "; ..." : ""}`,
      problems.map((p) => p.file),
    );
  }
  return dataset;
}

/** One file or folder of an image-folder archive that was not used, and why. */
export interface FolderProblem {
  file: string;
  reason: string;
}

/** What decoding an archive found besides the images: the files it could not use, and each image's original size. */
export interface DecodedImageFolder {
  dataset: ImageDataset;
  problems: FolderProblem[];
  /** Width and height of each decoded image before resizing, in dataset order. */
  originalSizes: Uint16Array;
  /** Each decoded image's file in the archive (`<class>/<name>`, the shared top folder taken off), in dataset order. */
  files: string[];
}

/**
 * The same read as readImageFolderZip, but the files it cannot use are returned (by name, with the reason) instead of
 * failing the read, for a student's own dataset, where a few corrupt files should be reported and skipped. Archive
 * limits (size, entries, ratio, image count) still end the read with a DatasetArchiveError.
 */
export async function decodeImageFolderZip(
  file: string, shape: [number, number, number], limits: ImageFolderLimits = DEFAULT_IMAGE_FOLDER_LIMITS,
): Promise<DecodedImageFolder> {
  const caps = { ...DEFAULT_IMAGE_FOLDER_LIMITS, ...limits };
  const zip = await openZipSafely(file, limits);
  try {
    return await decodeImageFolder(zip, shape, caps);
  } finally {
    zip.close();
  }
}

async function decodeImageFolder(
  zip: Awaited<ReturnType<typeof openZipSafely>>, shape: [number, number, number], caps: Required<ImageFolderLimits>,
): Promise<DecodedImageFolder> {
  const files = new Map<string, ZipEntryInfo>(zip.entries.map((e) => [e.name, e]));
  let names = [...files.keys()].filter((n) => !IGNORED(n)).sort();
  // Accept `train/<class>/<img>` as well as `<class>/<img>`: strip one shared top-level folder.
  const fileNames = names.filter((n) => !n.endsWith("/"));
  const tops = new Set(names.map((n) => n.split("/")[0]));
  if (tops.size === 1 && fileNames.length > 0 && fileNames.every((n) => n.split("/").length === 3)) {
    const top = [...tops][0]!;
    names = names.filter((n) => n !== `${top}/`).map((n) => n.slice(top.length + 1));
    for (const n of names) files.set(n, files.get(`${top}/${n}`)!);
  }
  const problems: FolderProblem[] = [];
  const problem = (file: string, reason: string): void => {
    problems.push({ file, reason });
  };
  const byClass = new Map<string, string[]>();
  const dirs = new Set<string>();
  for (const n of names) {
    if (n.endsWith("/")) {
      const folder = n.slice(0, -1);
      if (folder && !folder.includes("/")) dirs.add(folder);
      continue;
    }
    const parts = n.split("/");
    if (parts.length !== 2) {
      problem(n, "not inside a class folder (expected <class>/<image>)");
      continue;
    }
    dirs.add(parts[0]!);
    if (!IMAGE_EXT.has(path.extname(n).toLowerCase())) {
      problem(n, "not a .png, .jpg or .webp image");
      continue;
    }
    if (!byClass.has(parts[0]!)) byClass.set(parts[0]!, []);
    byClass.get(parts[0]!)!.push(n);
  }
  for (const d of dirs) if (!byClass.has(d)) problem(`${d}/`, "class folder has no images");
  const classes = [...byClass.keys()].sort();
  if (classes.length < 2 && problems.length === 0) problem("(archive)", `found ${classes.length} class folder(s); need at least 2`);

  const [h, w, c] = shape;
  const px = h * w * c;
  const total = classes.reduce((a, k) => a + byClass.get(k)!.length, 0);
  if (total > caps.maxImages) {
    throw new DatasetArchiveError(`The dataset archive has ${total} images; the limit is ${caps.maxImages} (uploads: dataset: maxImages in the assignment)`, []);
  }
  const images = new Uint8Array(total * px);
  const labels = new Uint8Array(total);
  const originalSizes = new Uint16Array(total * 2);
  const decodedFiles: string[] = [];
  let i = 0;
  for (const [k, cls] of classes.entries()) {
    for (const n of byClass.get(cls)!) {
      // Inflating is counted against the archive caps (a DatasetArchiveError ends the read); decoding problems are collected.
      const bytes = await zip.read(files.get(n)!);
      try {
        const meta = await sharp(bytes, { failOn: "error" }).metadata();
        if ((meta.width ?? 0) > caps.maxImageSide || (meta.height ?? 0) > caps.maxImageSide) {
          problem(n, `${meta.width}×${meta.height} pixels is larger than ${caps.maxImageSide} pixels a side, the limit`);
          continue;
        }
        const { data, info } = await sharp(bytes, { failOn: "error", limitInputPixels: caps.maxImageSide * caps.maxImageSide })
          .resize(w, h, { fit: "fill" })
          .raw()
          .toBuffer({ resolveWithObject: true });
        images.set(convertChannels(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), w * h, info.channels, c), i * px);
        originalSizes[i * 2] = meta.width ?? 0;
        originalSizes[i * 2 + 1] = meta.height ?? 0;
        decodedFiles.push(n);
        labels[i++] = k;
      } catch (e) {
        problem(n, `unreadable image (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  }
  return {
    dataset: { classes, shape, count: i, images: images.subarray(0, i * px), labels: labels.subarray(0, i) },
    problems,
    originalSizes: originalSizes.subarray(0, i * 2),
    files: decodedFiles,
  };
}
