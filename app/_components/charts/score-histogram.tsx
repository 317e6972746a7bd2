import { Axes } from "./axes";
import { ChartFigure } from "./chart-figure";
import { linearScale, niceTicks } from "./scale";

/** Counts of scores in bins of `binWidth` over [0, 100] (100 falls in the last bin). */
export function binScores(scores: number[], binWidth = 10): { from: number; to: number; count: number }[] {
  const bins = Array.from({ length: Math.ceil(100 / binWidth) }, (_, i) => ({ from: i * binWidth, to: Math.min(100, (i + 1) * binWidth), count: 0 }));
  for (const s of scores) {
    const i = Math.min(bins.length - 1, Math.max(0, Math.floor(s / binWidth)));
    bins[i]!.count++;
  }
  return bins;
}

const M = { left: 60, top: 12, right: 16, bottom: 48 };

/** Distribution of scores (0–100) as a histogram, one series per split, bars side by side; the counts per bin behind "Show data". */
export function ScoreHistogram({ series, title }: { series: { label: string; colour: string; scores: number[] }[]; title: string }) {
  const plotW = 480;
  const plotH = 200;
  const binned = series.map((s) => ({ ...s, bins: binScores(s.scores) }));
  const maxCount = Math.max(1, ...binned.flatMap((s) => s.bins.map((b) => b.count)));
  const plot = { left: M.left, top: M.top, right: M.left + plotW, bottom: M.top + plotH };
  const x = linearScale(0, 100, plot.left, plot.right);
  const yTicks = niceTicks(0, maxCount, Math.min(5, maxCount)).filter((t) => Number.isInteger(t));
  const y = linearScale(0, Math.max(maxCount, yTicks[yTicks.length - 1] ?? maxCount), plot.bottom, plot.top);
  const binPx = x(10) - x(0);
  const barW = (binPx - 4) / Math.max(1, binned.length);
  const width = plot.right + M.right;
  const height = plot.bottom + M.bottom + 24;
  const bins = binScores([]).map((b, i) => ({ ...b, counts: binned.map((s) => s.bins[i]!.count) }));
  return (
    <ChartFigure
      chart="score-histogram"
      caption={title}
      data={{
        label: `${title}: students per score range`,
        rows: bins,
        rowKey: (b) => b.from,
        columns: [
          { header: "Score", cell: (b) => `${b.from}–${b.to}` },
          ...binned.map((s, i) => ({ header: s.label, numeric: true, cell: (b: (typeof bins)[number]) => b.counts[i] })),
        ],
      }}
    >
      <svg viewBox={`0 0 ${width} ${height}`} width={width} className="h-auto max-w-full" role="img" aria-label={title}>
        <title>{title}</title>
        <Axes x={x} y={y} xTicks={[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]} yTicks={yTicks} xLabel="Score" yLabel="Students" plot={plot} />
        {binned.map((s, si) =>
          s.bins.map((b) => (
            <rect key={`${s.label}${b.from}`} x={x(b.from) + 2 + si * barW} y={y(b.count)} width={barW} height={plot.bottom - y(b.count)} fill={s.colour}>
              <title>{`${s.label}: ${b.count} student${b.count === 1 ? "" : "s"} scored ${b.from}–${b.to}`}</title>
            </rect>
          )),
        )}
        <g data-chart-part="legend" fontSize={11} fill="#334155">
          {binned.map((s, i) => (
            <g key={s.label}>
              <rect x={M.left + i * 150} y={plot.bottom + M.bottom - 6} width={12} height={12} fill={s.colour} />
              <text x={M.left + i * 150 + 18} y={plot.bottom + M.bottom + 4}>{s.label}</text>
            </g>
          ))}
        </g>
      </svg>
    </ChartFigure>
  );
}
