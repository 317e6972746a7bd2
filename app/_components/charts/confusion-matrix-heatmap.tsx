/**
 * Confusion matrix as a heatmap: rows are true classes, columns predicted classes; each cell shows the
 * count and is shaded by the share of its row (so a rare class's mistakes are as visible as a
 * common one's). Server-rendered SVG.
 */
export function ConfusionMatrixHeatmap({ matrix, classes, title }: { matrix: number[][]; classes: string[]; title: string }) {
  const n = classes.length;
  const cell = Math.max(34, Math.min(64, Math.floor(420 / Math.max(n, 1))));
  const labelW = 90;
  const top = 40;
  const left = labelW + 24;
  const width = left + n * cell + 110;
  const height = top + n * cell + 70;
  const rowTotals = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const shade = (share: number) => `rgba(33, 88, 194, ${0.06 + 0.94 * share})`;
  const titleId = `cm-${title.replace(/\W+/g, "-")}`;
  return (
    <figure className="rounded-xl bg-white p-4 ring-1 ring-slate-200" data-chart="confusion-matrix">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="max-w-full" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        <text x={left + (n * cell) / 2} y={14} textAnchor="middle" fontSize={12} fill="#334155">Predicted class</text>
        {classes.map((c, j) => (
          <text key={`p${c}`} x={left + j * cell + cell / 2} y={top - 8} textAnchor="middle" fontSize={10} fill="#475569">{c}</text>
        ))}
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
          </g>
        ))}
        {/* Colour legend: share of the true class's examples. */}
        <defs>
          <linearGradient id={`${titleId}-grad`} x1="0" x2="0" y1="1" y2="0">
            <stop offset="0" stopColor={shade(0)} />
            <stop offset="1" stopColor={shade(1)} />
          </linearGradient>
        </defs>
        <g data-chart-part="legend" fontSize={10} fill="#475569">
          <rect x={left + n * cell + 20} y={top} width={14} height={n * cell} fill={`url(#${titleId}-grad)`} stroke="#cbd5e1" />
          <text x={left + n * cell + 40} y={top + 8}>100%</text>
          <text x={left + n * cell + 40} y={top + n * cell}>0%</text>
          <text x={left + n * cell + 20} y={top + n * cell + 18}>share of row</text>
        </g>
      </svg>
      <figcaption className="mt-2 text-sm text-slate-600">{title}. The diagonal (outlined) holds correct predictions.</figcaption>
    </figure>
  );
}
