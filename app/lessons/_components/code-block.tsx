import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import json from "highlight.js/lib/languages/json";
import { renderOnce } from "./render-once";

// Registering the two languages we show keeps the server bundle small (no 190-language build).
hljs.registerLanguage("python", python);
hljs.registerLanguage("json", json);

/**
 * A syntax-highlighted code listing. highlight.js escapes the source before wrapping tokens in
 * spans, so its output is safe to insert as HTML.
 */
export function CodeBlock({ code, language, label }: { code: string; language: "python" | "json"; label: string }) {
  // Highlighted once per process and listing (see render-once.ts).
  const html = renderOnce(`hljs-${language}`, code, () => hljs.highlight(code.trimEnd(), { language }).value);
  return (
    <div className="flex min-w-0 flex-col overflow-hidden rounded-lg ring-1 ring-slate-200">
      <div className="bg-slate-100 px-3 py-1.5 text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</div>
      {/* Focusable: it scrolls sideways on a narrow screen, and a keyboard user must be able to scroll it. */}
      <pre tabIndex={0} className="hljs m-0 flex-1 overflow-x-auto p-3 text-[12px] leading-relaxed">
        <code className={`language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
      </pre>
    </div>
  );
}
