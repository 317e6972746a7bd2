/**
 * How long a student's dataset takes to read at upload: decode, split, duplicate search and thumbnails in the
 * isolated child process (grader/data/isolated-inspection.ts), exactly as the upload route runs it, on real images
 * exported with datasets:export — 1,500 Fashion-MNIST photos (when installed) and 6,000 MNIST digits — at the input
 * sizes a student may pick. Prints wall time, images per second and the load average beside each figure.
 *   npx tsx bench/own-dataset-inspection.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { DEFAULT_IMAGE_FOLDER_LIMITS } from "@/grader/data/image-folder-zip";
import { inspectOwnDatasetIsolated } from "@/grader/data/isolated-inspection";
import { loadRealImages, sourceAvailable } from "@/grader/data/real-image-sources";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-bench-own-"));
const cases: { label: string; zip: string }[] = [];
if (sourceAvailable("fashion-mnist")) {
  const zip = path.join(dir, "fashion-1500.zip");
  await exportImageFolderZip(await loadRealImages("fashion-mnist"), { classes: ["shirt", "sneaker", "bag", "dress", "coat"], perClass: 300, seed: 1 }, zip);
  cases.push({ label: "Fashion-MNIST, 5 classes x 300", zip });
} else console.log("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): its case is skipped");
const digits = path.join(dir, "mnist-6000.zip");
await exportImageFolderZip(await loadRealImages("mnist"), { classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], perClass: 600, seed: 1 }, digits);
cases.push({ label: "MNIST digits, 10 classes x 600", zip: digits });

for (const c of cases) {
  for (const [size, channels] of [[32, 1], [64, 3]] as const) {
    const out = path.join(dir, `thumbs-${size}-${channels}`);
    const load = os.loadavg()[0]!.toFixed(1);
    const started = performance.now();
    const r = await inspectOwnDatasetIsolated({
      zipFile: c.zip, outDir: out, shape: [size, size, channels], seed: 7,
      limits: { ...DEFAULT_IMAGE_FOLDER_LIMITS, maxImages: 6000 }, rules: { minClasses: 2, maxClasses: 20, minImagesPerClass: 8 },
    });
    const s = (performance.now() - started) / 1000;
    const n = r.split.parts.length;
    console.log(`${c.label} (${(fs.statSync(c.zip).size / 1024 / 1024).toFixed(1)} MB) at ${size}x${size}x${channels}: ${s.toFixed(1)} s for ${n} images (${Math.round(n / s)} images/s), ${r.quality.duplicatesTotal} duplicate pair(s), ${r.thumbnails} thumbnails; load average before ${load}`);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
