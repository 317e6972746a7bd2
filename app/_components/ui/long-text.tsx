import { cn } from "./cn";

/** The first `limit` characters of `text`, cut at a word boundary when one is near. */
export function preview(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(" ");
  return `${(space > limit * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A message that may run long (a refusal's reasons, a comment) shown as its first line or two with
 * a "more" disclosure, so it cannot push the columns beside it off a phone's screen. Short text
 * is shown as it is. A native <details>: works before hydration and without JavaScript.
 */
export function LongText({ text, limit = 90, className }: { text: string; limit?: number; className?: string }) {
  const short = preview(text, limit);
  const base = cn("[overflow-wrap:anywhere]", className);
  if (short === text) return <span className={base}>{text}</span>;
  return (
    <details className={cn("group", base)} data-testid="long-text">
      <summary className="cursor-pointer list-none [&::-webkit-details-marker]:hidden">
        <span className="group-open:hidden">{short} </span>
        <span className="whitespace-nowrap font-medium text-brand-700 underline group-open:hidden">more</span>
        <span className="hidden font-medium text-brand-700 underline group-open:inline">less</span>
      </summary>
      <span className="block whitespace-pre-wrap">{text}</span>
    </details>
  );
}
