import { ChartFigure } from "./chart-figure";
import { LineChart } from "./line-chart";

/** One epoch's numbers, from the report's curves or from live progress events. */
export interface CurvePoint {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
}

const f4 = (x: number | null) => (x === null ? "—" : x.toFixed(4));
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

/**
 * The rows of the data table: every whole epoch, plus the latest point when it falls inside an
 * epoch (a live run adds a point per batch; the table stays one row per epoch).
 */
export function curveTableRows(points: CurvePoint[]): CurvePoint[] {
  const rows = points.filter((p) => Number.isInteger(p.epoch) || p.valLoss !== null);
  const last = points.at(-1);
  return last && rows.at(-1) !== last ? [...rows, last] : rows;
}

/** Loss and accuracy per epoch, training (solid) against validation (dashed), side by side; the numbers behind "Show data". */
export function TrainingCurves({ points, caption }: { points: CurvePoint[]; caption?: string }) {
  const series = (key: "loss" | "acc" | "valLoss" | "valAcc") =>
    points.filter((p) => p[key] !== null).map((p) => ({ x: p.epoch, y: p[key] as number }));
  const hasVal = points.some((p) => p.valLoss !== null);
  return (
    <ChartFigure
      chart="training-curves"
      caption={caption ?? "Training (solid) and validation (dashed) curves per epoch."}
      data={{
        label: "Loss and accuracy per epoch",
        rows: curveTableRows(points),
        rowKey: (p) => p.epoch,
        columns: [
          { header: "Epoch", numeric: true, cell: (p) => (Number.isInteger(p.epoch) ? p.epoch : p.epoch.toFixed(2)) },
          { header: "Training loss", numeric: true, cell: (p) => f4(p.loss) },
          ...(hasVal ? [{ header: "Validation loss", numeric: true, cell: (p: CurvePoint) => f4(p.valLoss) }] : []),
          { header: "Training accuracy", numeric: true, cell: (p) => pct(p.acc) },
          ...(hasVal ? [{ header: "Validation accuracy", numeric: true, cell: (p: CurvePoint) => pct(p.valAcc) }] : []),
        ],
      }}
    >
      <div className="flex flex-wrap gap-4">
        <LineChart
          title="Loss per epoch"
          xLabel="Epoch"
          yLabel="Loss (cross-entropy)"
          width={340}
          series={[
            { label: "training loss", colour: "#4e79a7", points: series("loss") },
            ...(hasVal ? [{ label: "validation loss", colour: "#f28e2b", dashed: true, points: series("valLoss") }] : []),
          ]}
        />
        <LineChart
          title="Accuracy per epoch"
          xLabel="Epoch"
          yLabel="Accuracy"
          yMin={0}
          yMax={1}
          width={340}
          series={[
            { label: "training accuracy", colour: "#59a14f", points: series("acc") },
            ...(hasVal ? [{ label: "validation accuracy", colour: "#e15759", dashed: true, points: series("valAcc") }] : []),
          ]}
        />
      </div>
    </ChartFigure>
  );
}
