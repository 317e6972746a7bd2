import type { LayersModel } from "@tensorflow/tfjs";
import type { TransferSpec } from "../spec/schema";
import type { TrainPhase } from "./train-model";

/**
 * The syllabus's two-phase transfer recipe as training phases: first the head alone with the whole base frozen,
 * then (if the spec asks) the last N base layers unfrozen and trained on with the head at a lower learning rate.
 * "Last N layers" counts every base layer after its input, as Keras's `base_model.layers[-N:]` does.
 */
export function transferPhases(spec: TransferSpec, base: LayersModel): TrainPhase[] {
  const phases: TrainPhase[] = [{
    name: "head",
    epochs: spec.training.epochs,
    learningRate: spec.training.learningRate,
    prepare: () => {
      base.trainable = false;
    },
  }];
  if (spec.fineTune) {
    const n = spec.fineTune.unfreezeLast;
    phases.push({
      name: "fineTune",
      epochs: spec.fineTune.epochs,
      learningRate: spec.fineTune.learningRate,
      prepare: () => {
        base.trainable = true;
        const layers = base.layers.filter((l) => l.getClassName() !== "InputLayer");
        layers.forEach((l, i) => {
          l.trainable = i >= layers.length - n;
        });
      },
    });
  }
  return phases;
}
