import path from "node:path";
import sharp from "sharp";
import { DatasetArchiveError } from "../errors";
import { readZipSafely, DEFAULT_ZIP_LIMITS, type ZipLimits } from "../archive/read-zip";
import type { ImageDataset } from "./image-dataset";
import { convertChannels } from "./resize-image";

const IMAGE_EXT = new Set([".png", ".jpg", ".jpeg"]);
/** Operating-system litter that zip tools add; skipped rather than reported. */
const IGNORED = (name: string): boolean => name.startsWith("__MACOSX/") || path.basename(name).startsWith(".");

/**
 * Reads an image-folder archive in the Keras `flow_from_directory` layout (`<class>/<image>.png|jpg`, optionally
 * under one top-level folder), decoding with sharp and resizing to `shape`. Classes are the folder names in sorted
 * order, as Keras does. Every problem is collected and reported together, by file name: non-image files, images
 * sharp cannot decode, files outside a class folder, and empty classes.
 * @throws DatasetArchiveError
 */
export async function readImageFolderZip(
  file: string, shape: [number, number, number], limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ImageDataset> {
  const files = await readZipSafely(file, limits);
  let names = [...files.keys()].filter((n) => !IGNORED(n)).sort();
  // Accept `train/<class>/<img>` as well as `<class>/<img>`: strip one shared top-level folder.
  const fileNames = names.filter((n) => !n.endsWith("/"));
  const tops = new Set(names.map((n) => n.split("/")[0]));
  if (tops.size === 1 && fileNames.length > 0 && fileNames.every((n) => n.split("/").length === 3)) {
    const top = [...tops][0]!;
    names = names.filter((n) => n !== `${top}/`).map((n) => n.slice(top.length + 1));
    for (const n of names) files.set(n, files.get(`${top}/${n}`)!);
  }
  const problems: string[] = [];
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
      problems.push(`${n}: not inside a class folder (expected <class>/<image>)`);
      continue;
    }
    dirs.add(parts[0]!);
    if (!IMAGE_EXT.has(path.extname(n).toLowerCase())) {
      problems.push(`${n}: not a .png or .jpg image`);
      continue;
    }
    if (!byClass.has(parts[0]!)) byClass.set(parts[0]!, []);
    byClass.get(parts[0]!)!.push(n);
  }
  for (const d of dirs) if (!byClass.has(d)) problems.push(`${d}/: class folder has no images`);
  const classes = [...byClass.keys()].sort();
  if (classes.length < 2 && problems.length === 0) problems.push(`found ${classes.length} class folder(s); need at least 2`);

  const [h, w, c] = shape;
  const px = h * w * c;
  const total = classes.reduce((a, k) => a + byClass.get(k)!.length, 0);
  const images = new Uint8Array(total * px);
  const labels = new Uint8Array(total);
  let i = 0;
  for (const [k, cls] of classes.entries()) {
    for (const n of byClass.get(cls)!) {
      try {
        const { data, info } = await sharp(files.get(n)!, { failOn: "error", limitInputPixels: 64 * 1024 * 1024 })
          .resize(w, h, { fit: "fill" })
          .raw()
          .toBuffer({ resolveWithObject: true });
        images.set(convertChannels(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), w * h, info.channels, c), i * px);
        labels[i++] = k;
      } catch (e) {
        problems.push(`${n}: unreadable image (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  }
  if (problems.length) {
    const shown = problems.slice(0, 20).join("; ");
    throw new DatasetArchiveError(
      `The dataset archive has ${problems.length} problem(s): ${shown}${problems.length > 20 ? "; ..." : ""}`,
      problems.map((p) => p.split(":")[0]!),
    );
  }
  return { classes, shape, count: i, images: images.subarray(0, i * px), labels: labels.subarray(0, i) };
}
