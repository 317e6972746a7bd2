import { specForClasses } from "../spec/spec-for-classes";
import type { AssignmentConfig } from "./schema";
import { loadReferenceSpecs } from "./reference-specs";

/**
 * The spec of a `kind: improvement` assignment's baseline (its `score.baseline` reference spec) for the run config
 * of one student dataset (ownDatasetConfig): read from the assignment's folder, its last Dense layer sized to the
 * dataset's classes, and named as the platform's.
 * @throws Error when the assignment's score is not `kind: improvement`, or the file cannot be sized (instructor content)
 */
export async function baselineSpecFor(config: Pick<AssignmentConfig, "slug" | "dir" | "score" | "classes">, root?: string): Promise<Record<string, unknown>> {
  if (config.score.kind !== "improvement") throw new Error(`assignment ${config.slug} has no baseline: its score is kind: ${config.score.kind}`);
  const file = config.score.baseline;
  const [ref] = await loadReferenceSpecs({ slug: config.slug, dir: config.dir, referenceSpecs: [file] }, root);
  const sized = specForClasses(ref!.spec, config.classes.length);
  if (!sized) throw new Error(`${file}: a baseline must be a cnn or transfer spec whose layers end in a Dense layer`);
  return { ...sized, name: `Platform baseline: ${typeof sized.name === "string" ? sized.name : file}` };
}
