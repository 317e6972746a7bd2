import { z } from "zod";
import { ownDatasetSplitSchema } from "../data/own-dataset-contract";
import type { AssignmentConfig, DatasetRef } from "./schema";

/** What a run on a student's dataset needs of its `student_datasets` row (db/schema/own-datasets.ts). */
export interface OwnDatasetForRun {
  id: string;
  name: string;
  /** Blob key of the uploaded zip. */
  blobKey: string;
  inputSize: number;
  channels: number;
  /** Class names in label order, as stored. */
  classes: unknown;
  /** `student_datasets.split` as stored (grader/data/own-dataset-contract.ts). */
  split: unknown;
}

const classesSchema = z.array(z.string().min(1)).min(2);

/**
 * The assignment config a run on a student's own dataset is checked, trained and scored with — the one function the
 * submit path's spec check and the grading worker both use (through db/queries/assignments/run-config.ts), so a spec
 * accepted at submit time is the one the worker trains:
 * - `classes` are the dataset's (its folder names, in label order) and `inputShape` is `[size, size, channels]`, the
 *   size and colour the student chose at upload: the spec check then asks for one softmax unit per class of *their*
 *   data and a base of their size, against the assignment's allow-list and budget, which stay as they are;
 * - `datasets.train` is the zip restricted to the stored split's train part, with its validation part as the
 *   validation set (the spec's `validationSplit` fraction is not used on own data); `datasets.heldout` is the test
 *   part, without the test images that copied a training image;
 * - `publicFraction` 1: nothing of the student's own data is hidden, so there are no public/private halves (a
 *   report's `public`, `private` and `all` figures are all the test part).
 * Pure: no database, no files. The refs keep the blob key; the worker resolves it to a local file as for uploads.
 * @throws Error when the row's classes or split do not parse (a row written by an incompatible version)
 */
export function ownDatasetConfig<C extends AssignmentConfig>(config: C, dataset: OwnDatasetForRun): C & { datasets: { train: DatasetRef; heldout: DatasetRef } } {
  const classes = classesSchema.safeParse(dataset.classes);
  const split = ownDatasetSplitSchema.safeParse(dataset.split);
  if (!classes.success || !split.success) {
    throw new Error(`student dataset ${dataset.id} has an unreadable ${!classes.success ? "class list" : "stored split"}`);
  }
  const channels = dataset.channels === 1 ? 1 : 3;
  const [h, w, c] = split.data.shape;
  if (h !== dataset.inputSize || w !== dataset.inputSize || c !== channels) {
    throw new Error(`student dataset ${dataset.id}: its split was decoded at ${h}×${w}×${c}, not ${dataset.inputSize}×${dataset.inputSize}×${channels}`);
  }
  const part = (p: "train" | "test"): DatasetRef => ({
    format: "image-folder",
    blob: dataset.blobKey,
    ownDataset: { split: split.data, part: p, blobKey: dataset.blobKey },
  });
  return {
    ...config,
    classes: classes.data,
    inputShape: [dataset.inputSize, dataset.inputSize, channels],
    datasets: { train: part("train"), heldout: part("test") },
    publicFraction: 1,
    splitSeed: split.data.seed,
  };
}
