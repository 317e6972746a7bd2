import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import rehypeSlug from "rehype-slug";
import rehypeHighlight from "rehype-highlight";
import { MARKDOWN_SCROLLERS } from "./markdown-scrollers";

/**
 * Lesson and quiz Markdown: GitHub-flavoured (tables), headings with slug ids for anchors, fenced
 * code highlighted by highlight.js. Raw HTML in the source is not rendered (react-markdown's
 * default), so content cannot inject markup.
 */
export function LessonMarkdown({ markdown, className = "lesson-prose" }: { markdown: string; className?: string }) {
  return (
    <div className={className}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSlug, [rehypeHighlight, { detect: false }]]} components={MARKDOWN_SCROLLERS}>
        {markdown}
      </ReactMarkdown>
    </div>
  );
}
