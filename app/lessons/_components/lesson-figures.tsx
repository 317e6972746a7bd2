import { CnnLayersChart } from "@/app/_components/charts/cnn-layers-chart";
import { ConfusionMatrixHeatmap } from "@/app/_components/charts/confusion-matrix-heatmap";
import { RocChart } from "@/app/_components/charts/roc-chart";
import { cnnFigureData, confusionFigureData, fixed2, rocFigureData } from "./figure-data";

/*
 * The lesson's figures: its numbers (computed by the grader's own analysis and metrics, see
 * figure-data.ts) drawn by the same charts the report uses, so a student reads the lesson's
 * confusion matrix and ROC curve exactly as their report will show theirs.
 */

/** The layer diagram of a cnn spec. */
export function CnnLayersFigure({ spec, caption }: { spec: Record<string, unknown>; caption: string }) {
  return <CnnLayersChart data={cnnFigureData(spec)} caption={caption} data-figure="cnn-layers" />;
}

/**
 * A worked confusion matrix: the report's heatmap with recall at the end of each row and precision
 * under each column, and the arithmetic written out for the class the model finds hardest (lowest F1).
 */
export function ConfusionMatrixFigure({ classes, matrix, caption }: { classes: string[]; matrix: number[][]; caption: string }) {
  const d = confusionFigureData(classes, matrix);
  const k = classes.length;
  const hardest = d.f1.indexOf(Math.min(...d.f1));
  const name = classes[hardest]!;
  const tp = matrix[hardest]![hardest]!;
  const column = matrix.map((row) => row[hardest]!);
  const row = matrix[hardest]!;
  return (
    <div className="my-6 flex flex-wrap items-start gap-6" data-figure="confusion-matrix">
      <ConfusionMatrixHeatmap
        classes={classes}
        matrix={matrix}
        recall={d.recall}
        precision={d.precision}
        title={`Confusion matrix of ${k} classes, accuracy ${fixed2(d.accuracy)}`}
        caption={caption}
      />
      <dl className="min-w-0 flex-1 basis-64 space-y-2 text-sm [overflow-wrap:anywhere]" aria-label={`Worked example: the class “${name}”`}>
        <div>
          <dt className="font-semibold">Precision of “{name}” (down its column)</dt>
          <dd className="font-mono">
            {tp} / ({column.join(" + ")}) = {tp} / {d.columnTotals[hardest]} = {fixed2(d.precision[hardest]!)}
          </dd>
        </div>
        <div>
          <dt className="font-semibold">Recall of “{name}” (along its row)</dt>
          <dd className="font-mono">
            {tp} / ({row.join(" + ")}) = {tp} / {d.rowTotals[hardest]} = {fixed2(d.recall[hardest]!)}
          </dd>
        </div>
        <div>
          <dt className="font-semibold">F1 of “{name}”</dt>
          <dd className="font-mono">
            2 · {fixed2(d.precision[hardest]!)} · {fixed2(d.recall[hardest]!)} / ({fixed2(d.precision[hardest]!)} + {fixed2(d.recall[hardest]!)}) = {fixed2(d.f1[hardest]!)}
          </dd>
        </div>
        <div>
          <dt className="font-semibold">Accuracy (the diagonal)</dt>
          <dd className="font-mono">
            {d.correct} / {d.total} = {fixed2(d.accuracy)}
          </dd>
        </div>
        <div>
          <dt className="font-semibold">Macro-averaged F1</dt>
          <dd className="font-mono">
            ({d.f1.map(fixed2).join(" + ")}) / {k} = {fixed2(d.f1.reduce((a, b) => a + b, 0) / k)}
          </dd>
        </div>
      </dl>
    </div>
  );
}

/** An ROC curve traced from scored examples, with the chance diagonal, and the AUC read as a share of pairs. */
export function RocCurveFigure({ scores, labels, caption }: { scores: number[]; labels: (0 | 1)[]; caption: string }) {
  const d = rocFigureData(scores, labels);
  return (
    <RocChart
      data-figure="roc-curve"
      className="my-6"
      curves={[{ className: "positive", auc: d.auc, points: d.points }]}
      macroAuc={d.auc}
      title={`ROC curve with AUC ${fixed2(d.auc)}`}
      caption={`${caption} ${d.positives} positives × ${d.negatives} negatives = ${d.positives * d.negatives} pairs; the AUC of ${fixed2(d.auc)} is the share of those pairs in which the positive scored higher.`}
    />
  );
}
