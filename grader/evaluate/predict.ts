import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { ImageDataset } from "../data/image-dataset";
import { makeBatch } from "../train/batches";

const PREDICT_BATCH = 128;

/**
 * Runs the model in inference mode over `indices` of a dataset and returns the class probabilities, row-major
 * [indices.length × k]. They stay in the grader's process: only aggregates leave it.
 */
export async function predictProbabilities(
  tf: Tf, model: LayersModel, ds: ImageDataset, indices: ArrayLike<number>, batchSize = PREDICT_BATCH,
  onBatch?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const k = ds.classes.length;
  const out = new Float32Array(indices.length * k);
  const [h, w, c] = ds.shape;
  for (let from = 0; from < indices.length; from += batchSize) {
    const to = Math.min(indices.length, from + batchSize);
    const batch = makeBatch(ds, indices, from, to);
    const probs = tf.tidy(() => model.predict(tf.tensor4d(batch.x, [batch.size, h, w, c])) as Tensor);
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    if (values.length !== batch.size * k) {
      throw new Error(`The model outputs ${values.length / batch.size} values per image; the assignment has ${k} classes`);
    }
    out.set(values, from * k);
    onBatch?.(to, indices.length);
    await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}
