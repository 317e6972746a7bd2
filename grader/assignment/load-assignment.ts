import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { assignmentFileProblems, assignmentSchema, type AssignmentConfig } from "./schema";

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
  const problems = assignmentFileProblems(parsed.data);
  if (problems.length) throw new Error(`${file} is invalid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  if (parsed.data.slug !== slug) throw new Error(`${file}: slug "${parsed.data.slug}" does not match its folder "${slug}"`);
  const tooLarge = (parsed.data.ownDatasets?.inputSizes ?? []).filter((s) => s > parsed.data.budget.maxInputSize);
  if (tooLarge.length) {
    throw new Error(`${file} is invalid:\n  ownDatasets.inputSizes: ${tooLarge.join(", ")} px is larger than budget.maxInputSize (${parsed.data.budget.maxInputSize} px)`);
  }
  return { ...parsed.data, dir };
}

/**
 * The folders of the content root that hold an `assignment.yaml`, by name: each one is an
 * assignment, so a new assignment is a new folder, with no code to change.
 */
export async function assignmentSlugsOnDisk(root = assignmentsRoot()): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const slugs: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^[a-z0-9-]+$/.test(entry.name)) continue;
    const exists = await stat(path.join(root, entry.name, "assignment.yaml"))
      .then(() => true, (err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? false : Promise.reject(err)));
    if (exists) slugs.push(entry.name);
  }
  return slugs.sort();
}

/**
 * Every assignment on disk, validated, with its number checked unique within the content root (the
 * URL `/courses/<slug>/assignments/<number>` and the database's unique index both need it).
 * @throws Error naming the file at fault: a broken file, or a number two folders claim.
 */
export async function loadAllAssignments(root = assignmentsRoot()): Promise<AssignmentConfig[]> {
  const configs: AssignmentConfig[] = [];
  for (const slug of await assignmentSlugsOnDisk(root)) {
    const config = await loadAssignment(slug, root);
    const clash = configs.find((c) => c.number === config.number);
    if (clash) {
      throw new Error(`assignments/${slug}/assignment.yaml: number ${config.number} is already Assignment ${clash.number} in assignments/${clash.slug}/`);
    }
    configs.push(config);
  }
  return configs;
}
