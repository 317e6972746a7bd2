/** A summary no longer than this many characters, so a table cell stays a line or two. */
export const SUMMARY_MAX_CHARS = 140;

/** Emphasis, links, images and block marks dropped from Markdown that holds no code span. */
function stripMarks(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/\*(\S(?:.*?\S)?)\*/g, "$1")
    // An underscore inside a word (snake_case) is not emphasis in CommonMark.
    .replace(/(^|[^\w])_(\S(?:.*?\S)?)_(?![\w])/g, "$1$2")
    .replace(/^\s*(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "");
}

/**
 * The first paragraph of a Markdown text as plain words, cut at a word boundary with "…" when longer
 * than `max`: what a table row can show of a quiz prompt (the whole prompt, tables and all, stays
 * one click away). Code spans keep their text as written; emphasis, links and images lose their marks.
 */
export function markdownSummary(markdown: string, max = SUMMARY_MAX_CHARS): string {
  const firstParagraph = markdown.trim().split(/\n\s*\n/)[0] ?? "";
  // Odd pieces are code spans: their text is kept as it is, the rest loses its marks.
  const plain = firstParagraph
    .split(/`([^`]*)`/)
    .map((piece, i) => (i % 2 === 1 ? piece : stripMarks(piece)))
    .join("")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.]+$/, "")}…`;
}
