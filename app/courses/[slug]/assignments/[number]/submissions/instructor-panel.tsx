"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/app/_lib/auth/action";
import { regradeAction } from "./regrade-action";
import { overrideScoreAction } from "./override-action";
import { gradeRubricAction } from "./rubric-action";
import { Button } from "@/app/_components/ui/button";

type Issues = Record<string, string>;

function issuesOf<T>(res: ActionResult<T>): Issues {
  if (res.ok) return {};
  const out: Issues = {};
  for (const i of res.issues ?? []) out[i.path] ??= i.message;
  return out;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? <p id={id} role="alert" className="mt-1 text-sm text-red-700">{message}</p> : null;
}

/** Regrade button: queues the next run; the page then shows it grading live. */
export function RegradeButton({ submissionId, disabled }: { submissionId: string; disabled: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-3">
      <Button
        size="sm"
        disabled={disabled || pending}
        onClick={() =>
          start(async () => {
            const res = await regradeAction({ submissionId });
            if (res.ok) {
              setError(null);
              router.refresh();
            } else setError(res.error);
          })
        }
      >
        {pending ? "Queueing…" : "Regrade"}
      </Button>
      {error && <span role="alert" className="text-sm text-red-700">{error}</span>}
    </span>
  );
}

/** Score override with a reason (the newest override is the score that counts). */
export function OverrideForm({ submissionId }: { submissionId: string }) {
  const router = useRouter();
  const [issues, setIssues] = useState<Issues>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-2"
      aria-label="Override score"
      action={(form) =>
        start(async () => {
          const res = await overrideScoreAction({ submissionId, score: form.get("score"), reason: form.get("reason") });
          setIssues(issuesOf(res));
          setError(res.ok ? null : res.error);
          if (res.ok) router.refresh();
        })
      }
    >
      <label className="block text-sm">
        Score (0–100)
        <input name="score" inputMode="decimal" aria-describedby="override-score-error" className="mt-1 block w-32 rounded border border-slate-300 px-2 py-1" />
      </label>
      <FieldError id="override-score-error" message={issues.score} />
      <label className="block text-sm">
        Reason (the student sees it)
        <textarea name="reason" rows={2} aria-describedby="override-reason-error" className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      <FieldError id="override-reason-error" message={issues.reason} />
      {error && !Object.keys(issues).length && <p role="alert" className="text-sm text-red-700">{error}</p>}
      <Button type="submit" variant="dark" size="sm" disabled={pending}>
        Override score
      </Button>
    </form>
  );
}

/**
 * Rubric grading of the written report: points per criterion, each checked against its maximum. With
 * `noReportWarning` (the submission has no written report) the warning stands above the fields and saving
 * needs the "Grade it anyway" box; the server refuses without it, with the same words.
 */
export function RubricForm(props: {
  submissionId: string;
  criteria: { id: string; title: string; description: string; maxPoints: number }[];
  current: Record<string, number> | null;
  comment: string | null;
  noReportWarning: string | null;
}) {
  const router = useRouter();
  const [issues, setIssues] = useState<Issues>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3"
      aria-label="Rubric"
      // onSubmit, not `action`: React resets a form after its action, which wiped the typed points
      // whenever a save was refused (a point out of range, "Grade it anyway" not ticked).
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        start(async () => {
          const input: Record<string, unknown> = { submissionId: props.submissionId, comment: form.get("comment") ?? "", confirmNoReport: form.get("confirmNoReport") === "yes" };
          for (const c of props.criteria) input[`score.${c.id}`] = form.get(`score.${c.id}`);
          const res = await gradeRubricAction(input);
          setIssues(issuesOf(res));
          setSaved(res.ok ? `Saved: ${res.data.total} / ${res.data.maxTotal}` : null);
          if (!res.ok && !res.issues?.length) setIssues({ _: res.error });
          if (res.ok) router.refresh();
        });
      }}
    >
      {props.noReportWarning && (
        <p data-testid="rubric-no-report" className="rounded bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-200">
          {props.noReportWarning}
        </p>
      )}
      {props.criteria.map((c) => (
        <div key={c.id}>
          <label className="block text-sm font-medium">
            {c.title} (0–{c.maxPoints})
            <input
              name={`score.${c.id}`}
              inputMode="decimal"
              defaultValue={props.current?.[c.id] ?? ""}
              aria-describedby={`rubric-${c.id}-error`}
              className="ml-2 w-20 rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <p className="text-xs text-slate-500">{c.description}</p>
          <FieldError id={`rubric-${c.id}-error`} message={issues[c.id]} />
        </div>
      ))}
      <label className="block text-sm">
        Comment
        <textarea name="comment" rows={2} defaultValue={props.comment ?? ""} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      {props.noReportWarning && (
        <div>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" name="confirmNoReport" value="yes" aria-describedby="rubric-confirmNoReport-error" />
            Grade it anyway (no written report)
          </label>
          {/* The server's refusal repeats the warning above; here it only says what to do. */}
          <FieldError id="rubric-confirmNoReport-error" message={issues.confirmNoReport ? "Not saved: tick \"Grade it anyway\" to grade a submission without a written report." : undefined} />
        </div>
      )}
      {/* A page loaded before the report went missing has no box to tick: show the server's refusal as it is. */}
      {issues.confirmNoReport && !props.noReportWarning && <p role="alert" className="text-sm text-red-700">{issues.confirmNoReport}</p>}
      {issues._ && <p role="alert" className="text-sm text-red-700">{issues._}</p>}
      {saved && <p className="text-sm text-green-700">{saved}</p>}
      <Button type="submit" variant="dark" size="sm" disabled={pending}>
        Save rubric grade
      </Button>
    </form>
  );
}
