import { fixed2, rocFigureData } from "./figure-data";

const SIZE = 260;
const MARGIN = { left: 52, top: 16, right: 16, bottom: 48 };

/** An ROC curve traced from scored examples, with the diagonal of a random ranking and the AUC. */
export function RocCurveFigure({ scores, labels, caption }: { scores: number[]; labels: (0 | 1)[]; caption: string }) {
  const d = rocFigureData(scores, labels);
  const x = (fpr: number) => MARGIN.left + fpr * SIZE;
  const y = (tpr: number) => MARGIN.top + (1 - tpr) * SIZE;
  const line = d.points.map((p) => `${x(p.fpr)},${y(p.tpr)}`).join(" ");
  const area = `${x(0)},${y(0)} ${line} ${x(1)},${y(0)}`;
  const width = MARGIN.left + SIZE + MARGIN.right;
  const height = MARGIN.top + SIZE + MARGIN.bottom;
  const titleId = "roc-figure-title";
  return (
    <figure className="my-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" data-figure="roc-curve">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="max-w-full" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{`ROC curve with AUC ${fixed2(d.auc)}`}</title>
        <rect x={x(0)} y={y(1)} width={SIZE} height={SIZE} fill="none" stroke="#cbd5e1" />
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <text x={x(t)} y={y(0) + 16} textAnchor="middle" fontSize={11} fill="#475569">
              {t}
            </text>
            <text x={x(0) - 8} y={y(t) + 4} textAnchor="end" fontSize={11} fill="#475569">
              {t}
            </text>
          </g>
        ))}
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#94a3b8" strokeDasharray="5 4" />
        <polygon points={area} fill="#2f6fde" fillOpacity={0.12} />
        <polyline points={line} fill="none" stroke="#2f6fde" strokeWidth={2.5} />
        {d.points.map((p, i) => (
          <circle key={i} cx={x(p.fpr)} cy={y(p.tpr)} r={3} fill="#1c479b" />
        ))}
        <text x={x(0.55)} y={y(0.3)} fontSize={15} fontWeight={700} fill="#1c479b">
          AUC = {fixed2(d.auc)}
        </text>
        <text x={x(0.62)} y={y(0.58)} fontSize={11} fill="#64748b" transform={`rotate(-45 ${x(0.62)} ${y(0.58)})`}>
          random guessing
        </text>
        <text x={x(0.5)} y={height - 8} textAnchor="middle" fontSize={12} fill="#0f172a">
          false positive rate
        </text>
        <text x={14} y={y(0.5)} textAnchor="middle" fontSize={12} fill="#0f172a" transform={`rotate(-90 14 ${y(0.5)})`}>
          true positive rate (recall)
        </text>
      </svg>
      <figcaption className="mt-2 text-sm text-slate-600">
        {caption} {d.positives} positives × {d.negatives} negatives = {d.positives * d.negatives} pairs; the AUC of{" "}
        {fixed2(d.auc)} is the share of those pairs in which the positive scored higher.
      </figcaption>
    </figure>
  );
}
