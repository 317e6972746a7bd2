import type { ResolvedBlock } from "@/assignments/content/load-lesson";
import { CnnLayersFigure, ConfusionMatrixFigure, RocCurveFigure } from "./lesson-figures";
import { CodeBlock } from "./code-block";
import { LessonMarkdown } from "./lesson-markdown";

/** One block of a lesson section: Markdown, a Keras/spec pair, or a figure. */
export function LessonBlock({ block }: { block: ResolvedBlock }) {
  switch (block.type) {
    case "markdown":
      return <LessonMarkdown markdown={block.markdown} />;
    case "example":
      return (
        <div className="my-6" data-example={block.specFile}>
          <h3 className="mb-3 text-lg font-semibold">{block.title}</h3>
          <div className="grid gap-4 md:grid-cols-2">
            <CodeBlock code={block.keras} language="python" label="Keras (Python)" />
            <CodeBlock code={block.specText} language="json" label="Tensorgrade submission spec" />
          </div>
          {block.notes && <LessonMarkdown markdown={block.notes} className="lesson-prose mt-3 text-sm text-slate-700" />}
        </div>
      );
    case "figure":
      if (block.figure === "cnn-layers") return <CnnLayersFigure spec={block.spec} caption={block.caption} />;
      if (block.figure === "confusion-matrix") {
        return <ConfusionMatrixFigure classes={block.classes} matrix={block.matrix} caption={block.caption} />;
      }
      return <RocCurveFigure scores={block.scores} labels={block.labels} caption={block.caption} />;
  }
}
