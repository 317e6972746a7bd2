import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments } from "@/db/schema";
import { loadAssignment } from "@/grader/assignment/load-assignment";

/** The assignment folders this course registers. */
export const COURSE_ASSIGNMENT_SLUGS = ["lesson-6"] as const;

/**
 * Registers each assignment of `assignments/<slug>/assignment.yaml` for a course: the parsed,
 * validated config is stored as JSON, so the web reads the same values the grader enforces.
 * Idempotent: an unchanged file (same content hash) is not written again.
 *
 * `assignments.config` is the file's alone: an instructor's uploaded datasets and held-out split
 * live in their own rows (`datasets`, `heldout_splits`), which this never touches, and are merged
 * over it when the config is read (db/queries/assignments/effective-assignment-config.ts). So
 * editing the YAML and restarting keeps them.
 */
export async function syncAssignmentContent(db: Db, courseId: string): Promise<void> {
  for (const slug of COURSE_ASSIGNMENT_SLUGS) {
    const { dir: _dir, ...config } = await loadAssignment(slug);
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
