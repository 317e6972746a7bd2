import { Axes, Legend, legendRows } from "./axes";
import { linearScale, niceTicks } from "./scale";

export interface LineSeries {
  label: string;
  colour: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

const M = { left: 60, top: 12, right: 16, bottom: 48 };

/**
 * A line chart with axes, grid, titles and a legend. No hooks and no server-only imports, so the
 * live progress panel (a client component) and the server-rendered report draw the same chart.
 */
export function LineChart(props: {
  title: string;
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
  xTickLabel?: (v: number) => string;
}) {
  const plotW = props.width ?? 420;
  const plotH = props.height ?? 220;
  const all = props.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y).filter(Number.isFinite);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMin = props.yMin ?? (ys.length ? Math.min(0, ...ys) : 0);
  const yMax = props.yMax ?? (ys.length ? Math.max(...ys) : 1);
  const yTicks = niceTicks(yMin, yMax, 5);
  const yTop = Math.max(yMax, yTicks[yTicks.length - 1] ?? yMax);
  const xTicks = niceTicks(xMin, xMax, Math.min(6, Math.max(1, Math.round(xMax - xMin)))).filter((t) => t >= xMin && t <= xMax);
  const plot = { left: M.left, top: M.top, right: M.left + plotW, bottom: M.top + plotH };
  const x = linearScale(xMin, xMax === xMin ? xMin + 1 : xMax, plot.left, plot.right);
  const y = linearScale(yMin, yTop, plot.bottom, plot.top);
  const items = props.series.map((s) => ({ label: s.label, colour: s.colour, dashed: s.dashed }));
  const width = plot.right + M.right;
  const height = plot.bottom + M.bottom + legendRows(items.length, plotW) * 16 + 8;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-label={props.title}>
      <title>{props.title}</title>
      <Axes x={x} y={y} xTicks={xTicks} yTicks={yTicks} xLabel={props.xLabel} yLabel={props.yLabel} plot={plot} xTickLabel={props.xTickLabel} />
      {props.series.map((s) => {
        const pts = s.points.filter((p) => Number.isFinite(p.y));
        return (
          <g key={s.label}>
            {pts.length > 1 && (
              <polyline
                points={pts.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ")}
                fill="none"
                stroke={s.colour}
                strokeWidth={2}
                strokeDasharray={s.dashed ? "5 3" : undefined}
              />
            )}
            {pts.length <= 30 && pts.map((p, i) => <circle key={i} cx={x(p.x)} cy={y(p.y)} r={2.5} fill={s.colour} />)}
          </g>
        );
      })}
      <Legend items={items} x={M.left} y={plot.bottom + M.bottom} width={plotW} />
    </svg>
  );
}
