import { formatCount } from "@/grader/spec/check-budget";
import type { Issue } from "@/grader/errors";
import type { LiveAnalysis, AssignmentLimits } from "./analyse-spec";

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
          <table className="w-full text-left text-sm" data-testid="layer-table">
            <thead className="text-slate-500">
              <tr><th className="p-1.5">Layer</th><th className="p-1.5">Output shape</th><th className="p-1.5">Parameters</th><th className="p-1.5">Trainable</th><th className="p-1.5">FLOPs</th></tr>
            </thead>
            <tbody>
              <tr className="border-t border-slate-100 text-slate-500"><td className="p-1.5">input</td><td className="p-1.5">[{a.inputShape.join(", ")}]</td><td /><td /><td /></tr>
              {a.layers.map((l) => (
                <tr key={`${l.path}-${l.name}`} className="border-t border-slate-100 tabular-nums">
                  <td className="p-1.5">{l.name} <span className="text-slate-400">{l.type}</span></td>
                  <td className="p-1.5">[{l.outputShape.join(", ")}]</td>
                  <td className="p-1.5">{formatCount(l.params)}</td>
                  <td className="p-1.5">{formatCount(l.trainableParams)}</td>
                  <td className="p-1.5">{formatCount(l.flops)}</td>
                </tr>
              ))}
              <tr className="border-t-2 border-slate-300 font-semibold tabular-nums">
                <td className="p-1.5">Total</td><td className="p-1.5">[{a.outputShape.join(", ")}]</td>
                <td className="p-1.5" data-testid="total-params">{formatCount(a.totalParams)}</td>
                <td className="p-1.5">{formatCount(a.trainableParams)}</td>
                <td className="p-1.5" data-testid="total-flops">{formatCount(a.flopsPerImage)}</td>
              </tr>
            </tbody>
          </table>
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
