import { z } from "zod";
import { ownDatasetDecodeLimitsSchema, ownDatasetQualitySchema, ownDatasetSplitSchema } from "./own-dataset-contract";

/**
 * The messages between the web process and the child process that inspects one uploaded own dataset
 * (./isolated-inspection.ts, ./own-dataset-inspection-child.ts). The parent sends one task; the child answers
 * `ready` first (so the time limit counts the work, not the start), then exactly one outcome, and exits.
 */

export const inspectionTaskSchema = z.object({
  /** The spooled or stored zip, a file of this machine. */
  zipFile: z.string().min(1),
  /** An empty folder the child writes `<index>.png` thumbnails into. */
  outDir: z.string().min(1),
  shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.union([z.literal(1), z.literal(3)])]),
  seed: z.number().int(),
  limits: ownDatasetDecodeLimitsSchema,
  rules: z.object({ minClasses: z.number().int(), maxClasses: z.number().int(), minImagesPerClass: z.number().int() }).strict(),
}).strict();
export type InspectionTask = z.infer<typeof inspectionTaskSchema>;

export const inspectionAnswerSchema = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("ready") }),
  z.object({
    outcome: z.literal("inspected"),
    split: ownDatasetSplitSchema,
    quality: ownDatasetQualitySchema,
    classes: z.array(z.string()),
    classCounts: z.array(z.number().int().min(0)),
    /** Thumbnails written to outDir. */
    thumbnails: z.number().int().min(0),
  }),
  /** The upload is at fault (a cap, a rule, an unreadable archive): shown to the student as it is. */
  z.object({ outcome: z.literal("refused"), message: z.string(), files: z.array(z.string()) }),
  /** The inspection threw something unexpected (a bug): logged, and answered as a 422 that says so. */
  z.object({ outcome: z.literal("failed"), message: z.string() }),
]);
export type InspectionAnswer = z.infer<typeof inspectionAnswerSchema>;
