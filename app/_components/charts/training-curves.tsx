import { LineChart } from "./line-chart";

/** One epoch's numbers, from the report's curves or from live progress events. */
export interface CurvePoint {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
}

/** Loss and accuracy per epoch, training (solid) against validation (dashed), side by side. */
export function TrainingCurves({ points, caption }: { points: CurvePoint[]; caption?: string }) {
  const series = (key: "loss" | "acc" | "valLoss" | "valAcc") =>
    points.filter((p) => p[key] !== null).map((p) => ({ x: p.epoch, y: p[key] as number }));
  const hasVal = points.some((p) => p.valLoss !== null);
  return (
    <figure className="rounded-xl bg-white p-4 ring-1 ring-slate-200" data-chart="training-curves">
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
      <figcaption className="mt-2 text-sm text-slate-600">
        {caption ?? "Training (solid) and validation (dashed) curves per epoch."}
      </figcaption>
    </figure>
  );
}
