import { ChartFigure } from "./chart-figure";

/**
 * The difference of two confusion matrices of the same test images, cell by cell (`later − earlier`):
 * each cell shows its signed count ("+3", "−2", "0"), so the view reads without colour; the shading
 * only repeats it — green where the second run does better (more on the diagonal, fewer mistakes
 * off it), red where it does worse. The signed counts are also a table behind "Show data".
 */
export function ConfusionDifference({
  difference,
  classes,
  title,
  ...rest
}: {
  difference: number[][];
  classes: string[];
  title: string;
  className?: string;
} & Record<`data-${string}`, string>) {
  const n = classes.length;
  const cell = Math.max(34, Math.min(56, Math.floor(400 / Math.max(n, 1))));
  const top = 40;
  const left = 114;
  const width = left + n * cell + 20;
  const height = top + n * cell + 24;
  const maxAbs = Math.max(1, ...difference.flat().map(Math.abs));
  const signed = (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : "0");
  // Better for the second run: more right answers on the diagonal, fewer wrong ones off it.
  const fill = (v: number, diagonal: boolean) => {
    if (v === 0) return "#f8fafc";
    const good = diagonal ? v > 0 : v < 0;
    const a = 0.15 + 0.6 * (Math.abs(v) / maxAbs);
    return good ? `rgba(22, 163, 74, ${a.toFixed(3)})` : `rgba(220, 38, 38, ${a.toFixed(3)})`;
  };
  type Row = { name: string; values: number[] };
  const rows: Row[] = classes.map((c, i) => ({ name: c, values: classes.map((_, j) => difference[i]?.[j] ?? 0) }));
  return (
    <ChartFigure
      chart="confusion-difference"
      caption={`${title}. Each cell is the second run's count minus the first's: on the diagonal (outlined) a plus means more images right, off it a minus means fewer mistakes.`}
      data={{
        label: `${title}: change in count, true class by predicted class`,
        rowKey: (r) => r.name,
        rows,
        columns: [
          { header: "True class", cell: (r) => r.name },
          ...classes.map((c, j) => ({ header: `predicted ${c}`, numeric: true, cell: (r: Row) => signed(r.values[j]!) })),
        ],
      }}
      {...rest}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-label={title}>
        <title>{title}</title>
        <text x={left + (n * cell) / 2} y={14} textAnchor="middle" fontSize={12} fill="#334155">Predicted class</text>
        {classes.map((c, j) => (
          <text key={`p${c}`} x={left + j * cell + cell / 2} y={top - 8} textAnchor="middle" fontSize={10} fill="#475569">{c.length > 8 ? `${c.slice(0, 7)}…` : c}</text>
        ))}
        {classes.map((c, i) => (
          <g key={`r${c}`}>
            <text x={left - 6} y={top + i * cell + cell / 2 + 4} textAnchor="end" fontSize={10} fill="#475569">{c.length > 14 ? `${c.slice(0, 13)}…` : c}</text>
            {classes.map((_, j) => {
              const v = difference[i]?.[j] ?? 0;
              return (
                <g key={j}>
                  <rect x={left + j * cell} y={top + i * cell} width={cell - 1} height={cell - 1} fill={fill(v, i === j)} stroke={i === j ? "#0f172a" : "#e2e8f0"} strokeWidth={1}>
                    <title>{`true ${c}, predicted ${classes[j]}: ${signed(v)}`}</title>
                  </rect>
                  <text x={left + j * cell + cell / 2} y={top + i * cell + cell / 2 + 4} textAnchor="middle" fontSize={11} fill="#0f172a">{signed(v)}</text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </ChartFigure>
  );
}
