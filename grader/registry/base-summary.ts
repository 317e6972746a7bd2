import { z } from "zod";
import { layerRowSchema } from "../spec/layer-row";

/**
 * What the registry stores about a pretrained base, enough to analyse a transfer spec without loading weights
 * (the browser's live builder does this). Pure zod.
 */


export const baseSummarySchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  description: z.string(),
  /** Folder with model.json + weight shards; relative to the repo root, or absolute. */
  modelPath: z.string(),
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  /** The base takes `x * scale + offset`, where x are pixels on the 0..1 scale the grader feeds every model. */
  preprocessing: z.object({ scale: z.number(), offset: z.number() }).strict(),
  /** Shape of the base's output feature map (no batch axis). */
  outputShape: z.array(z.number().int().positive()),
  /** Every layer with weights or shape change, in order (the input layer excluded). */
  layers: z.array(layerRowSchema),
  totalParams: z.number().int().min(0),
  flopsPerImage: z.number().min(0),
  /** Where the weights came from (e.g. "npm run models:pretrain: shapes-source, seed 17"). */
  source: z.string(),
});
export type BaseSummary = z.infer<typeof baseSummarySchema>;

export const registryIndexSchema = z.object({ bases: z.array(baseSummarySchema) });
export type RegistryIndex = z.infer<typeof registryIndexSchema>;
