import { z } from "zod";
import { SpecValidationError, type Issue } from "../errors";
import { jsonShapeIssue } from "./json-shape";
import { kerasToLayers } from "./keras-import";
import { layerSchema, type Layer } from "./layers";
import { parseUserYaml } from "./read-yaml";
import { fineTuneSchema, trainingSchema } from "./training";
import { MAX_SPEC_CHARS, MAX_SPEC_LAYERS } from "./topology-limits";

/**
 * The submission spec: what a student submits for Assignment 6 when the grader trains the model.
 * Shared by the web form (live validation), the server action (validation before queueing) and the grader.
 * Pure: zod + yaml only, no tf and no node APIs.
 * @see ../../../shared/ARCHITECTURE.md "Grading semantics"
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

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => {
    let message = i.message;
    if (i.code === "invalid_union_discriminator") {
      message = `must be one of ${i.options.map((o) => JSON.stringify(o)).join(", ")}`;
    } else if (i.code === "invalid_union") {
      // "Invalid input" says nothing; the first alternative's complaint (often "Required") does.
      const first = i.unionErrors[0]?.issues[0];
      if (first) message = first.message === "Required" ? "Required" : `expected a number or a pair [height, width] (${first.message})`;
    } else if (i.code === "unrecognized_keys") {
      message = `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    return { path: i.path.join("."), message };
  });
}

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
    const raw = typeof input === "string" ? readText(input) : input;
    const shape = jsonShapeIssue(raw);
    if (shape) throw new SpecValidationError([shape]);
    const parsed = specSchema.safeParse(raw);
    if (!parsed.success) throw new SpecValidationError(zodIssues(parsed.error));
    if (parsed.data.kind === "keras") kerasToLayers(parsed.data.model, "model");
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
