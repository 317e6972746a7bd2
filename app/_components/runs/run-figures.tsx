import { approachVerdict, comparedMetrics, confusionDifference, runLetter, type ComparedMetric, type RunView } from "@/domain/runs/run-view";
import { formatCount } from "@/grader/spec/check-budget";
import { ConfusionMatrixHeatmap } from "@/app/_components/charts/confusion-matrix-heatmap";
import { ConfusionDifference } from "@/app/_components/charts/confusion-difference";
import { GroupedBars } from "@/app/_components/charts/grouped-bars";
import { LineChart } from "@/app/_components/charts/line-chart";
import { ChartFigure } from "@/app/_components/charts/chart-figure";
import { seriesColour } from "@/app/_components/charts/scale";
import { DataTable } from "@/app/_components/ui/data-table";
import { Card } from "@/app/_components/ui/card";

/*
 * Figures of stored runs: one run's metrics table and confusion matrix, and the comparison of several
 * runs on the same data. Hook-free, so the server pages (compare, a written report for its grader) and the
 * report editor's live preview (a client component) draw the same thing from the same RunView data.
 */

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);
const secs = (s: number) => `${s.toFixed(1)} s`;

function formatValue(m: ComparedMetric, v: number | null): string {
  if (v === null) return "—";
  if (m.format === "percent") return pct(v);
  if (m.format === "count") return formatCount(v);
  if (m.format === "seconds") return secs(v);
  return f3(v);
}

function formatDiff(m: ComparedMetric, v: number | null, ref: number | null): string {
  if (v === null || ref === null) return "";
  const d = v - ref;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  const a = Math.abs(d);
  if (m.format === "percent") return `${sign}${(a * 100).toFixed(1)} pt`;
  if (m.format === "count") return `${sign}${formatCount(a)}`;
  if (m.format === "seconds") return `${sign}${a.toFixed(1)} s`;
  return `${sign}${a.toFixed(3)}`;
}

const runName = (r: RunView, i: number) => `${runLetter(i)}: ${r.label}`;

/** The `{{run <id>}}` embed: one run's headline figures on its test images. */
export function RunMetricsTable({ run, title }: { run: RunView; title: string }) {
  const m = run.metrics;
  const rows: [string, string][] = [
    ["Approach", `${run.approach}${run.base ? ` (base ${run.base})` : ""}`],
    ["Dataset", run.dataset.name],
    ["Test images", m ? String(m.count) : "—"],
    ["Accuracy", m ? pct(m.accuracy) : "—"],
    ["Macro F1", m ? f3(m.macroF1) : "—"],
    [m ? `Top-${m.topK.k} accuracy` : "Top-k accuracy", m ? pct(m.topK.accuracy) : "—"],
    ["Log loss", m ? f3(m.logLoss) : "—"],
    ["Parameters", `${formatCount(run.totalParams)} (${formatCount(run.trainableParams)} trainable)`],
    ["Training time", `${secs(run.trainMs / 1000)} over ${run.epochsRun} epoch${run.epochsRun === 1 ? "" : "s"}`],
  ];
  return (
    <Card as="figure" padding="sm" data-embed="run" data-run={run.id}>
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{title}</figcaption>
      <DataTable
        label={title}
        rows={rows}
        rowKey={([k]) => k}
        columns={[
          { header: "Figure", cell: ([k]) => k },
          { header: "Value", numeric: true, cell: ([, v]) => v },
        ]}
      />
      <p className="mt-2 text-xs text-slate-500">
        Measured on {run.splitLabel}{run.status === "diverged" ? "; training diverged" : ""}.
      </p>
    </Card>
  );
}

/** The `{{confusion <id>}}` embed: one run's confusion matrix with recall per row and precision per column. */
export function RunConfusion({ run, title }: { run: RunView; title: string }) {
  if (!run.metrics) return <p className="rounded bg-amber-50 p-3 text-sm text-amber-900">{title}: this run produced no test metrics{run.message ? ` (${run.message})` : ""}.</p>;
  return (
    <ConfusionMatrixHeatmap
      data-embed="confusion"
      data-run={run.id}
      matrix={run.metrics.confusion}
      classes={run.classes}
      title={title}
      caption={`${title}, on ${run.splitLabel}: rows are true classes, columns predictions; recall ends each row and precision stands under each column.`}
      recall={run.metrics.perClass.map((c) => c.recall)}
      precision={run.metrics.perClass.map((c) => c.precision)}
    />
  );
}

/** The metrics of the compared runs side by side: the best value marked in words, differences against run A. */
function ComparedMetricsTable({ runs, title }: { runs: RunView[]; title: string }) {
  const metrics = comparedMetrics(runs);
  return (
    <DataTable
      data-testid="compare-metrics"
      label={title}
      caption={title}
      rows={metrics}
      rowKey={(m) => m.key}
      columns={[
        { header: "Metric", cell: (m) => <><span className="font-medium">{m.label}</span><span className="block text-xs text-slate-500">{m.better} is better</span></> },
        ...runs.map((r, i) => ({
          header: <span className="[overflow-wrap:anywhere]">{runName(r, i)}<span className="block text-xs font-normal">{r.approach}</span></span>,
          label: runName(r, i),
          numeric: true,
          cell: (m: ComparedMetric) => {
            const best = m.best.includes(i);
            return (
              <span data-best={best ? "true" : undefined} className={best ? "font-semibold text-slate-900" : undefined}>
                {formatValue(m, m.values[i] ?? null)}
                {best && <span className="ml-1 rounded bg-green-100 px-1 text-xs font-semibold text-green-900">★ best</span>}
                {i > 0 && <span className="block text-xs text-slate-500">{formatDiff(m, m.values[i] ?? null, m.values[0] ?? null)} vs A</span>}
              </span>
            );
          },
        })),
      ]}
    />
  );
}

