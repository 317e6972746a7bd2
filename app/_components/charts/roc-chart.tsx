import type { RocCurve } from "@/grader/report/schema";
import { Axes, Legend, legendRows } from "./axes";
import { linearScale, seriesColour } from "./scale";

const PLOT = 300;
const M = { left: 60, top: 12, right: 16, bottom: 48 };

/** One-vs-rest ROC curves, one per class, with each class's AUC in the legend and the chance diagonal. */
export function RocChart({ curves, title, macroAuc }: { curves: RocCurve[]; title: string; macroAuc: number | null }) {
  const width = M.left + PLOT + M.right + 160;
  const plot = { left: M.left, top: M.top, right: M.left + PLOT, bottom: M.top + PLOT };
  const x = linearScale(0, 1, plot.left, plot.right);
  const y = linearScale(0, 1, plot.bottom, plot.top);
  const items = [
    ...curves.map((c, i) => ({ label: `${c.className} (AUC ${c.auc === null ? "n/a" : c.auc.toFixed(3)})`, colour: seriesColour(i) })),
    { label: "chance (AUC 0.5)", colour: "#94a3b8", dashed: true },
  ];
  const legendW = PLOT + 160;
  const height = plot.bottom + M.bottom + legendRows(items.length, legendW) * 16 + 8;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const titleId = `roc-${title.replace(/\W+/g, "-")}`;
  return (
    <figure className="rounded-xl bg-white p-4 ring-1 ring-slate-200" data-chart="roc">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="max-w-full" role="img" aria-labelledby={titleId}>
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
      <figcaption className="mt-2 text-sm text-slate-600">
        {title}. Macro AUC: {macroAuc === null ? "not defined" : macroAuc.toFixed(3)}.
      </figcaption>
    </figure>
  );
}
