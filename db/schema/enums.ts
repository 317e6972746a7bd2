import { pgEnum } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["student", "instructor"]);

/** @see ../../../shared/ARCHITECTURE.md "Data flows one way" */
export const submissionStatusEnum = pgEnum("submission_status", [
  "queued",
  "running",
  "succeeded",
  "failed",
  "rejected",
]);

/** cnn / transfer: a spec trained by the grader; keras: an imported topology; model: evaluate only. */
export const submissionKindEnum = pgEnum("submission_kind", ["cnn", "transfer", "keras", "model"]);

export const datasetRoleEnum = pgEnum("dataset_role", ["train", "heldout"]);