/** Loss and accuracy per epoch of every run, overlaid: a colour per run, training solid and validation dashed. */
function OverlaidCurves({ runs, title }: { runs: RunView[]; title: string }) {
  const withCurves = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.curves.length > 0);
  if (!withCurves.length) return <p className="text-sm text-slate-600">None of these runs recorded training curves.</p>;
  const series = (key: "loss" | "acc" | "valLoss" | "valAcc", r: RunView) => r.curves.filter((c) => c[key] !== null).map((c) => ({ x: c.epoch, y: c[key] as number }));
  const lines = (train: "loss" | "acc", val: "valLoss" | "valAcc") =>
    withCurves.flatMap(({ r, i }) => [
      { label: `${runLetter(i)} training`, colour: seriesColour(i), points: series(train, r) },
      ...(r.curves.some((c) => c[val] !== null) ? [{ label: `${runLetter(i)} validation`, colour: seriesColour(i), dashed: true, points: series(val, r) }] : []),
    ]);
  const maxEpochs = Math.max(...withCurves.map(({ r }) => r.curves.length));
  const rows = Array.from({ length: maxEpochs }, (_, e) => e + 1);
  const at = (r: RunView, e: number) => r.curves.find((c) => c.epoch === e);
  const n4 = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(4));
  const p = (v: number | null | undefined) => (v === null || v === undefined ? "—" : pct(v));
  return (
    <ChartFigure
      chart="compare-curves"
      caption={`${title}: a colour per run (letters as in the table), training solid and validation dashed.`}
      data={{
        label: `${title}: loss and accuracy per epoch`,
        rows,
        rowKey: (e) => e,
        columns: [
          { header: "Epoch", numeric: true, cell: (e) => e },
          ...withCurves.flatMap(({ r, i }) => [
            { header: `${runLetter(i)} val. loss`, numeric: true, cell: (e: number) => n4(at(r, e)?.valLoss ?? at(r, e)?.loss) },
            { header: `${runLetter(i)} train acc.`, numeric: true, cell: (e: number) => p(at(r, e)?.acc) },
            { header: `${runLetter(i)} val. acc.`, numeric: true, cell: (e: number) => p(at(r, e)?.valAcc) },
          ]),
        ],
      }}
    >
      <div className="flex flex-wrap gap-4">
        <LineChart title={`${title}: loss per epoch`} xLabel="Epoch" yLabel="Loss (cross-entropy)" width={340} series={lines("loss", "valLoss")} />
        <LineChart title={`${title}: accuracy per epoch`} xLabel="Epoch" yLabel="Accuracy" yMin={0} yMax={1} width={340} series={lines("acc", "valAcc")} />
      </div>
    </ChartFigure>
  );
}

/**
 * Two to six runs on the same data side by side: the answer to "custom CNN or transfer learning?",
 * the metrics with differences and the best value marked, training curves overlaid, confusion
 * matrices side by side with the difference of each against run A, and per-class F1 grouped by class.
 * `titlePrefix` (e.g. "Figure 3") keeps titles unique when one page holds several comparisons.
 */
export function CompareRuns({ runs, titlePrefix = "" }: { runs: RunView[]; titlePrefix?: string }) {
  const t = (s: string) => (titlePrefix ? `${titlePrefix}: ${s}` : s);
  const classes = runs[0]?.classes ?? [];
  const scored = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.metrics);
  const first = scored[0];
  return (
    <div className="space-y-4" data-embed="compare" data-runs={runs.map((r) => r.id).join(",")}>
      <p className="rounded-lg bg-brand-50 p-3 text-slate-900 ring-1 ring-brand-100" data-testid="compare-verdict">
        <strong>Custom CNN or transfer learning? </strong>
        {approachVerdict(runs)}
      </p>
      <ComparedMetricsTable runs={runs} title={t(`Metrics on ${runs[0]?.splitLabel ?? "the test images"}`)} />
      <OverlaidCurves runs={runs} title={t("Training curves")} />
      {scored.length > 0 && (
        <section className="space-y-3" aria-label={t("Confusion matrices")}>
          <h3 className="font-semibold">{t("Confusion matrices")}</h3>
          <div className="grid gap-4 lg:grid-cols-2">
            {scored.map(({ r, i }) => (
              <ConfusionMatrixHeatmap key={r.id} matrix={r.metrics!.confusion} classes={classes} title={t(`Confusion matrix of ${runName(r, i)}`)} />
            ))}
            {first &&
              scored.slice(1).map(({ r, i }) => (
                <ConfusionDifference
                  key={`d${r.id}`}
                  difference={confusionDifference(first.r.metrics!.confusion, r.metrics!.confusion)}
                  classes={classes}
                  title={t(`Difference, ${runLetter(i)} minus ${runLetter(first.i)}`)}
                />
              ))}
          </div>
        </section>
      )}
      {scored.length > 0 && (
        <GroupedBars
          title={t("F1 per class, a bar per run")}
          categories={classes}
          yLabel="F1"
          yMax={1}
          series={scored.map(({ r, i }) => ({ tag: runLetter(i), label: r.label, colour: seriesColour(i), values: classes.map((c) => r.metrics!.perClass.find((p) => p.className === c)?.f1 ?? null) }))}
        />
      )}
    </div>
  );
}
