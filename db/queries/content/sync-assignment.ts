import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments } from "@/db/schema";
import { assignmentsRoot, loadAssignment } from "@/grader/assignment/load-assignment";
import type { AssignmentConfig } from "@/grader/assignment/schema";

/**
 * The folders of the content root that hold an `assignment.yaml`, by name: each one is an
 * assignment, so a new assignment is a new folder, with no code to change.
 */
export async function assignmentSlugsOnDisk(root = assignmentsRoot()): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  const slugs: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^[a-z0-9-]+$/.test(entry.name)) continue;
    const exists = await fs
      .stat(path.join(root, entry.name, "assignment.yaml"))
      .then(() => true, (err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? false : Promise.reject(err)));
    if (exists) slugs.push(entry.name);
  }
  return slugs.sort();
}

/** Every assignment on disk, validated, with its number checked unique (the URL and the unique index both need it). */
async function loadAllAssignments(root: string): Promise<Omit<AssignmentConfig, "dir">[]> {
  const configs: Omit<AssignmentConfig, "dir">[] = [];
  for (const slug of await assignmentSlugsOnDisk(root)) {
    const { dir: _dir, ...config } = await loadAssignment(slug, root);
    const clash = configs.find((c) => c.number === config.number);
    if (clash) {
      throw new Error(`assignments/${slug}/assignment.yaml: number ${config.number} is already Assignment ${clash.number} in assignments/${clash.slug}/`);
    }
    configs.push(config);
  }
  return configs;
}

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
  const configs = await loadAllAssignments(root);
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
