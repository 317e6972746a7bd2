import { GraderUserError } from "../errors";
import { MAX_JSON_DEPTH, MAX_JSON_NODES, MAX_SPEC_CHARS } from "./topology-limits";

/**
 * Caps on a submitted spec or topology that are checked before anything parses it: its length and how deeply its
 * brackets nest. A linear scan of the text (or an iterative walk of an already-parsed value) with no recursion, so it
 * cannot itself be made slow or overflow the stack. It runs where the value arrives (the web request, the browser
 * builder) and keeps what crosses to the analysis worker — and back — small and shallow enough to copy safely.
 * Pure: no node APIs (the builder imports it).
 * @see ./topology-limits.ts for the numbers, ./isolated-analysis.ts for where the parsing then happens
 */

/** The spec or topology is larger or deeper than anything the grader reads; the message says by how much. */
export class SpecInputTooLargeError extends GraderUserError {
  constructor(message: string) {
    super("spec_too_large", message);
  }
}

const count = (n: number): string => Math.round(n).toLocaleString("en-US");

/**
 * Deepest nesting of `[`/`{` in a JSON or YAML flow text, outside double-quoted strings. Stops counting as soon as
 * `stopAbove` is passed. Brackets inside YAML single-quoted or plain scalars are counted too: that can only
 * over-estimate, and no real spec comes near the limit.
 */
export function bracketDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x5b /* [ */ || ch === 0x7b /* { */) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (ch === 0x5d /* ] */ || ch === 0x7d /* } */) depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/**
 * Refuses a spec text (JSON/YAML, or a Keras `to_json()`) longer than MAX_SPEC_CHARS or nesting deeper than
 * MAX_JSON_DEPTH, before any parser sees it.
 * @param what names the text in the message ("The spec", "The Keras topology", "The training block")
 * @throws SpecInputTooLargeError
 */
export function checkTextBounds(text: string, what = "The spec", maxChars = MAX_SPEC_CHARS): void {
  if (text.length > maxChars) {
    throw new SpecInputTooLargeError(`${what} is ${count(text.length)} characters long; the limit is ${count(maxChars)}.`);
  }
  const depth = bracketDepth(text, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) {
    throw new SpecInputTooLargeError(
      `${what} nests brackets more than ${MAX_JSON_DEPTH} levels deep; real models nest a few dozen at most.`,
    );
  }
}

/**
 * The same caps for a spec that arrives already parsed (the Keras form sends `{kind, model: <text>, training}`):
 * an iterative walk that bounds depth and node count, and checks every string in it that looks like JSON as text.
 * A value is visited once per reference, so shared subtrees count every time they are reached.
 * @throws SpecInputTooLargeError
 */
export function checkValueBounds(value: unknown, what = "The spec"): void {
  if (typeof value === "string") return checkTextBounds(value, what);
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let nodes = 0;
  let chars = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === "string") {
      chars += v.length;
      if (chars > 2 * MAX_SPEC_CHARS) {
        throw new SpecInputTooLargeError(`${what} holds more than ${count(2 * MAX_SPEC_CHARS)} characters of text.`);
      }
      const first = v.trimStart()[0];
      if (first === "{" || first === "[") checkTextBounds(v, what);
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new SpecInputTooLargeError(`${what} nests more than ${MAX_JSON_DEPTH} levels deep; real models nest a few dozen at most.`);
    }
    const children = Array.isArray(v) ? v : Object.values(v);
    nodes += children.length;
    if (nodes > MAX_JSON_NODES) {
      throw new SpecInputTooLargeError(`${what} has more than ${count(MAX_JSON_NODES)} values in it; the grader reads no more.`);
    }
    for (const c of children) stack.push({ v: c, depth: depth + 1 });
  }
}
