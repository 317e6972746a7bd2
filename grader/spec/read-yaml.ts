import { isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, CST, type Node } from "yaml";
import { jsonShapeIssue } from "./json-shape";
import { MAX_JSON_DEPTH, MAX_YAML_ALIASES } from "./topology-limits";

/**
 * Reads YAML a user wrote, in time linear in its length. The `yaml` package as such is not: its `uniqueKeys` check
 * compares every key of a mapping with every other (a 250 kB mapping of 20,000 keys took 8 s here), and its parser
 * spends ~15 µs per level of nesting before its recursion gives out (a 1 MB line of `[` took 15 s). So nesting is
 * measured on the lexer's tokens first (the lexer is iterative), and duplicate keys are found with a set afterwards.
 * Pure: used by browser code too.
 */

export type YamlResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Nesting the token scan may see before refusing. Each level of a value opens at most two indicators on one line
 * (`? key : value`), so past twice MAX_JSON_DEPTH the value is too deep for the shape check anyway: refusing here
 * refuses nothing that would otherwise pass, only sooner.
 */
const MAX_TOKEN_NESTING = 2 * MAX_JSON_DEPTH + 2;

/**
 * An upper bound on how deep the document nests, from tokens: open flow brackets, plus the block indicators
 * (`-`, `?`, `:`) written on the current line outside brackets. Nesting built by indentation alone is not counted:
 * it costs as many spaces as its depth on each line, so a 1 MB document cannot nest that way beyond ~1,400 levels,
 * which the parser handles in milliseconds.
 */
function tokenNesting(text: string): number {
  let flow = 0;
  let onLine = 0;
  let max = 0;
  let afterScalarMark = false;
  for (const token of new Lexer().lex(text)) {
    // The lexer marks a scalar with a control token and then gives its text, which may itself be "-" or "[".
    if (afterScalarMark) {
      afterScalarMark = false;
      continue;
    }
    switch (CST.tokenType(token)) {
      case "scalar":
        afterScalarMark = token === CST.SCALAR;
        break;
      case "flow-seq-start":
      case "flow-map-start":
        flow++;
        break;
      case "flow-seq-end":
      case "flow-map-end":
        flow = Math.max(0, flow - 1);
        break;
      case "seq-item-ind":
      case "explicit-key-ind":
      case "map-value-ind":
        if (flow === 0) onLine++;
        break;
      case "newline":
        onLine = 0;
        break;
      default:
        break;
    }
    max = Math.max(max, flow + onLine);
    if (max > MAX_TOKEN_NESTING) return max;
  }
  return max;
}

/** A mapping key, as the `yaml` package's own uniqueness check compares it (scalar value, else the node itself). */
function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/** The first key written twice in one mapping, found with one set per mapping instead of comparing all pairs. */
function duplicateKey(root: Node | null): { key: unknown; offset: number } | undefined {
  const stack: unknown[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const k = keyOf(pair.key);
        if (seen.has(k)) return { key: k, offset: isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0 };
        seen.add(k);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
    // Scalars and aliases are leaves: an alias is not followed, so a node shared by many aliases is visited once.
  }
  return undefined;
}

/**
 * Parses one YAML document (JSON is YAML too) into plain values, refusing duplicate keys, more than
 * MAX_YAML_ALIASES-worth of alias expansion, and values deeper or larger than jsonShapeIssue accepts (including
 * ones that contain themselves).
 * @returns the value, or a message saying what is wrong and where (line numbers are 1-based)
 */
export function parseUserYaml(text: string): YamlResult {
  const nesting = tokenNesting(text);
  if (nesting > MAX_TOKEN_NESTING) {
    return { ok: false, message: `lists and mappings are nested more than ${MAX_TOKEN_NESTING} levels deep; flatten them` };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) return { ok: false, message: error.message.split("\n")[0]! };
  const dup = duplicateKey(doc.contents);
  if (dup) {
    const { line } = lines.linePos(dup.offset);
    return { ok: false, message: `the key ${JSON.stringify(String(dup.key))} appears twice in one mapping (line ${line}); keep one` };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message.split("\n")[0]! : String(e) };
  }
  // An alias inside its own anchor (`a: &a [*a]`) builds a value that contains itself: refused here, so no caller
  // (JSON.stringify, a structured clone to a worker, a recursive walk) ever meets it.
  const shape = jsonShapeIssue(value);
  if (shape) return { ok: false, message: shape.path ? `${shape.path}: ${shape.message}` : shape.message };
  return { ok: true, value };
}
