import { z } from "zod";

/**
 * The allow-list of layers a student may use, shared by `cnn` specs, `transfer` heads and imported Keras topologies.
 * Pure zod (no tf import): it also runs in the browser for the live builder.
 */

/** Activations the grader builds; names follow Keras/TF.js. */
export const activationSchema = z.enum([
  "linear", "relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softmax", "softplus", "softsign", "swish",
]);
export type Activation = z.infer<typeof activationSchema>;

const MAX_FILTERS = 2048;
const MAX_UNITS = 65_536;
const MAX_KERNEL = 15;

const size2 = (max: number) =>
  z.union([z.number().int().min(1).max(max), z.tuple([z.number().int().min(1).max(max), z.number().int().min(1).max(max)])]);

const padding = z.enum(["valid", "same"]).default("valid");
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, "use letters, digits, _ . - (max 64)").optional();

const conv2d = z.object({
  type: z.literal("conv2d"), name,
  filters: z.number().int().min(1).max(MAX_FILTERS),
  kernelSize: size2(MAX_KERNEL),
  strides: size2(8).default(1),
  padding,
  activation: activationSchema.default("linear"),
  useBias: z.boolean().default(true),
}).strict();

/** What a depthwise convolution takes; a separable one takes the same plus its pointwise `filters`. */
const depthwiseFields = {
  kernelSize: size2(MAX_KERNEL),
  strides: size2(8).default(1),
  padding,
  depthMultiplier: z.number().int().min(1).max(16).default(1),
  activation: activationSchema.default("linear"),
  useBias: z.boolean().default(true),
};

const separableConv2d = z.object({
  type: z.literal("separableConv2d"), name,
  filters: z.number().int().min(1).max(MAX_FILTERS),
  ...depthwiseFields,
}).strict();

const depthwiseConv2d = z.object({
  type: z.literal("depthwiseConv2d"), name,
  ...depthwiseFields,
}).strict();

const pool = <T extends string>(type: T) =>
  z.object({
    type: z.literal(type), name,
    poolSize: size2(16).default(2),
    /** Defaults to poolSize, as in Keras. */
    strides: size2(16).optional(),
    padding,
  }).strict();

const maxPooling2d = pool("maxPooling2d");
const averagePooling2d = pool("averagePooling2d");
const globalAveragePooling2d = z.object({ type: z.literal("globalAveragePooling2d"), name }).strict();
const globalMaxPooling2d = z.object({ type: z.literal("globalMaxPooling2d"), name }).strict();
const batchNormalization = z.object({
  type: z.literal("batchNormalization"), name,
  momentum: z.number().min(0).max(1).default(0.99),
  epsilon: z.number().positive().max(1).default(0.001),
}).strict();
const dropout = z.object({ type: z.literal("dropout"), name, rate: z.number().min(0).lt(1) }).strict();
const flatten = z.object({ type: z.literal("flatten"), name }).strict();
const dense = z.object({
  type: z.literal("dense"), name,
  units: z.number().int().min(1).max(MAX_UNITS),
  activation: activationSchema.default("linear"),
  useBias: z.boolean().default(true),
}).strict();
const activation = z.object({ type: z.literal("activation"), name, activation: activationSchema }).strict();
const rescaling = z.object({
  type: z.literal("rescaling"), name,
  scale: z.number().finite(),
  offset: z.number().finite().default(0),
}).strict();

/** Every layer type the grader accepts, discriminated by `type`. */
export const layerSchema = z.discriminatedUnion("type", [
  conv2d, separableConv2d, depthwiseConv2d, maxPooling2d, averagePooling2d, globalAveragePooling2d,
  globalMaxPooling2d, batchNormalization, dropout, flatten, dense, activation, rescaling,
]);
export type Layer = z.infer<typeof layerSchema>;
export type LayerInput = z.input<typeof layerSchema>;
export type LayerType = Layer["type"];

/** The allow-list as data, for messages and for the builder's palette. */
export const LAYER_TYPES: readonly LayerType[] = [
  "conv2d", "separableConv2d", "depthwiseConv2d", "maxPooling2d", "averagePooling2d", "globalAveragePooling2d",
  "globalMaxPooling2d", "batchNormalization", "dropout", "flatten", "dense", "activation", "rescaling",
];

/** Normalises `3` or `[3, 3]` to `[3, 3]`. */
export function pair(v: number | [number, number]): [number, number] {
  return typeof v === "number" ? [v, v] : v;
}
