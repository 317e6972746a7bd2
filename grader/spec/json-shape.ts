import type { Issue } from "../errors";
import { MAX_JSON_DEPTH, MAX_JSON_NODES } from "./topology-limits";

/** How deep and how large a user value (parsed JSON or YAML) may be before anything recursive touches it. */
export interface JsonShapeLimits {
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_JSON_SHAPE_LIMITS: JsonShapeLimits = { maxDepth: MAX_JSON_DEPTH, maxNodes: MAX_JSON_NODES };

interface Frame {
  value: unknown;
  depth: number;
  key: string;
  parent: Frame | undefined;
}

/** `a.b.3.c`, shortened in the middle when deep so a message stays readable. */
function pathOf(frame: Frame | undefined, prefix: string): string {
  const keys: string[] = [];
  for (let f = frame; f?.parent; f = f.parent) keys.push(f.key);
  keys.reverse();
  const shown = keys.length > 8 ? [...keys.slice(0, 5), "…", ...keys.slice(-2)] : keys;
  return [prefix, ...shown].filter((k) => k !== "").join(".");
}

/**
 * Measures a value without recursion and stops at the first limit passed, so it terminates on anything: a
 * 500,000-deep array, a structure that contains itself (YAML `&a [*a]` builds one), or a small YAML document whose
 * aliases share one node many times (counted every time it is reached, as a tree walk would).
 * @returns undefined when the value is within the limits, else the issue to show, located where the limit was passed
 */
export function jsonShapeIssue(value: unknown, prefix = "", limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS): Issue | undefined {
  const stack: Frame[] = [{ value, depth: 0, key: "", parent: undefined }];
  let nodes = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v !== "object" || v === null) continue;
    if (frame.depth >= limits.maxDepth) {
      return {
        path: pathOf(frame, prefix),
        message: `lists and objects are nested more than ${limits.maxDepth} levels deep here (a structure that contains itself never ends); flatten it`,
      };
    }
    const keys = Array.isArray(v) ? null : Object.keys(v);
    const size = keys ? keys.length : (v as unknown[]).length;
    nodes += size;
    if (nodes > limits.maxNodes) {
      return {
        path: pathOf(frame, prefix),
        message: `has more than ${limits.maxNodes.toLocaleString("en-US")} values in all (YAML aliases count once per use); a model description is far smaller`,
      };
    }
    if (keys) {
      const o = v as Record<string, unknown>;
      for (const k of keys) stack.push({ value: o[k], depth: frame.depth + 1, key: k, parent: frame });
    } else {
      const a = v as unknown[];
      for (let i = 0; i < a.length; i++) stack.push({ value: a[i], depth: frame.depth + 1, key: String(i), parent: frame });
    }
  }
  return undefined;
}
