import type { ReactElement } from "react";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { renderOnce } from "@/app/lessons/_components/render-once";
import { MARKDOWN_SCROLLERS } from "@/app/lessons/_components/markdown-scrollers";

const inlineComponents = { p: ({ children }: { children?: React.ReactNode }) => <span>{children}</span> };

/**
 * Markdown for quiz prompts and choices (tables for confusion matrices, inline code). Works in
 * server and client components; `inline` renders paragraphs as spans so a choice stays on its line.
 * Each text is rendered once per process (react-markdown's synchronous, hook-free renderer; the
 * statistics page draws every question and choice of the bank).
 */
export function QuizMarkdown({ markdown, inline = false }: { markdown: string; inline?: boolean }) {
  const rendered = renderOnce(inline ? "quiz-inline" : "quiz", markdown, () =>
    Markdown({ children: markdown, remarkPlugins: [remarkGfm], components: inline ? inlineComponents : MARKDOWN_SCROLLERS }) as ReactElement,
  );
  return <span className={inline ? "quiz-inline" : "lesson-prose block"}>{rendered}</span>;
}
