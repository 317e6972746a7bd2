import { ChartFigure } from "./chart-figure";

/** The parts of a class's bar, in drawing order, each with a colour and a pattern-free label (the table says the rest). */
const PARTS = [
  { key: "train", label: "train", colour: "#2563eb" },
  { key: "validation", label: "validation", colour: "#f59e0b" },
  { key: "test", label: "test", colour: "#059669" },
  { key: "removed", label: "removed (duplicate)", colour: "#dc2626" },
] as const;

export interface ClassCountRow {
  name: string;
  train: number;
  validation: number;
  test: number;
  removed: number;
}

/**
 * Images per class as horizontal bars, each split into the parts of the dataset's split (train, validation,
 * test, and test images removed as duplicates), longest class first in the data's own order. Horizontal, so twenty
 * class names stay readable on a phone; the counts are a table behind "Show data".
 */
export function ClassCountsChart({ title, caption, classes }: { title: string; caption: string; classes: ClassCountRow[] }) {
  const labelW = 100;
  const plotW = 220;
  const rowH = 22;
  const top = 8;
  const totals = classes.map((c) => c.train + c.validation + c.test + c.removed);
  const max = Math.max(1, ...totals);
  const legendY = top + classes.length * rowH + 18;
  const height = legendY + 36;
  const width = labelW + plotW + 48;
  const x = (v: number) => (v / max) * plotW;
  return (
    <ChartFigure
      chart="class-counts"
      caption={caption}
      data={{
        label: `${title}: images per class and split part`,
        rows: classes.map((c, i) => ({ ...c, total: totals[i]! })),
        rowKey: (r) => r.name,
        columns: [
          { header: "Class", cell: (r) => r.name },
          { header: "Images", numeric: true, cell: (r) => r.total },
          { header: "Train", numeric: true, cell: (r) => r.train },
          { header: "Validation", numeric: true, cell: (r) => r.validation },
          { header: "Test", numeric: true, cell: (r) => r.test },
          { header: "Removed from test", numeric: true, cell: (r) => r.removed },
        ],
      }}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-label={title}>
        <title>{title}</title>
        {classes.map((c, i) => {
          const y = top + i * rowH;
          let at = labelW;
          return (
            <g key={c.name}>
              <text x={labelW - 6} y={y + 15} textAnchor="end" fontSize={12} fill="#334155">{c.name.length > 14 ? `${c.name.slice(0, 13)}…` : c.name}</text>
              {PARTS.map((p) => {
                const v = c[p.key];
                if (v === 0) return null;
                const w = x(v);
                const rect = (
                  <rect key={p.key} x={at} y={y + 3} width={Math.max(1, w)} height={rowH - 6} fill={p.colour}>
                    <title>{`${c.name}: ${v} ${p.label}`}</title>
                  </rect>
                );
                at += w;
                return rect;
              })}
              <text x={at + 4} y={y + 15} fontSize={12} fill="#334155">{totals[i]}</text>
            </g>
          );
        })}
        <g data-chart-part="legend" fontSize={12} fill="#334155">
          {PARTS.map((p, i) => {
            const lx = 8 + (i % 2) * 150;
            const ly = legendY + Math.floor(i / 2) * 18;
            return (
              <g key={p.key}>
                <rect x={lx} y={ly - 9} width={12} height={12} fill={p.colour} />
                <text x={lx + 18} y={ly + 1}>{p.label}</text>
              </g>
            );
          })}
        </g>
      </svg>
    </ChartFigure>
  );
}
