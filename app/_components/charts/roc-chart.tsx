import type { RocCurve } from "@/grader/report/schema";
import { Axes, Legend, legendRows } from "./axes";
import { ChartFigure } from "./chart-figure";
import { linearScale, seriesColour } from "./scale";

const PLOT = 300;
const M = { left: 60, top: 12, right: 16, bottom: 48 };
/** False-positive rates at which the data table reads each curve: its shape in four numbers. */
const READ_AT = [0.05, 0.1, 0.25, 0.5] as const;

/** The highest true-positive rate a curve reaches without passing false-positive rate `fpr`. */
export function tprAt(points: RocCurve["points"], fpr: number): number {
  return points.reduce((best, p) => (p.fpr <= fpr + 1e-12 && p.tpr > best ? p.tpr : best), 0);
}

/**
 * One-vs-rest ROC curves, one per class, with each class's AUC in the legend and the chance
 * diagonal; the lesson draws its single worked curve with it too. Behind "Show data": each
 * class's AUC and its true-positive rate at a few false-positive rates.
 */
export function RocChart({
  curves,
  title,
  macroAuc,
  caption,
  ...rest
}: {
  curves: RocCurve[];
  title: string;
  macroAuc: number | null;
  /** The caption under the chart (defaults to the title and the macro AUC). */
  caption?: string;
  className?: string;
} & Record<`data-${string}`, string>) {
  const width = M.left + PLOT + M.right + 160;
  const plot = { left: M.left, top: M.top, right: M.left + PLOT, bottom: M.top + PLOT };
  const x = linearScale(0, 1, plot.left, plot.right);
  const y = linearScale(0, 1, plot.bottom, plot.top);
  const auc = (c: RocCurve) => (c.auc === null ? "n/a" : c.auc.toFixed(3));
  const items = [
    ...curves.map((c, i) => ({ label: `${c.className} (AUC ${auc(c)})`, colour: seriesColour(i) })),
    { label: "chance (AUC 0.5)", colour: "#94a3b8", dashed: true },
  ];
  const legendW = PLOT + 160;
  const height = plot.bottom + M.bottom + legendRows(items.length, legendW) * 16 + 8;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const titleId = `roc-${title.replace(/\W+/g, "-")}`;
  return (
    <ChartFigure
      chart="roc"
      caption={caption ?? `${title}. Macro AUC: ${macroAuc === null ? "not defined" : macroAuc.toFixed(3)}.`}
      data={{
        label: `${title}: AUC and true-positive rate per class`,
        rows: curves,
        rowKey: (c) => c.className,
        columns: [
          { header: "Class", cell: (c) => c.className },
          { header: "AUC", numeric: true, cell: (c) => (c.auc === null ? "undefined (class absent)" : c.auc.toFixed(3)) },
          ...READ_AT.map((f) => ({ header: `TPR at FPR ${f}`, numeric: true, cell: (c: RocCurve) => tprAt(c.points, f).toFixed(2) })),
        ],
      }}
      {...rest}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        <Axes x={x} y={y} xTicks={ticks} yTicks={ticks} xLabel="False positive rate" yLabel="True positive rate" plot={plot} />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#94a3b8" strokeDasharray="5 3" />
        {curves.map((c, i) => (
          <polyline
            key={c.className}
            points={c.points.map((p) => `${x(p.fpr).toFixed(1)},${y(p.tpr).toFixed(1)}`).join(" ")}
            fill="none"
            stroke={seriesColour(i)}
            strokeWidth={2}
          >
            <title>{`${c.className}: AUC ${c.auc === null ? "undefined (class absent)" : c.auc.toFixed(3)}`}</title>
          </polyline>
        ))}
        <Legend items={items} x={M.left} y={plot.bottom + M.bottom} width={legendW} />
      </svg>
    </ChartFigure>
  );
}
