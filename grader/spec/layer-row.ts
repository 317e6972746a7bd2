import { z } from "zod";

/**
 * One row of a layer table: what a layer outputs and what it costs. The one definition behind the static analysis of a
 * spec (./analyze.ts), the summary of a built or uploaded TF.js model (grader/model/summarize-model.ts), a registered
 * base's stored summary (grader/registry/base-summary.ts), the report (grader/report/schema.ts) and the builder's
 * Web Worker answer. FLOPs count a multiply-add as 2 (forward pass, one image). Pure zod.
 */
export const layerRowSchema = z.object({
  name: z.string(),
  /** The grader's layer type (`conv2d`) for specs, the TF.js class name (`Conv2D`) for built models. */
  type: z.string(),
  /** Without the batch axis; -1 for a dimension a loaded model leaves open. */
  outputShape: z.array(z.number().int()),
  params: z.number().int().min(0),
  trainableParams: z.number().int().min(0),
  flops: z.number().min(0),
});
export type LayerRow = z.infer<typeof layerRowSchema>;
