import { tickLabel } from "./scale";

/** Left and bottom axes with ticks, grid lines and titles, for the line and bar charts. */
export function Axes(props: {
  x: (v: number) => number;
  y: (v: number) => number;
  xTicks: number[];
  yTicks: number[];
  xLabel: string;
  yLabel: string;
  plot: { left: number; top: number; right: number; bottom: number };
  xTickLabel?: (v: number) => string;
  yTickLabel?: (v: number) => string;
}) {
  const { x, y, plot } = props;
  const xl = props.xTickLabel ?? tickLabel;
  const yl = props.yTickLabel ?? tickLabel;
  return (
    <g fontSize={11} fill="#475569">
      {props.yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={plot.left} x2={plot.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
          <text x={plot.left - 6} y={y(t) + 4} textAnchor="end">{yl(t)}</text>
        </g>
      ))}
      {props.xTicks.map((t) => (
        <g key={`x${t}`}>
          <line x1={x(t)} x2={x(t)} y1={plot.bottom} y2={plot.bottom + 4} stroke="#64748b" />
          <text x={x(t)} y={plot.bottom + 16} textAnchor="middle">{xl(t)}</text>
        </g>
      ))}
      <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke="#64748b" />
      <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke="#64748b" />
      <text x={(plot.left + plot.right) / 2} y={plot.bottom + 34} textAnchor="middle" fontSize={12} fill="#334155">
        {props.xLabel}
      </text>
      <text
        x={plot.left - 40}
        y={(plot.top + plot.bottom) / 2}
        textAnchor="middle"
        fontSize={12}
        fill="#334155"
        transform={`rotate(-90 ${plot.left - 40} ${(plot.top + plot.bottom) / 2})`}
      >
        {props.yLabel}
      </text>
    </g>
  );
}

/** A legend: one coloured swatch (solid or dashed) and label per series, laid out in rows. */
export function Legend({ items, x, y, width }: { items: { label: string; colour: string; dashed?: boolean }[]; x: number; y: number; width: number }) {
  const perRow = Math.max(1, Math.floor(width / 150));
  return (
    <g fontSize={11} fill="#334155" data-chart-part="legend">
      {items.map((it, i) => {
        const cx = x + (i % perRow) * 150;
        const cy = y + Math.floor(i / perRow) * 16;
        return (
          <g key={it.label}>
            <line x1={cx} x2={cx + 18} y1={cy} y2={cy} stroke={it.colour} strokeWidth={2.5} strokeDasharray={it.dashed ? "5 3" : undefined} />
            <text x={cx + 24} y={cy + 4}>{it.label}</text>
          </g>
        );
      })}
    </g>
  );
}

/** Rows a legend with `n` items needs in `width` pixels (for sizing the SVG). */
export function legendRows(n: number, width: number): number {
  return Math.ceil(n / Math.max(1, Math.floor(width / 150)));
}
