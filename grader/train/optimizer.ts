import type { Optimizer, Tensor } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { Training } from "../spec/training";

/** Builds the spec's optimizer at a learning rate (the fine-tune phase passes its own lower rate). */
export function makeOptimizer(tf: Tf, training: Pick<Training, "optimizer" | "momentum">, learningRate: number): Optimizer {
  switch (training.optimizer) {
    case "sgd":
      return tf.train.sgd(learningRate);
    case "momentum":
      return tf.train.momentum(learningRate, training.momentum);
    case "adam":
      return tf.train.adam(learningRate);
    case "rmsprop":
      return tf.train.rmsprop(learningRate);
  }
}

/**
 * Frees an optimizer's state. tfjs-core 4.22's MomentumOptimizer.dispose() forgets the learning-rate scalar `c` it
 * inherits from SGDOptimizer (one tensor leaked per job), so that one is freed here as well.
 */
export function disposeOptimizer(optimizer: Optimizer): void {
  optimizer.dispose();
  if (optimizer.getClassName() === "Momentum") {
    const c = (optimizer as unknown as { c?: Tensor }).c;
    if (c && !c.isDisposed) c.dispose();
  }
}
