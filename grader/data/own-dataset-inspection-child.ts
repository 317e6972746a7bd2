/**
 * Entry of the child process that inspects one uploaded own dataset (started by ./isolated-inspection.ts with
 * `--import tsx` and a heap limit): decode, check the rules, split, describe, write thumbnails; answer; exit.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { isUserError } from "../errors";
import { thumbnailIndices } from "./own-dataset-contract";
import { inspectionTaskSchema, type InspectionAnswer } from "./own-dataset-inspection-protocol";
import { inspectOwnDataset, thumbnailPng } from "./own-dataset-quality";

const send = process.send?.bind(process);
if (!send) throw new Error("the inspection process must be started with an IPC channel (see grader/data/isolated-inspection.ts)");
const answer = (a: InspectionAnswer): Promise<void> => new Promise((resolve) => send(a, () => resolve()));

process.on("disconnect", () => process.exit(0));
process.once("message", async (raw: unknown) => {
  const task = inspectionTaskSchema.safeParse(raw);
  if (!task.success) {
    await answer({ outcome: "failed", message: `invalid task: ${task.error.message}` });
    process.exit(1);
  }
  const { zipFile, outDir, shape, seed, limits, rules } = task.data;
  try {
    const inspected = await inspectOwnDataset(zipFile, shape, { seed, limits, rules });
    await mkdir(outDir, { recursive: true });
    const wanted = [...thumbnailIndices(inspected.quality)];
    for (const i of wanted) await writeFile(path.join(outDir, `${i}.png`), await thumbnailPng(inspected.dataset, i));
    await answer({
      outcome: "inspected",
      split: inspected.split,
      quality: inspected.quality,
      classes: inspected.dataset.classes,
      classCounts: inspected.quality.classes.map((c) => c.images),
      thumbnails: wanted.length,
    });
  } catch (e) {
    if (isUserError(e)) await answer({ outcome: "refused", message: e.message, files: (e as { files?: string[] }).files ?? [] });
    else await answer({ outcome: "failed", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
  process.exit(0);
});
void answer({ outcome: "ready" });
