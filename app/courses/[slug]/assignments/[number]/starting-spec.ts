import { stringify } from "yaml";
import type { Submission } from "@/db/queries/submissions/create-submission";
import { cutSpecSchema, type CutSpec } from "@/grader/queue/rejected-spec";

/**
 * What "submit again from this one" puts in the form: the builder's starting spec for a CNN or
 * transfer recipe, or the text to edit for a Keras spec or a spec that was rejected as written.
 * `cut` says that only the beginning of a long rejected spec was kept, so the page can say so.
 */
export function startingSpec(submission: Pick<Submission, "spec" | "kind"> | null): {
  start: Record<string, unknown> | null;
  text: string | null;
  cut: CutSpec["cut"] | null;
} {
  const spec = submission?.spec;
  if (!spec || typeof spec !== "object") return { start: null, text: null, cut: null };
  const cutSpec = cutSpecSchema.safeParse(spec);
  if (cutSpec.success) return { start: null, text: cutSpec.data.source, cut: cutSpec.data.cut };
  const obj = spec as Record<string, unknown>;
  // A rejected spec that could not be parsed is stored as the text the student sent.
  if (typeof obj.source === "string" && !("kind" in obj)) return { start: null, text: obj.source, cut: null };
  return { start: obj, text: stringify(obj), cut: null };
}
