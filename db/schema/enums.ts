import { pgEnum } from "drizzle-orm/pg-core";
import { SUBMISSION_KINDS, SUBMISSION_STATUSES } from "../../grader/contracts/submission-status";

export const roleEnum = pgEnum("role", ["student", "instructor"]);

/** Values and their meaning: grader/contracts/submission-status.ts. */
export const submissionStatusEnum = pgEnum("submission_status", SUBMISSION_STATUSES);

/** cnn / transfer: a spec trained by the grader; keras: an imported topology; model: evaluate only. */
export const submissionKindEnum = pgEnum("submission_kind", SUBMISSION_KINDS);

export const datasetRoleEnum = pgEnum("dataset_role", ["train", "heldout"]);
