import type { ReactElement } from "react";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import rehypeSlug from "rehype-slug";
import rehypeHighlight from "rehype-highlight";
import { renderOnce } from "./render-once";
import { MARKDOWN_SCROLLERS } from "./markdown-scrollers";

/**
 * The Markdown of one text as React elements, computed once per process and text: parsing and
 * highlighting a lesson took 0.3–1 s of every request (issue 14 §10), and the result depends on the
 * text alone. `Markdown` is react-markdown's synchronous, hook-free renderer, so calling it outside
 * a render is what rendering `<Markdown>` does; the elements it returns are immutable.
 */
function markdownElements(markdown: string): ReactElement {
  return renderOnce("markdown", markdown, () =>
    Markdown({ children: markdown, remarkPlugins: [remarkGfm], rehypePlugins: [rehypeSlug, [rehypeHighlight, { detect: false }]], components: MARKDOWN_SCROLLERS }) as ReactElement,
  );
}

/**
 * Lesson and quiz Markdown: GitHub-flavoured (tables), headings with slug ids for anchors, fenced
 * code highlighted by highlight.js. Raw HTML in the source is not rendered (react-markdown's
 * default), so content cannot inject markup.
 */
export function LessonMarkdown({ markdown, className = "lesson-prose" }: { markdown: string; className?: string }) {
  return <div className={className}>{markdownElements(markdown)}</div>;
}
