import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { assignments, datasets, heldoutSplits } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/** The public/private split an instructor sets: the public fraction and the seed of the stored assignment. */
export const heldoutSplitInput = z.object({
  assignmentId: z.string().uuid("No such assignment."),
  publicFraction: z.preprocess(
    (v) => (v === "" || v == null ? undefined : Number(v)),
    z.number({ required_error: "Enter the public fraction, e.g. 0.5.", invalid_type_error: "Enter the public fraction as a number, e.g. 0.5." })
      .gt(0, "The public part must hold some examples (more than 0).")
      .lt(1, "The private part must hold some examples (less than 1)."),
  ),
  splitSeed: z.preprocess(
    (v) => (v === "" || v == null ? undefined : Number(v)),
    z.number({ required_error: "Enter a whole-number seed.", invalid_type_error: "Enter a whole-number seed." }).int("Enter a whole-number seed."),
  ),
});
export type HeldoutSplitInput = z.infer<typeof heldoutSplitInput>;

/**
 * Sets the held-out set's public/private split: the assignment's `heldout_splits` row, which the
 * effective config the grader reads takes over assignment.yaml's values (and, for the datasets list,
 * the active held-out dataset row). `assignments.config` is not written, so the content sync cannot
 * undo it. Jobs graded from now on use it; earlier reports keep the split they were scored with
 * until they are regraded.
 */
export async function setHeldoutSplit(db: Db, input: HeldoutSplitInput): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ id: assignments.id }).from(assignments).where(eq(assignments.id, input.assignmentId));
    if (!row) throw new NotFoundError("No such assignment.");
    const split = { publicFraction: input.publicFraction, splitSeed: input.splitSeed };
    await tx
      .insert(heldoutSplits)
      .values({ assignmentId: input.assignmentId, ...split })
      .onConflictDoUpdate({ target: heldoutSplits.assignmentId, set: { ...split, updatedAt: new Date() } });
    await tx
      .update(datasets)
      .set({ publicFraction: input.publicFraction, splitSeed: input.splitSeed })
      .where(and(eq(datasets.assignmentId, input.assignmentId), eq(datasets.role, "heldout"), eq(datasets.active, true)));
  });
}
