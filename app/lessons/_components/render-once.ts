/** Renderings kept per process (or browser tab); content files are few, so this stays small. */
const MAX_ENTRIES = 2_000;
const cache = new Map<string, unknown>();

/**
 * The result of `render` for this kind and source text, computed once per process: content
 * rendering that depends on the text alone (Markdown, syntax highlighting) is not redone per
 * request. Keyed by the text itself, so an edited file renders afresh; the oldest entry goes when
 * the cache is full. No Node imports: client components (the quiz form) render Markdown too.
 */
export function renderOnce<T>(kind: string, source: string, render: () => T): T {
  const key = `${kind}\u0000${source}`;
  if (cache.has(key)) return cache.get(key) as T;
  const value = render();
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}
