import { ChartFigure } from "./chart-figure";

const f2 = (x: number) => x.toFixed(2);

/**
 * Confusion matrix as a heatmap: rows are true classes, columns predicted classes; each cell shows the
 * count and is shaded by the share of its row (so a rare class's mistakes are as visible as a
 * common one's). With `recall` and `precision` (one per class) it also writes each row's recall at
 * its end and each column's precision under it, as the lesson's worked example does.
 * Server-rendered SVG; the counts are also a table behind "Show data".
 */
export function ConfusionMatrixHeatmap({
  matrix,
  classes,
  title,
  caption,
  recall,
  precision,
  ...rest
}: {
  matrix: number[][];
  classes: string[];
  title: string;
  /** The caption under the chart (defaults to the title and how to read it). */
  caption?: string;
  recall?: number[];
  precision?: number[];
  className?: string;
} & Record<`data-${string}`, string>) {
  const n = classes.length;
  const margins = recall !== undefined && precision !== undefined;
  const cell = Math.max(34, Math.min(64, Math.floor(420 / Math.max(n, 1))));
  const labelW = 90;
  const top = 40;
  const left = labelW + 24;
  const marginCol = margins ? cell : 0;
  const width = left + n * cell + marginCol + 110;
  const height = top + n * cell + (margins ? cell : 0) + 70;
  const rowTotals = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const shade = (share: number) => `rgba(33, 88, 194, ${0.06 + 0.94 * share})`;
  const titleId = `cm-${title.replace(/\W+/g, "-")}`;
  const legendX = left + n * cell + marginCol + 20;
  type Row = { name: string; counts: number[]; recall?: number };
  const rows: Row[] = classes.map((c, i) => ({ name: c, counts: classes.map((_, j) => matrix[i]?.[j] ?? 0), recall: recall?.[i] }));
  return (
    <ChartFigure
      chart="confusion-matrix"
      caption={caption ?? `${title}. The diagonal (outlined) holds correct predictions.`}
      data={{
        label: `${title}: counts, true class by predicted class`,
        rowKey: (r) => r.name,
        rows: margins ? [...rows, { name: "precision", counts: [] }] : rows,
        columns: [
          { header: "True class", cell: (r) => (r.name === "precision" && margins ? <em>precision</em> : r.name) },
          ...classes.map((c, j) => ({
            header: `predicted ${c}`,
            numeric: true,
            cell: (r: Row) => (r.name === "precision" && precision ? f2(precision[j]!) : r.counts[j]),
          })),
          ...(margins ? [{ header: "recall", numeric: true, cell: (r: Row) => (r.recall === undefined ? "" : f2(r.recall)) }] : []),
        ],
      }}
      {...rest}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        <text x={left + (n * cell) / 2} y={14} textAnchor="middle" fontSize={12} fill="#334155">Predicted class</text>
        {classes.map((c, j) => (
          <text key={`p${c}`} x={left + j * cell + cell / 2} y={top - 8} textAnchor="middle" fontSize={10} fill="#475569">{c}</text>
        ))}
        {margins && (
          <text x={left + n * cell + cell / 2} y={top - 8} textAnchor="middle" fontSize={10} fontStyle="italic" fill="#475569">recall</text>
        )}
        <text x={12} y={top + (n * cell) / 2} textAnchor="middle" fontSize={12} fill="#334155" transform={`rotate(-90 12 ${top + (n * cell) / 2})`}>
          True class
        </text>
        {classes.map((c, i) => (
          <g key={`r${c}`}>
            <text x={left - 6} y={top + i * cell + cell / 2 + 4} textAnchor="end" fontSize={10} fill="#475569">{c}</text>
            {classes.map((_, j) => {
              const v = matrix[i]?.[j] ?? 0;
              const share = rowTotals[i] ? v / rowTotals[i]! : 0;
              return (
                <g key={j}>
                  <rect x={left + j * cell} y={top + i * cell} width={cell - 1} height={cell - 1} fill={shade(share)} stroke={i === j ? "#0f172a" : "none"} strokeWidth={i === j ? 1 : 0}>
                    <title>{`true ${c}, predicted ${classes[j]}: ${v} (${Math.round(share * 100)}% of ${c})`}</title>
                  </rect>
                  <text x={left + j * cell + cell / 2} y={top + i * cell + cell / 2 + 4} textAnchor="middle" fontSize={11} fill={share > 0.5 ? "#ffffff" : "#0f172a"}>
                    {v}
                  </text>
                </g>
              );
            })}
            {recall && (
              <text x={left + n * cell + cell / 2} y={top + i * cell + cell / 2 + 4} textAnchor="middle" fontSize={11} fill="#0f172a" data-recall={c}>
                {f2(recall[i]!)}
              </text>
            )}
          </g>
        ))}
        {precision && (
          <g>
            <text x={left - 6} y={top + n * cell + cell / 2 + 4} textAnchor="end" fontSize={10} fontStyle="italic" fill="#475569">precision</text>
            {classes.map((c, j) => (
              <text key={`prec${c}`} x={left + j * cell + cell / 2} y={top + n * cell + cell / 2 + 4} textAnchor="middle" fontSize={11} fill="#0f172a" data-precision={c}>
                {f2(precision[j]!)}
              </text>
            ))}
          </g>
        )}
        {/* Colour legend: share of the true class's examples. */}
        <defs>
          <linearGradient id={`${titleId}-grad`} x1="0" x2="0" y1="1" y2="0">
            <stop offset="0" stopColor={shade(0)} />
            <stop offset="1" stopColor={shade(1)} />
          </linearGradient>
        </defs>
        <g data-chart-part="legend" fontSize={10} fill="#475569">
          <rect x={legendX} y={top} width={14} height={n * cell} fill={`url(#${titleId}-grad)`} stroke="#cbd5e1" />
          <text x={legendX + 20} y={top + 8}>100%</text>
          <text x={legendX + 20} y={top + n * cell}>0%</text>
          <text x={legendX} y={top + n * cell + 18}>share of row</text>
        </g>
      </svg>
    </ChartFigure>
  );
}
