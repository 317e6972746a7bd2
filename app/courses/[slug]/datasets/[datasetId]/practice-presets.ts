import type { BuilderPreset } from "@/app/courses/[slug]/assignments/[number]/builder/presets";
import { builderPresets } from "@/app/courses/[slug]/assignments/[number]/builder/presets";
import type { BaseSummary } from "@/grader/registry/base-summary";
import { specForClasses } from "@/grader/spec/spec-for-classes";

/**
 * What a practice run can start from: the assignment's reference specs (the lesson's simple CNN, its transfer
 * recipe) with one output per class of the dataset, the transfer recipe again on every other registered base that
 * takes the dataset's image size (e.g. `fashion-base` for photos), the student's last practice run on this dataset,
 * and an empty CNN.
 */
export function practicePresets(opts: {
  reference: { file: string; spec: Record<string, unknown> }[];
  previous: { spec: Record<string, unknown>; createdAt: Date } | null;
  classes: number;
  inputShape: [number, number, number];
  bases: BaseSummary[];
}): BuilderPreset[] {
  const fits = (b: BaseSummary) => b.inputShape.join("x") === opts.inputShape.join("x");
  const sized = (spec: Record<string, unknown>) => specForClasses(spec, opts.classes) ?? spec;
  const presets = builderPresets({ reference: opts.reference, previous: null }).map((p) => (p.spec ? { ...p, spec: sized(p.spec) } : p));
  const out: BuilderPreset[] = [];
  for (const p of presets) {
    if (p.kind === "transfer" && p.spec) {
      const named = typeof p.spec.base === "string" ? p.spec.base : null;
      // The recipe on each base that takes these images, its own base first.
      const bases = opts.bases.filter(fits).sort((a, b) => (a.name === named ? -1 : b.name === named ? 1 : a.name.localeCompare(b.name)));
      for (const b of bases) {
        out.push({ id: `${p.id}:${b.name}`, label: `Transfer from ${b.name}`, kind: "transfer", spec: { ...p.spec, base: b.name, name: `Transfer from ${b.name}` } });
      }
      continue;
    }
    if (p.id === "empty") continue;
    out.push(p);
  }
  if (opts.previous && (opts.previous.spec.kind === "cnn" || opts.previous.spec.kind === "transfer")) {
    const name = typeof opts.previous.spec.name === "string" ? ` (${opts.previous.spec.name})` : "";
    out.push({ id: "previous", label: `Your last practice run here${name}`, kind: opts.previous.spec.kind, spec: opts.previous.spec });
  }
  out.push(...presets.filter((p) => p.id === "empty"));
  return out;
}
