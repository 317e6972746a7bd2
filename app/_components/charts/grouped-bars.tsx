import { Axes } from "./axes";
import { ChartFigure } from "./chart-figure";
import { linearScale, niceTicks } from "./scale";

const M = { left: 60, top: 12, right: 16, bottom: 64 };

/**
 * Bars grouped by category (e.g. per-class F1, one bar per run in each class's group). Each bar
 * carries its series' short tag (A, B …) above it when there is room, so a reader tells the series
 * apart without their colours; the values are a table behind "Show data".
 */
export function GroupedBars({
  title,
  categories,
  series,
  yLabel,
  yMax,
  format = (v) => v.toFixed(3),
  ...rest
}: {
  title: string;
  categories: string[];
  /** One entry per series: its tag (shown on the bars), legend label, colour and a value per category (null: none). */
  series: { tag: string; label: string; colour: string; values: (number | null)[] }[];
  yLabel: string;
  yMax?: number;
  format?: (v: number) => string;
  className?: string;
} & Record<`data-${string}`, string>) {
  const groupW = Math.max(40, Math.min(110, 16 * series.length + 24));
  const plotW = Math.max(260, groupW * categories.length);
  const plotH = 200;
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const top = yMax ?? Math.max(1e-9, ...values);
  const yTicks = niceTicks(0, top, 5);
  const plot = { left: M.left, top: M.top, right: M.left + plotW, bottom: M.top + plotH };
  const y = linearScale(0, Math.max(top, yTicks[yTicks.length - 1] ?? top), plot.bottom, plot.top);
  const x = linearScale(0, categories.length, plot.left, plot.right);
  const barW = (groupW - 12) / Math.max(1, series.length);
  const legendRows = Math.ceil(series.length / 3);
  const width = plot.right + M.right;
  const height = plot.bottom + M.bottom + legendRows * 16;
  type Row = { name: string; values: (number | null)[] };
  const rows: Row[] = categories.map((c, i) => ({ name: c, values: series.map((s) => s.values[i] ?? null) }));
  return (
    <ChartFigure
      chart="grouped-bars"
      caption={title}
      data={{
        label: `${title}: values per category`,
        rows,
        rowKey: (r) => r.name,
        columns: [
          { header: "Class", cell: (r) => r.name },
          ...series.map((s, si) => ({ header: `${s.tag}: ${s.label}`, numeric: true, cell: (r: Row) => (r.values[si] === null ? "—" : format(r.values[si]!)) })),
        ],
      }}
      {...rest}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-label={title}>
        <title>{title}</title>
        <Axes x={x} y={y} xTicks={[]} yTicks={yTicks} xLabel="" yLabel={yLabel} plot={plot} />
        {categories.map((c, ci) => {
          const gx = x(ci) + (x(1) - x(0) - groupW) / 2 + 6;
          return (
            <g key={c}>
              {series.map((s, si) => {
                const v = s.values[ci];
                if (v === null || v === undefined) return null;
                const bx = gx + si * barW;
                return (
                  <g key={s.tag}>
                    <rect x={bx} y={y(v)} width={Math.max(1, barW - 2)} height={Math.max(0, plot.bottom - y(v))} fill={s.colour}>
                      <title>{`${c}, ${s.tag} (${s.label}): ${format(v)}`}</title>
                    </rect>
                    {barW >= 9 && (
                      <text x={bx + (barW - 2) / 2} y={y(v) - 3} textAnchor="middle" fontSize={9} fill="#334155">{s.tag}</text>
                    )}
                  </g>
                );
              })}
              <text x={x(ci) + (x(1) - x(0)) / 2} y={plot.bottom + 16} textAnchor="middle" fontSize={10} fill="#475569">{c.length > 14 ? `${c.slice(0, 13)}…` : c}</text>
            </g>
          );
        })}
        <g data-chart-part="legend" fontSize={11} fill="#334155">
          {series.map((s, i) => {
            const lx = M.left + (i % 3) * Math.max(90, plotW / 3);
            const ly = plot.bottom + 40 + Math.floor(i / 3) * 16;
            return (
              <g key={s.tag}>
                <rect x={lx} y={ly - 9} width={12} height={12} fill={s.colour} />
                <text x={lx + 18} y={ly + 1}>{`${s.tag}: ${s.label.length > 22 ? `${s.label.slice(0, 21)}…` : s.label}`}</text>
              </g>
            );
          })}
        </g>
      </svg>
    </ChartFigure>
  );
}
