import { z } from "zod";

/** How a spec is trained. Defaults follow the syllabus (Adam, categorical cross-entropy). Pure zod. */

export const optimizerSchema = z.enum(["sgd", "momentum", "adam", "rmsprop"]);
export type OptimizerName = z.infer<typeof optimizerSchema>;

/** Augmentation applied per batch as tensor ops; ranges follow Keras ImageDataGenerator's meaning. */
export const augmentationSchema = z.object({
  horizontalFlip: z.boolean().default(false),
  verticalFlip: z.boolean().default(false),
  /** Degrees: each image is rotated by a uniform angle in [-r, r]. */
  rotationRange: z.number().min(0).max(180).default(0),
  /** Fraction of the width: shift uniformly in [-w, w]. */
  widthShiftRange: z.number().min(0).max(0.5).default(0),
  heightShiftRange: z.number().min(0).max(0.5).default(0),
  /** Zoom factor drawn uniformly in [1 - z, 1 + z]. */
  zoomRange: z.number().min(0).max(0.5).default(0),
  /** Added brightness drawn uniformly in [-b, b] on the 0..1 pixel scale. */
  brightnessRange: z.number().min(0).max(1).default(0),
}).strict();
export type Augmentation = z.infer<typeof augmentationSchema>;

export const earlyStoppingSchema = z.object({
  monitor: z.enum(["valLoss", "valAcc"]).default("valLoss"),
  patience: z.number().int().min(0).max(100).default(2),
  minDelta: z.number().min(0).max(1).default(0),
}).strict();

/** `balanced` (n / (k * count_c)), explicit weights by class name, or none. */
export const classWeightsSchema = z.union([
  z.literal("none"),
  z.literal("balanced"),
  z.record(z.string().min(1), z.number().positive().max(1000)),
]);
export type ClassWeights = z.infer<typeof classWeightsSchema>;

export const trainingSchema = z.object({
  optimizer: optimizerSchema.default("adam"),
  learningRate: z.number().positive().max(10).default(0.001),
  /** Used by `momentum` (and as rho for rmsprop's momentum term when > 0). */
  momentum: z.number().min(0).lt(1).default(0.9),
  epochs: z.number().int().min(1).max(1000),
  batchSize: z.number().int().min(1).max(1024).default(32),
  augmentation: augmentationSchema.default({}),
  classWeights: classWeightsSchema.default("none"),
  /** Fraction of the training set held back (stratified, seeded) for validation curves and early stopping. */
  validationSplit: z.number().min(0).max(0.5).default(0.1),
  earlyStopping: earlyStoppingSchema.optional(),
}).strict();
export type Training = z.infer<typeof trainingSchema>;

/** Phase two of a transfer spec: unfreeze the last N base layers and train on at a lower learning rate. */
export const fineTuneSchema = z.object({
  unfreezeLast: z.number().int().min(1).max(1000),
  epochs: z.number().int().min(1).max(1000),
  learningRate: z.number().positive().max(1).default(0.00001),
}).strict();
export type FineTune = z.infer<typeof fineTuneSchema>;
