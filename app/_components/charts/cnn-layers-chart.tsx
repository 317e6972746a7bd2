import type { LayerAnalysis } from "@/grader/spec/analyze";
import { ChartFigure } from "./chart-figure";

/** Colours per layer family, so convolution / pooling / dense blocks read at a glance. */
const FILL: Record<string, string> = {
  input: "#94a3b8",
  conv2d: "#2f6fde",
  maxPooling2d: "#0d9488",
  averagePooling2d: "#0d9488",
  globalAveragePooling2d: "#0d9488",
  flatten: "#64748b",
  dense: "#ea580c",
};
const LABEL: Record<string, string> = {
  input: "Input",
  conv2d: "Conv2D",
  maxPooling2d: "MaxPool",
  averagePooling2d: "AvgPool",
  globalAveragePooling2d: "GlobalAvgPool",
  flatten: "Flatten",
  dense: "Dense",
};

const COLUMN_WIDTH = 108;
const TOP = 34;
const BLOCK_AREA = 130;
/** Largest image block: leaves room in a column for the block's depth offset and the arrow. */
const MAX_IMAGE_SIDE = 74;
const SVG_HEIGHT = 292;

const fmt = (n: number) => n.toLocaleString("en-US");

/** A CNN's layers as the spec analysis gives them (see grader/spec/analyze.ts). */
export interface CnnLayersData {
  input: number[];
  layers: LayerAnalysis[];
  totalParams: number;
}

/**
 * A CNN drawn from its analysed layers: one block per layer, sized by the output's spatial extent
 * (images) or by the number of units (vectors), with the output shape and parameter count under
 * it and a bar showing that layer's share of all parameters. Wider than a phone, the drawing
 * scrolls inside its own box; "Show data" lists the same numbers as a table.
 */
export function CnnLayersChart({ data, caption, ...rest }: { data: CnnLayersData; caption: string } & Record<`data-${string}`, string>) {
  const columns = [
    { key: "input", type: "input", shape: data.input, params: 0 },
    ...data.layers.map((l) => ({ key: l.name, type: l.type, shape: l.outputShape, params: l.params })),
  ];
  const width = columns.length * COLUMN_WIDTH;
  const maxSide = Math.max(...columns.filter((c) => c.shape.length === 3).map((c) => c.shape[0]!));
  const maxUnits = Math.max(...columns.filter((c) => c.shape.length === 1).map((c) => c.shape[0]!), 1);
  const titleId = "cnn-figure-title";
  const title = `Layer diagram: ${columns.length - 1} layers, ${fmt(data.totalParams)} parameters`;
  return (
    <ChartFigure
      chart="cnn-layers"
      className="my-6"
      caption={
        <>
          {caption} Total: <strong>{fmt(data.totalParams)}</strong> parameters.
        </>
      }
      data={{
        label: `${title}: output shape and parameters per layer`,
        rows: data.layers,
        rowKey: (l) => l.name,
        columns: [
          { header: "Layer", cell: (l) => LABEL[l.type] ?? l.type },
          { header: "Output shape", cell: (l) => l.outputShape.join("×") },
          { header: "Parameters", numeric: true, cell: (l) => fmt(l.params) },
          { header: "Share", numeric: true, cell: (l) => `${((data.totalParams > 0 ? l.params / data.totalParams : 0) * 100).toFixed(1)}%` },
        ],
      }}
      {...rest}
    >
      {/* Too wide to shrink legibly onto a phone: it scrolls in its own (focusable) box instead. */}
      <div className="relative overflow-x-auto" role="region" aria-label={title} tabIndex={0}>
      <svg viewBox={`0 0 ${width} ${SVG_HEIGHT}`} className="min-w-[720px]" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        {columns.map((c, i) => {
          const cx = i * COLUMN_WIDTH + COLUMN_WIDTH / 2;
          const image = c.shape.length === 3;
          // Images: a square scaled by height; vectors: a narrow bar scaled by log(units).
          const h = image
            ? 14 + (MAX_IMAGE_SIDE - 14) * (c.shape[0]! / maxSide)
            : 18 + (BLOCK_AREA - 18) * (Math.log2(c.shape[0]! + 1) / Math.log2(maxUnits + 1));
          const w = image ? h : 16;
          const depth = image ? Math.min(14, 3 + Math.log2(c.shape[2]!) * 1.6) : 0;
          const y = TOP + (BLOCK_AREA - h) / 2 + 8;
          const fill = FILL[c.type] ?? "#64748b";
          const share = data.totalParams > 0 ? c.params / data.totalParams : 0;
          return (
            <g key={c.key} data-layer={c.key}>
              <text x={cx} y={18} textAnchor="middle" fontSize={13} fontWeight={600} fill="#0f172a">
                {LABEL[c.type] ?? c.type}
              </text>
              {depth > 0 && (
                <rect x={cx - w / 2 + depth} y={y - depth} width={w} height={h} fill={fill} opacity={0.35} rx={2} />
              )}
              <rect x={cx - w / 2} y={y} width={w} height={h} fill={fill} opacity={0.9} rx={2} />
              {i > 0 && (
                <path
                  d={`M ${cx - COLUMN_WIDTH / 2 - 6} ${TOP + BLOCK_AREA / 2 + 8} l 10 0`}
                  stroke="#94a3b8"
                  strokeWidth={2}
                  markerEnd="url(#cnn-arrow)"
                />
              )}
              <text x={cx} y={TOP + BLOCK_AREA + 38} textAnchor="middle" fontSize={13} fill="#0f172a" fontFamily="ui-monospace, monospace">
                {c.shape.join("×")}
              </text>
              <text x={cx} y={TOP + BLOCK_AREA + 58} textAnchor="middle" fontSize={12} fill="#475569">
                {c.type === "input" ? "image" : `${fmt(c.params)} params`}
              </text>
              {c.type !== "input" && (
                <>
                  <rect x={cx - 40} y={TOP + BLOCK_AREA + 70} width={80} height={8} fill="#e2e8f0" rx={4} />
                  <rect x={cx - 40} y={TOP + BLOCK_AREA + 70} width={Math.max(share > 0 ? 2 : 0, 80 * share)} height={8} fill={fill} rx={4} />
                  <text x={cx} y={TOP + BLOCK_AREA + 94} textAnchor="middle" fontSize={11} fill="#64748b">
                    {`${(share * 100).toFixed(share > 0 && share < 0.01 ? 1 : 0)}% of params`}
                  </text>
                </>
              )}
            </g>
          );
        })}
        <defs>
          <marker id="cnn-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#94a3b8" />
          </marker>
        </defs>
      </svg>
      </div>
    </ChartFigure>
  );
}
