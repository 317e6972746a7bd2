/**
 * Joins class names, skipping the falsy ones: `cn("p-2", done && "line-through")`. The UI
 * components put their own classes first, so a caller's `className` adds to them; Tailwind v4
 * emits utilities in a fixed order, so pass a conflicting utility only where the component has none.
 */
export function cn(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
