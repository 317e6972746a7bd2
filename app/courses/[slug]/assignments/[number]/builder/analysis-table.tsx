import { formatCount } from "@/grader/spec/check-budget";
import type { Issue } from "@/grader/errors";
import type { LiveAnalysis, AssignmentLimits } from "./analyse-spec";
import { DataTable } from "@/app/_components/ui/data-table";

function Meter({ label, value, max, testId }: { label: string; value: number; max: number; testId: string }) {
  const over = value > max;
  const share = Math.min(1, value / max);
  return (
    <div data-testid={testId}>
      <div className="flex justify-between text-sm">
        <span>{label}</span>
        <span className={over ? "font-semibold text-red-700" : "text-slate-700"}>
          {formatCount(value)} / {formatCount(max)}
        </span>
      </div>
      <div className="mt-1 h-2 rounded bg-slate-100" aria-hidden>
        <div className={`h-full rounded ${over ? "bg-red-500" : "bg-green-500"}`} style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}

function IssueList({ issues, title, testId }: { issues: Issue[]; title: string; testId: string }) {
  if (!issues.length) return null;
  return (
    <div role="alert" data-testid={testId} className="rounded-md bg-red-50 p-3 text-sm text-red-800">
      <p className="font-semibold">{title}</p>
      <ul className="mt-1 list-disc pl-5">
        {issues.map((i, k) => <li key={k}>{i.path ? <code className="mr-1">{i.path}</code> : null}{i.message}</li>)}
      </ul>
    </div>
  );
}

/**
 * The live layer table (output shape, parameters, FLOPs per layer) and the budget check, computed
 * in the browser by the grader's own analyzeSpec/checkBudget before anything is queued.
 */
export function AnalysisTable({ live, assignment }: { live: LiveAnalysis; assignment: AssignmentLimits }) {
  const a = live.analysis;
  return (
    <div className="space-y-3" data-testid="analysis">
      {a && (
        <>
          <DataTable
            data-testid="layer-table"
            label="Layers of the model: output shape, parameters and FLOPs"
            rows={[null, ...a.layers]}
            rowKey={(l) => (l ? `${l.path}-${l.name}` : "input")}
            rowProps={(l) => ({ className: l ? "tabular-nums" : "text-slate-600" })}
            columns={[
              { header: "Layer", cell: (l) => (l ? <>{l.name} <span className="text-slate-600">{l.type}</span></> : "input") },
              { header: "Output shape", cell: (l) => `[${(l ? l.outputShape : a.inputShape).join(", ")}]` },
              { header: "Parameters", numeric: true, cell: (l) => l && formatCount(l.params) },
              { header: "Trainable", numeric: true, cell: (l) => l && formatCount(l.trainableParams) },
              { header: "FLOPs", numeric: true, cell: (l) => l && formatCount(l.flops) },
            ]}
            footer={
              <tr className="border-t-2 border-slate-300 font-semibold tabular-nums">
                <td className="p-2">Total</td><td className="p-2">[{a.outputShape.join(", ")}]</td>
                <td className="p-2" data-testid="total-params">{formatCount(a.totalParams)}</td>
                <td className="p-2">{formatCount(a.trainableParams)}</td>
                <td className="p-2" data-testid="total-flops">{formatCount(a.flopsPerImage)}</td>
              </tr>
            }
          />
          <div className="grid gap-3 md:grid-cols-2">
            <Meter label="Parameters" value={a.totalParams} max={assignment.budget.maxParams} testId="budget-params" />
            <Meter label="FLOPs per image" value={a.flopsPerImage} max={assignment.budget.maxFlopsPerImage} testId="budget-flops" />
          </div>
        </>
      )}
      <IssueList issues={live.issues} title="The spec is not valid yet" testId="spec-issues" />
      <IssueList issues={live.budget} title="Over budget or not matching the assignment" testId="budget-issues" />
      {a && !live.issues.length && !live.budget.length && (
        <p className="text-sm text-green-700" data-testid="budget-ok">Within budget: ready to submit.</p>
      )}
    </div>
  );
}
