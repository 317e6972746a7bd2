import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { assignmentSchema, type AssignmentConfig } from "./schema";

/** Folder holding `assignments/<slug>/`; resolved from the working directory (the repo root for every script). */
export function assignmentsRoot(): string {
  return path.resolve(process.cwd(), "assignments");
}

/**
 * Reads and validates `assignments/<slug>/assignment.yaml`. A broken file is an instructor error and surfaces as a
 * plain Error naming every bad field (it is never shown to students).
 */
export async function loadAssignment(slug = "lesson-6", root = assignmentsRoot()): Promise<AssignmentConfig> {
  if (!/^[a-z0-9-]+$/.test(slug)) throw new Error(`Invalid assignment slug "${slug}"`);
  const dir = path.join(root, slug);
  const file = path.join(dir, "assignment.yaml");
  const text = await readFile(file, "utf8");
  const parsed = assignmentSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`${file} is invalid:\n${lines.join("\n")}`);
  }
  if (parsed.data.slug !== slug) throw new Error(`${file}: slug "${parsed.data.slug}" does not match its folder "${slug}"`);
  return { ...parsed.data, dir };
}
