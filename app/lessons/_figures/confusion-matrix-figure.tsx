import { confusionFigureData, fixed2 } from "./figure-data";

const CELL = 64;
const LEFT = 110;
const TOP = 70;

/**
 * A confusion matrix drawn from its counts, with recall at the end of each row, precision under
 * each column, and the arithmetic written out for the class the model finds hardest (lowest F1).
 */
export function ConfusionMatrixFigure({
  classes,
  matrix,
  caption,
}: {
  classes: string[];
  matrix: number[][];
  caption: string;
}) {
  const d = confusionFigureData(classes, matrix);
  const k = classes.length;
  const width = LEFT + (k + 1) * CELL + 20;
  const height = TOP + (k + 1) * CELL + 20;
  const hardest = d.f1.indexOf(Math.min(...d.f1));
  const name = classes[hardest]!;
  const tp = matrix[hardest]![hardest]!;
  const column = matrix.map((row) => row[hardest]!);
  const row = matrix[hardest]!;
  const titleId = "confusion-figure-title";
  return (
    <figure className="my-6 rounded-xl bg-white p-4 ring-1 ring-slate-200" data-figure="confusion-matrix">
      <div className="flex flex-wrap items-start gap-6">
        <svg viewBox={`0 0 ${width} ${height}`} width={width} className="max-w-full" role="img" aria-labelledby={titleId}>
          <title id={titleId}>{`Confusion matrix of ${k} classes, accuracy ${fixed2(d.accuracy)}`}</title>
          <text x={LEFT + (k * CELL) / 2} y={16} textAnchor="middle" fontSize={13} fontWeight={600} fill="#0f172a">
            predicted
          </text>
          <text x={16} y={TOP + (k * CELL) / 2} fontSize={13} fontWeight={600} fill="#0f172a" transform={`rotate(-90 16 ${TOP + (k * CELL) / 2})`} textAnchor="middle">
            actual
          </text>
          {classes.map((c, j) => (
            <text key={`col-${c}`} x={LEFT + j * CELL + CELL / 2} y={TOP - 12} textAnchor="middle" fontSize={13} fill="#334155">
              {c}
            </text>
          ))}
          <text x={LEFT + k * CELL + CELL / 2} y={TOP - 12} textAnchor="middle" fontSize={12} fontStyle="italic" fill="#475569">
            recall
          </text>
          {classes.map((c, i) => (
            <g key={`row-${c}`}>
              <text x={LEFT - 10} y={TOP + i * CELL + CELL / 2 + 4} textAnchor="end" fontSize={13} fill="#334155">
                {c}
              </text>
              {matrix[i]!.map((count, j) => {
                const share = d.rowTotals[i]! > 0 ? count / d.rowTotals[i]! : 0;
                const diagonal = i === j;
                return (
                  <g key={`${i}-${j}`}>
                    <rect
                      x={LEFT + j * CELL}
                      y={TOP + i * CELL}
                      width={CELL - 2}
                      height={CELL - 2}
                      rx={4}
                      fill={diagonal ? "#2f6fde" : "#dc2626"}
                      fillOpacity={0.08 + 0.8 * share}
                    />
                    <text
                      x={LEFT + j * CELL + CELL / 2 - 1}
                      y={TOP + i * CELL + CELL / 2 + 5}
                      textAnchor="middle"
                      fontSize={16}
                      fontWeight={diagonal ? 700 : 400}
                      fill={share > 0.5 ? "#ffffff" : "#0f172a"}
                    >
                      {count}
                    </text>
                  </g>
                );
              })}
              <text x={LEFT + k * CELL + CELL / 2} y={TOP + i * CELL + CELL / 2 + 5} textAnchor="middle" fontSize={14} fill="#0f172a" data-recall={c}>
                {fixed2(d.recall[i]!)}
              </text>
            </g>
          ))}
          <text x={LEFT - 10} y={TOP + k * CELL + CELL / 2 + 4} textAnchor="end" fontSize={12} fontStyle="italic" fill="#475569">
            precision
          </text>
          {classes.map((c, j) => (
            <text key={`p-${c}`} x={LEFT + j * CELL + CELL / 2} y={TOP + k * CELL + CELL / 2 + 5} textAnchor="middle" fontSize={14} fill="#0f172a" data-precision={c}>
              {fixed2(d.precision[j]!)}
            </text>
          ))}
        </svg>
        <dl className="min-w-64 flex-1 space-y-2 text-sm">
          <div>
            <dt className="font-semibold">Precision of “{name}” (down its column)</dt>
            <dd className="font-mono">
              {tp} / ({column.join(" + ")}) = {tp} / {d.columnTotals[hardest]} = {fixed2(d.precision[hardest]!)}
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Recall of “{name}” (along its row)</dt>
            <dd className="font-mono">
              {tp} / ({row.join(" + ")}) = {tp} / {d.rowTotals[hardest]} = {fixed2(d.recall[hardest]!)}
            </dd>
          </div>
          <div>
            <dt className="font-semibold">F1 of “{name}”</dt>
            <dd className="font-mono">
              2 · {fixed2(d.precision[hardest]!)} · {fixed2(d.recall[hardest]!)} / ({fixed2(d.precision[hardest]!)} + {fixed2(d.recall[hardest]!)}) = {fixed2(d.f1[hardest]!)}
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Accuracy (the diagonal)</dt>
            <dd className="font-mono">
              {d.correct} / {d.total} = {fixed2(d.accuracy)}
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Macro-averaged F1</dt>
            <dd className="font-mono">
              ({d.f1.map(fixed2).join(" + ")}) / {k} = {fixed2(d.f1.reduce((a, b) => a + b, 0) / k)}
            </dd>
          </div>
        </dl>
      </div>
      <figcaption className="mt-3 text-sm text-slate-600">{caption}</figcaption>
    </figure>
  );
}
