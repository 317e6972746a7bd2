import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments } from "@/db/schema";
import { assignmentsRoot, loadAllAssignments } from "@/grader/assignment/load-assignment";

/**
 * Registers each assignment of `assignments/<slug>/assignment.yaml` for a course: the parsed,
 * validated config is stored as JSON, so the web reads the same values the grader enforces. Every
 * file is validated before anything is written, so one broken file registers none.
 * Idempotent: an unchanged file (same content hash) is not written again.
 *
 * `assignments.config` is the file's alone: an instructor's uploaded datasets and held-out split
 * live in their own rows (`datasets`, `heldout_splits`), which this never touches, and are merged
 * over it when the config is read (db/queries/assignments/effective-assignment-config.ts). So
 * editing the YAML and restarting keeps them.
 */
export async function syncAssignmentContent(db: Db, courseId: string, root = assignmentsRoot()): Promise<void> {
  const configs = (await loadAllAssignments(root)).map(({ dir: _dir, ...config }) => config);
  for (const config of configs) {
    const contentHash = crypto.createHash("sha256").update(JSON.stringify(config)).digest("hex");
    const [existing] = await db
      .select({ id: assignments.id, contentHash: assignments.contentHash })
      .from(assignments)
      .where(and(eq(assignments.courseId, courseId), eq(assignments.number, config.number)));
    const values = {
      slug: config.slug,
      title: config.title,
      config,
      dueAt: new Date(config.dueAt),
      contentHash,
      updatedAt: new Date(),
    };
    if (!existing) {
      await db.insert(assignments).values({ courseId, number: config.number, ...values });
    } else if (existing.contentHash !== contentHash) {
      await db.update(assignments).set(values).where(eq(assignments.id, existing.id));
    }
  }
}
