import type { z } from "zod";

/**
 * zod's own messages ("Invalid enum value. Expected 'valid' | 'same', received 'causal'") are written for programmers.
 * These are the sentences a student reads instead, for every spec, layer and Keras field. Pure: no tf, no node APIs.
 */

/** `["a", "b", "c"]` → `"a", "b" or "c"`. */
export function oneOf(options: readonly unknown[]): string {
  const quoted = options.map((o) => JSON.stringify(o));
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** A short description of a value for "got ..." (long strings and objects are not echoed whole). */
export function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length <= 4 ? JSON.stringify(value) : `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  const s = JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 37)}…"` : s;
}

const TYPE_WORDS: Record<string, string> = {
  number: "a number", integer: "a whole number", string: "text", boolean: "true or false", object: "an object",
  array: "a list", null: "nothing", undefined: "nothing", float: "a fraction", nan: "not a number",
};

/** The value at `path` inside `root`, for messages that say what was given. */
function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/**
 * One zod issue as a sentence. `root` is the value that was parsed (to say what was given); `label` names the
 * field in words ("units", "`units`"), defaulting to nothing.
 */
export function describeZodIssue(issue: z.ZodIssue, root: unknown): string {
  const got = valueAt(root, issue.path);
  switch (issue.code) {
    case "invalid_enum_value":
      return `must be ${oneOf(issue.options)}; got ${shown(issue.received)}`;
    case "invalid_union_discriminator":
      return `must be ${oneOf(issue.options)}; got ${shown(got)}`;
    case "invalid_literal":
      return `must be ${shown(issue.expected)}; got ${shown(got)}`;
    case "invalid_type":
      if (issue.received === "undefined") return "is missing";
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}; got ${shown(got)}`;
    case "too_small":
      if (issue.type === "array") {
        const key = issue.path.at(-1);
        const what = key === "layers" || key === "head" ? "layer" : "entry";
        if (issue.minimum === 1) return `needs at least one ${what}: add ${what === "layer" ? "one" : "it"}`;
        return `needs at least ${String(issue.minimum)} ${what === "layer" ? "layers" : "entries"}`;
      }
      if (issue.type === "string") return issue.minimum === 1 ? "must not be empty" : `must be at least ${String(issue.minimum)} characters long`;
      return `must be ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}; got ${shown(got)}`;
    case "too_big":
      if (issue.type === "array") return `may have at most ${String(issue.maximum)} entries`;
      if (issue.type === "string") return `may be at most ${String(issue.maximum)} characters long`;
      return `must be ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}; got ${shown(got)}`;
    case "not_finite":
      return `must be a finite number; got ${shown(got)}`;
    case "invalid_union": {
      // A union of a number and a pair (kernel sizes, strides), or of a few literals: say the shapes it accepts.
      const first = issue.unionErrors[0]?.issues[0];
      if (got === undefined) return "is missing";
      if (first && first.code === "invalid_type" && (first.expected === "number" || first.expected === "integer")) {
        return `must be a positive whole number or a pair of them like [3, 3]; got ${shown(got)}`;
      }
      if (first && (first.code === "too_small" || first.code === "too_big")) {
        return `must be a whole number or a pair of them, each ${first.code === "too_small" ? `at least ${String(first.minimum)}` : `at most ${String(first.maximum)}`}; got ${shown(got)}`;
      }
      return first ? describeZodIssue(first, root) : `is not valid; got ${shown(got)}`;
    }
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_string":
      return issue.message === "Invalid" ? `is not valid; got ${shown(got)}` : issue.message;
    default:
      return issue.message;
  }
}
