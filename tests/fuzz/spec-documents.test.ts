import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { GraderUserError, SpecValidationError } from "@/grader/errors";
import { analyzeSpec, checkBudget } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";
import { attempt, CASE_TIME_LIMIT_MS, fuzzParameters } from "./fuzz-settings";
import { corrupt, junkArb } from "./topology-arbitraries";

/**
 * Whole spec documents, random and mutated from the lesson's reference specs and the Keras fixtures, as objects and
 * as JSON, YAML or truncated text. parseSpec throws nothing but SpecValidationError (each issue located and
 * worded), and a spec that parses analyses and budgets with nothing but typed user errors — each case in time.
 * (This replaces the seeded 3,000-case loop that lived in tests/grader/spec.test.ts.)
 */

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, "..", "grader", "fixtures", name), "utf8");
const training = { epochs: 3 };

const assignment: Pick<AssignmentConfig, "inputShape" | "classes" | "budget"> = {
  inputShape: [32, 32, 3],
  classes: ["a", "b", "c", "d", "e"],
  budget: { maxParams: 500_000, maxFlopsPerImage: 60_000_000, maxEpochs: 20, maxInputSize: 64, wallClockSeconds: 300, maxBatchSize: 256 },
};

const seeds: unknown[] = [
  JSON.parse(JSON.stringify(parseSpec(readFileSync("assignments/lesson-6/specs/simple-cnn.yaml", "utf8")))),
  JSON.parse(JSON.stringify(parseSpec(readFileSync("assignments/lesson-6/specs/transfer.yaml", "utf8")))),
  { kind: "keras", model: JSON.parse(fixture("keras2-sequential.json")), training },
  { kind: "keras", model: JSON.parse(fixture("keras2-functional.json")), training },
  { kind: "keras", model: JSON.parse(fixture("keras3-config.json")), training },
];

/** Values only an object can carry (JSON text cannot), which careless numeric code trips on. */
const objectOnlyJunk = fc.constantFrom(undefined, NaN, Infinity, -Infinity, -0, 2 ** 53);

const specKeys = ["kind", "layers", "training", "type", "filters", "units", "model", "config", "class_name", "head", "base", "epochs", "inbound_nodes", "__proto__", "x"];

/** A document built from spec-like keys and junk values. */
const randomDocArb = fc.object({
  key: fc.constantFrom(...specKeys),
  values: [junkArb, objectOnlyJunk, fc.constantFrom("cnn", "keras", "transfer", "conv2d", "dense", "Sequential", "Functional")],
  maxDepth: 4,
  maxKeys: 6,
});

/** A reference spec with up to six slots replaced by junk. */
const mutatedDocArb = fc
  .record({
    seed: fc.constantFrom(...seeds),
    picks: fc.array(fc.record({ path: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), junk: fc.oneof(junkArb, objectOnlyJunk) }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ seed, picks }) => corrupt(seed, picks));

type Form = "object" | "json" | "yaml" | "truncated-json" | "truncated-yaml";

/** YAML text of a document; flow style (JSON after a comment, so it is read as YAML) where yaml's own writer recurses too deep. */
function yamlText(doc: unknown): string {
  try {
    return toYaml(doc ?? null);
  } catch {
    return `# flow style\n${JSON.stringify(doc) ?? "null"}`;
  }
}

function render(doc: unknown, form: Form, cut: number): unknown {
  if (form === "object") return doc;
  const text = form.endsWith("json") ? (JSON.stringify(doc) ?? "null") : yamlText(doc);
  return form.startsWith("truncated") ? text.slice(0, Math.floor(cut * text.length)) : text;
}

describe("parseSpec on random and mutated spec documents", () => {
  it("throws nothing but located SpecValidationErrors, and analysis nothing but typed user errors, each case within 2 s", () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 1, arbitrary: randomDocArb }, { weight: 3, arbitrary: mutatedDocArb }),
        fc.constantFrom<Form>("object", "json", "yaml", "truncated-json", "truncated-yaml"),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (doc, form, cut) => {
          const input = render(doc, form, cut);
          const parsed = attempt(() => parseSpec(input));
          expect(parsed.ms).toBeLessThan(CASE_TIME_LIMIT_MS);
          if (!parsed.ok) {
            expect(parsed.error).toBeInstanceOf(SpecValidationError);
            for (const issue of (parsed.error as SpecValidationError).issues) {
              expect(typeof issue.path).toBe("string");
              expect(issue.message.length).toBeGreaterThan(0);
            }
            return;
          }
          const spec = parsed.value;
          const analysed = attempt(() => checkBudget(analyzeSpec(spec, assignment), spec, assignment));
          expect(analysed.ms).toBeLessThan(CASE_TIME_LIMIT_MS);
          if (!analysed.ok) expect(analysed.error).toBeInstanceOf(GraderUserError);
        },
      ),
      fuzzParameters(),
    );
  });
});
