import type { AssignmentConfig } from "../assignment/schema";
import type { Issue } from "../errors";
import { kerasFieldLabel, kerasToLayers } from "./keras-import";
import type { Layer } from "./layers";
import { specLayers, totalEpochs, type Spec } from "./schema";
import type { SpecAnalysis } from "./analyze";

/** 1048576 → "1,048,576" (en-US grouping, independent of the host locale). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function shape(s: number[]): string {
  return `[${s.join(", ")}]`;
}

/** The one message for a last layer with the wrong number of units; `label` names a Keras layer and field. */
export function classCountMessage(classes: number, units: number, label = ""): string {
  return `${label}the assignment has ${classes} classes, this layer gives ${units} (the model must output one probability per class: [${classes}])`;
}

/** Where the last Dense layer's `units` is in the spec (and how to name it), when the spec ends in one. */
function lastUnitsField(spec: Spec): { path: string; label: string } | undefined {
  if (spec.kind === "keras") {
    const arch = kerasToLayers(spec.model, "model");
    const i = lastIndex(arch.layers);
    if (i === undefined) return undefined;
    return { path: `${arch.paths[i]}.config.units`, label: kerasFieldLabel(arch.kerasNames[i] ?? "", arch.kerasClasses[i] ?? "Dense", "units") };
  }
  const layers = spec.kind === "cnn" ? spec.layers : spec.head;
  const i = lastIndex(layers);
  return i === undefined ? undefined : { path: `${spec.kind === "cnn" ? "layers" : "head"}.${i}.units`, label: "" };
}

/** The index of the last layer that is not dropout, when that layer is dense. */
function lastIndex(layers: Layer[]): number | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i]!.type === "dropout") continue;
    return layers[i]!.type === "dense" ? i : undefined;
  }
  return undefined;
}

/**
 * Compares an analysed spec with the assignment: budget (parameters, FLOPs, epochs, batch size, input size) and the
 * contract with the data (input shape, one softmax output per class). Returns every violation with a message that
 * says what to change; an empty list means the spec may be queued.
 * @see ../../assignments/lesson-6/assignment.yaml budget
 */
export function checkBudget(
  analysis: SpecAnalysis,
  spec: Spec,
  assignment: Pick<AssignmentConfig, "inputShape" | "classes" | "budget">,
): Issue[] {
  const v: Issue[] = [];
  const { budget } = assignment;
  const layersPath = spec.kind === "cnn" ? "layers" : spec.kind === "transfer" ? "head" : "model";

  if (analysis.totalParams > budget.maxParams) {
    const biggest = [...analysis.layers].sort((a, b) => b.params - a.params)[0];
    const culprit = biggest ? `${biggest.name} has ${formatCount(biggest.params)} parameters; ` : "";
    v.push({
      path: biggest?.path ?? layersPath,
      message: `${culprit}the model has ${formatCount(analysis.totalParams)} in total and the budget allows ${formatCount(budget.maxParams)} in total — use fewer filters/units, or downsample (pooling) before flatten/dense`,
    });
  }
  if (analysis.flopsPerImage > budget.maxFlopsPerImage) {
    const biggest = [...analysis.layers].sort((a, b) => b.flops - a.flops)[0];
    v.push({
      path: biggest?.path ?? layersPath,
      message: `the model needs ${formatCount(analysis.flopsPerImage)} FLOPs per image (${biggest?.name ?? "?"} alone ${formatCount(biggest?.flops ?? 0)}); the budget allows ${formatCount(budget.maxFlopsPerImage)} — use fewer filters or downsample earlier`,
    });
  }
  const epochs = totalEpochs(spec);
  if (epochs > budget.maxEpochs) {
    v.push({
      path: spec.kind === "transfer" && spec.fineTune ? "fineTune.epochs" : "training.epochs",
      message: `${epochs} epochs requested${spec.kind === "transfer" && spec.fineTune ? " (both phases together)" : ""}; the budget allows ${budget.maxEpochs}`,
    });
  }
  if (spec.training.batchSize > budget.maxBatchSize) {
    v.push({ path: "training.batchSize", message: `batch size ${spec.training.batchSize} is above the limit of ${budget.maxBatchSize}` });
  }
  const [h, w] = analysis.inputShape as [number, number];
  if (h > budget.maxInputSize || w > budget.maxInputSize) {
    v.push({ path: spec.kind === "transfer" ? "base" : "inputShape", message: `input ${h}x${w} is larger than the ${budget.maxInputSize}x${budget.maxInputSize} allowed` });
  }
  const expectedIn = assignment.inputShape;
  if (shape(analysis.inputShape) !== shape([...expectedIn])) {
    v.push({
      path: spec.kind === "transfer" ? "base" : spec.kind === "keras" ? "model" : "inputShape",
      message: `the model takes input ${shape(analysis.inputShape)} but this assignment's images are ${shape([...expectedIn])}`,
    });
  }
  const k = assignment.classes.length;
  if (shape(analysis.outputShape) !== shape([k])) {
    const units = analysis.outputShape.length === 1 ? lastUnitsField(spec) : undefined;
    v.push(units
      ? { path: units.path, message: classCountMessage(k, analysis.outputShape[0]!, units.label) }
      : {
          path: layersPath,
          message: `the model outputs ${shape(analysis.outputShape)} but must output one probability per class: [${k}] — end with flatten or global pooling, then dense with ${k} units and softmax`,
        });
  }
  if (spec.kind === "transfer" && spec.fineTune && spec.fineTune.learningRate >= spec.training.learningRate) {
    v.push({
      path: "fineTune.learningRate",
      message: `fine-tuning should use a lower learning rate than the head phase (${spec.training.learningRate}); try ${spec.training.learningRate / 10}`,
    });
  }
  const chain = specLayers(spec).layers.filter((l) => l.type !== "dropout");
  const last = chain[chain.length - 1];
  const endsInSoftmax = last !== undefined &&
    ((last.type === "dense" && last.activation === "softmax") || (last.type === "activation" && last.activation === "softmax"));
  if (!endsInSoftmax) {
    v.push({ path: layersPath, message: `the last layer must apply softmax (dense with ${k} units and activation "softmax") so the outputs are class probabilities` });
  }
  return v;
}
