import { stringify } from "yaml";
import type { Submission } from "@/db/queries/submissions/create-submission";

/**
 * What "submit again from this one" puts in the form: the builder's starting spec for a CNN or
 * transfer recipe, or the text to edit for a Keras spec or a spec that was rejected as written.
 */
export function startingSpec(submission: Pick<Submission, "spec" | "kind"> | null): { start: Record<string, unknown> | null; text: string | null } {
  const spec = submission?.spec;
  if (!spec || typeof spec !== "object") return { start: null, text: null };
  const obj = spec as Record<string, unknown>;
  // A rejected spec that could not be parsed is stored as the text the student sent.
  if (typeof obj.source === "string" && !("kind" in obj)) return { start: null, text: obj.source };
  return { start: obj, text: stringify(obj) };
}
