import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { assignmentsRoot } from "./load-assignment";
import type { AssignmentConfig } from "./schema";

/** One of an assignment's reference specs (`referenceSpecs` in assignment.yaml), as the builder starts from it. */
export interface ReferenceSpec {
  /** The file, relative to the assignment's folder (`specs/simple-cnn.yaml`). */
  file: string;
  spec: Record<string, unknown>;
}

/**
 * Reads an assignment's reference specs from its folder (`assignments/<slug>/`, unless the config names its own
 * `dir`): instructor content, so a file that is missing or not a mapping is an error for the instructor, thrown.
 */
export async function loadReferenceSpecs(
  config: Pick<AssignmentConfig, "slug" | "referenceSpecs" | "dir">,
  root = assignmentsRoot(),
): Promise<ReferenceSpec[]> {
  const dir = config.dir ?? path.join(root, config.slug);
  return Promise.all(
    config.referenceSpecs.map(async (file) => {
      const full = path.resolve(dir, file);
      if (!full.startsWith(path.resolve(dir) + path.sep)) throw new Error(`reference spec ${file} is outside ${dir}`);
      const value: unknown = parseYaml(await readFile(full, "utf8"));
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${full}: expected a spec (a mapping)`);
      return { file, spec: value as Record<string, unknown> };
    }),
  );
}
