import { z } from "zod";

/**
 * How fast an assignment's past jobs trained, per compute backend, measured from their reports: FLOPs
 * per second of training (images per second × the model's FLOPs per image), the median of the
 * recent jobs. The worker reads it from Postgres and sends it to the training child, which turns it
 * into a first "time left" for a model of any size before its own batches have been timed.
 */
export const trainingThroughputSchema = z.record(
  z.string(),
  z.object({ trainFlopsPerSecond: z.number().positive(), jobs: z.number().int().min(1) }),
);
export type TrainingThroughput = z.infer<typeof trainingThroughputSchema>;
