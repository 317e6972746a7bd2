import { createHash } from "node:crypto";

/** Renderings kept per process; content files are few, so this stays small (a lesson is ~70 KB of HTML). */
const MAX_ENTRIES = 500;
const cache = new Map<string, unknown>();

/**
 * The result of `render` for this kind and source text, computed once per process: content
 * rendering that depends on the text alone (Markdown, syntax highlighting) is not redone per
 * request. Keyed by a hash of the text, so an edited file renders afresh; the oldest entry goes
 * when the cache is full.
 */
export function renderOnce<T>(kind: string, source: string, render: () => T): T {
  const key = `${kind}:${createHash("sha256").update(source).digest("base64url")}`;
  if (cache.has(key)) return cache.get(key) as T;
  const value = render();
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}
