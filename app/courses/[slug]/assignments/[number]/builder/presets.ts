import { isBuilderKind, type BuilderKind } from "@/grader/contracts/submission-status";

/**
 * The specs the builder can start from: the assignment's reference specs (the lesson's simple CNN, its transfer
 * recipe), the student's last submission, or an empty CNN. Built on the server, sent to the form as plain JSON.
 */

/** One starting point offered above the builder. */
export interface BuilderPreset {
  id: string;
  /** What the button says. */
  label: string;
  kind: BuilderKind;
  /** The spec to open, or null for the builder's own empty start of that kind. */
  spec: Record<string, unknown> | null;
}

export const EMPTY_CNN_PRESET: BuilderPreset = { id: "empty", label: "An empty CNN", kind: "cnn", spec: null };

const kindOf = (spec: Record<string, unknown>): BuilderKind | null => (isBuilderKind(spec.kind) ? spec.kind : null);

/**
 * The presets in the order shown: reference specs first (the first CNN among them is where a new student starts),
 * then the student's last submission, then the empty CNN.
 */
export function builderPresets(opts: {
  reference: { file: string; spec: Record<string, unknown> }[];
  previous: { spec: Record<string, unknown>; createdAt: Date } | null;
}): BuilderPreset[] {
  const presets: BuilderPreset[] = [];
  for (const r of opts.reference) {
    const kind = kindOf(r.spec);
    if (!kind) continue;
    const name = typeof r.spec.name === "string" ? r.spec.name : r.file;
    presets.push({ id: `reference:${r.file}`, label: name, kind, spec: r.spec });
  }
  const prev = opts.previous && kindOf(opts.previous.spec);
  if (opts.previous && prev) {
    const name = typeof opts.previous.spec.name === "string" ? ` (${opts.previous.spec.name})` : "";
    presets.push({ id: "previous", label: `Your last submission${name}`, kind: prev, spec: opts.previous.spec });
  }
  presets.push(EMPTY_CNN_PRESET);
  return presets;
}
