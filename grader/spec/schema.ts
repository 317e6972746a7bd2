import { z } from "zod";
import { SpecValidationError, type Issue } from "../errors";
import { jsonShapeIssue } from "./json-shape";
import { kerasToLayers, looksLikeKerasTopology, readKerasTopology } from "./keras-import";
import { layerSchema, type Layer } from "./layers";
import { parseUserYaml } from "./read-yaml";
import { fineTuneSchema, trainingSchema } from "./training";
import { MAX_SPEC_CHARS, MAX_SPEC_LAYERS } from "./topology-limits";
import { describeZodIssue } from "./zod-messages";

/**
 * The submission spec: what a student submits for Assignment 6 when the grader trains the model.
 * Shared by the web form (live validation), the server action (validation before queueing) and the grader.
 * Pure: zod + yaml only, no tf and no node APIs.
 * @see docs/architecture.md, "Grading semantics"
 */

export { layerSchema, LAYER_TYPES, activationSchema, type Layer, type LayerType, type Activation } from "./layers";
export { trainingSchema, augmentationSchema, type Training, type Augmentation, type FineTune } from "./training";

const inputShapeSchema = z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]);

/** A custom CNN: an ordered list of allow-listed layers, input shape implied by the assignment. */
export const cnnSpecSchema = z.object({
  kind: z.literal("cnn"),
  name: z.string().max(100).optional(),
  /** Optional; when given it must equal the assignment's input shape. */
  inputShape: inputShapeSchema.optional(),
  layers: z.array(layerSchema).min(1).max(MAX_SPEC_LAYERS),
  training: trainingSchema,
}).strict();

/**
 * Transfer learning, the syllabus's recipe: a registered base (frozen), a head trained first, then optionally the
 * last N base layers unfrozen and trained at a lower learning rate.
 */
export const transferSpecSchema = z.object({
  kind: z.literal("transfer"),
  name: z.string().max(100).optional(),
  /** Registry name of the pretrained base (see grader/registry). */
  base: z.string().min(1).max(100),
  /** Head layers on top of the base's output (usually globalAveragePooling2d, dense..., dense softmax). */
  head: z.array(layerSchema).min(1).max(MAX_SPEC_LAYERS),
  /** Phase one: trains the head with the whole base frozen. */
  training: trainingSchema,
  /** Phase two (optional): unfreeze the last N base layers and continue at a lower learning rate. */
  fineTune: fineTuneSchema.optional(),
}).strict();

/** A Keras `model.to_json()` (Keras 2) or `.keras` config.json (Keras 3) as the architecture. */
export const kerasSpecSchema = z.object({
  kind: z.literal("keras"),
  name: z.string().max(100).optional(),
  /** The topology as an object or as the JSON text Keras printed. */
  model: z.union([z.record(z.unknown()), z.string().max(MAX_SPEC_CHARS)]),
  training: trainingSchema,
}).strict();

export const specSchema = z.discriminatedUnion("kind", [cnnSpecSchema, transferSpecSchema, kerasSpecSchema]);

export type CnnSpec = z.infer<typeof cnnSpecSchema>;
export type TransferSpec = z.infer<typeof transferSpecSchema>;
export type KerasSpec = z.infer<typeof kerasSpecSchema>;
/** A validated spec, defaults applied. */
export type Spec = z.infer<typeof specSchema>;
/** What a user may write (defaults not yet applied). */
export type SpecInput = z.input<typeof specSchema>;

function zodIssues(error: z.ZodError, root: unknown): Issue[] {
  return error.issues.map((i) => ({ path: i.path.join("."), message: describeZodIssue(i, root) }));
}

/** Said when a Keras topology is pasted or uploaded where a spec was expected: it has no training block. */
export const PASTED_TOPOLOGY_MESSAGE =
  "this is a Keras model topology (model.to_json() or a TF.js model.json), which has no training block: submit it in the " +
  "\"Keras model.to_json()\" tab, or write it as a spec with kind: keras, model: (the topology) and training: { epochs: 5 }";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readText(text: string): unknown {
  if (text.length > MAX_SPEC_CHARS) {
    throw new SpecValidationError([{ path: "", message: `the spec is ${text.length} characters long; the limit is ${MAX_SPEC_CHARS}` }]);
  }
  const trimmed = text.trim();
  if (trimmed === "") throw new SpecValidationError([{ path: "", message: "the spec is empty" }]);
  try {
    // JSON is a subset of YAML 1.2, but JSON.parse gives better messages for JSON-looking input.
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) return JSON.parse(trimmed);
  } catch (e) {
    throw new SpecValidationError([{ path: "", message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  // Linear in the text's length; alias expansion, depth and self-containing values (`&a [*a]`) bounded.
  const yaml = parseUserYaml(trimmed);
  if (!yaml.ok) throw new SpecValidationError([{ path: "", message: `not valid YAML: ${yaml.message}` }]);
  return yaml.value;
}

/**
 * Parses and validates a spec given as JSON text, YAML text or an already-parsed object. Keras topologies are checked
 * layer by layer (Lambda and custom layers refused by name). Budget and shape checks are separate: see
 * `analyzeSpec` / `checkBudget` in ./analyze.
 * @throws SpecValidationError — and nothing else — for any input.
 */
export function parseSpec(input: string | unknown): Spec {
  try {
    let raw = typeof input === "string" ? readText(input) : input;
    const shape = jsonShapeIssue(raw);
    if (shape) throw new SpecValidationError([shape]);
    // A bare Keras topology is read as a Keras spec, so its own problems are reported with the missing training block.
    const pastedTopology = looksLikeKerasTopology(raw);
    if (pastedTopology) raw = { kind: "keras", model: raw };
    const parsed = specSchema.safeParse(raw);
    const issues = parsed.success ? [] : zodIssues(parsed.error, raw);
    if (pastedTopology) {
      for (const issue of issues) if (issue.path === "training") issue.message = PASTED_TOPOLOGY_MESSAGE;
    }
    // Every problem at once: the topology's own problems beside the training block's, not after them.
    if (isRecord(raw) && raw.kind === "keras" && raw.model !== undefined && !issues.some((i) => i.path === "model" || i.path.startsWith("model."))) {
      issues.push(...readKerasTopology(raw.model, "model").issues);
    }
    if (issues.length || !parsed.success) throw new SpecValidationError(issues);
    return parsed.data;
  } catch (e) {
    if (e instanceof SpecValidationError) throw e;
    // A parser bug must still reach the student as a validation error, not a 500.
    throw new SpecValidationError([{ path: "", message: `the spec could not be read: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

/** The layer list a spec trains on top of its input (cnn layers, the Keras chain, or a transfer head). */
export function specLayers(spec: Spec): { layers: Layer[]; declaredInputShape?: [number, number, number] } {
  switch (spec.kind) {
    case "cnn":
      return { layers: spec.layers, declaredInputShape: spec.inputShape };
    case "keras": {
      const arch = kerasToLayers(spec.model, "model");
      return { layers: arch.layers, declaredInputShape: arch.inputShape };
    }
    case "transfer":
      return { layers: spec.head };
  }
}

/** Epochs a spec asks for in total (both phases for transfer). */
export function totalEpochs(spec: Spec): number {
  return spec.training.epochs + (spec.kind === "transfer" ? (spec.fineTune?.epochs ?? 0) : 0);
}
