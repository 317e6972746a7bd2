import { createWriteStream } from "node:fs";
import { once } from "node:events";
import sharp from "sharp";
import yazl from "yazl";
import { SeededRandom } from "../random";
import { indicesByClass, type ImageDataset } from "./image-dataset";

export interface ExportChoice {
  /** Class names to keep, in the order given; all of them when omitted. */
  classes?: string[];
  /** Images per class, drawn at random (seeded) from that class. */
  perClass: number;
  seed: number;
  /** Skip this many of each class's seeded draw first, so two exports with one seed can be disjoint (train, then test). */
  offset?: number;
}

/**
 * Writes a `flow_from_directory` archive (`<class>/<class>_<n>.png`) of a seeded random subset of `ds`: the layout a
 * student uploads as their own dataset, and the one Keras's `image_dataset_from_directory` reads.
 * @returns images written per class
 * @throws Error naming an unknown class, or a class with fewer images than asked for
 */
export async function exportImageFolderZip(ds: ImageDataset, choice: ExportChoice, out: string): Promise<Record<string, number>> {
  const wanted = choice.classes ?? ds.classes;
  const unknown = wanted.filter((c) => !ds.classes.includes(c));
  if (unknown.length) throw new Error(`Unknown class(es) ${unknown.join(", ")}; this source has ${ds.classes.join(", ")}`);
  if (new Set(wanted).size !== wanted.length) throw new Error(`A class is named twice in ${wanted.join(",")}`);
  const byClass = indicesByClass(ds.labels);
  const [h, w, c] = ds.shape;
  const px = h * w * c;
  const zip = new yazl.ZipFile();
  const done = once(zip.outputStream.pipe(createWriteStream(out)), "close");
  const written: Record<string, number> = {};
  for (const name of wanted) {
    const pool = byClass.get(ds.classes.indexOf(name)) ?? [];
    const offset = choice.offset ?? 0;
    if (pool.length < offset + choice.perClass) throw new Error(`Class ${name} has ${pool.length} images; ${offset + choice.perClass} were asked for`);
    const picked = (new SeededRandom(choice.seed + ds.classes.indexOf(name)).shuffle([...pool]) as number[]).slice(offset, offset + choice.perClass);
    for (const [n, i] of picked.entries()) {
      const png = await sharp(Buffer.from(ds.images.subarray(i * px, (i + 1) * px)), { raw: { width: w, height: h, channels: c as 1 | 3 } })
        .png()
        .toBuffer();
      zip.addBuffer(png, `${name}/${name}_${String(n).padStart(4, "0")}.png`, { compress: false });
    }
    written[name] = picked.length;
  }
  zip.end();
  await done;
  return written;
}
