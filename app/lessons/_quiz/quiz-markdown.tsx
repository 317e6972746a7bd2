import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Markdown for quiz prompts and choices (tables for confusion matrices, inline code). Works in
 * server and client components; `inline` renders paragraphs as spans so a choice stays on its line.
 */
export function QuizMarkdown({ markdown, inline = false }: { markdown: string; inline?: boolean }) {
  return (
    <span className={inline ? "quiz-inline" : "lesson-prose block"}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={inline ? { p: ({ children }) => <span>{children}</span> } : undefined}>
        {markdown}
      </ReactMarkdown>
    </span>
  );
}
