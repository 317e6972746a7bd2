"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { AttemptView } from "@/app/_lib/quiz/attempt-view";
import { QuizMarkdown } from "./quiz-markdown";

type Answers = Record<string, string[]>;

function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/**
 * An open attempt: the questions, a countdown, and a submit button. When the countdown reaches
 * zero the form submits itself with whatever is selected (the server allows a short grace period
 * for the request to arrive). Grading happens on the server; this component never sees a key.
 */
export function AttemptForm({ view, serverNow }: { view: AttemptView; serverNow: number }) {
  const router = useRouter();
  // The deadline is in server time; a client clock that runs behind would submit too late. The
  // offset is measured when the page loads (page latency makes it err towards submitting early).
  const [clockOffset] = useState(() => serverNow - Date.now());
  const [answers, setAnswers] = useState<Answers>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; issues?: { path: string; message: string }[] } | null>(null);
  const [now, setNow] = useState(() => serverNow);
  const submitted = useRef(false);
  const answersRef = useRef(answers);
  answersRef.current = answers;

  const deadline = view.deadlineAt ? new Date(view.deadlineAt).getTime() : null;

  const submit = useCallback(async () => {
    if (submitted.current) return;
    submitted.current = true;
    setPending(true);
    setError(null);
    try {
      const res = await fetch(`/api/quizzes/${view.quizId}/attempts/${view.attemptId}/submit`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answers: answersRef.current }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string; issues?: { path: string; message: string }[] };
        // A refused submission (time limit, conflict) has changed the attempt on the server: reload it.
        if (res.status === 409) router.refresh();
        throw Object.assign(new Error(body.error ?? `The server answered ${res.status}.`), { issues: body.issues });
      }
      router.refresh();
    } catch (e) {
      submitted.current = false;
      setPending(false);
      const issues = (e as { issues?: { path: string; message: string }[] }).issues;
      setError({ message: e instanceof Error ? e.message : String(e), issues });
    }
  }, [router, view.attemptId, view.quizId]);

  useEffect(() => {
    if (deadline === null) return;
    const timer = setInterval(() => {
      const t = Date.now() + clockOffset;
      setNow(t);
      if (t >= deadline) {
        clearInterval(timer);
        void submit();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [deadline, submit, clockOffset]);

  const answered = view.questions.filter((q) => (answers[q.id]?.length ?? 0) > 0).length;

  function toggle(questionId: string, choiceId: string, single: boolean) {
    setAnswers((prev) => {
      const current = prev[questionId] ?? [];
      const next = single
        ? [choiceId]
        : current.includes(choiceId)
          ? current.filter((c) => c !== choiceId)
          : [...current, choiceId];
      return { ...prev, [questionId]: next };
    });
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      className="space-y-6"
      aria-label="Quiz attempt"
    >
      <div className="sticky top-0 z-10 flex flex-wrap items-center gap-4 rounded-lg bg-white/95 px-4 py-3 shadow-sm ring-1 ring-slate-200 backdrop-blur">
        <span className="font-semibold">
          Attempt {view.attemptNumber} of {view.attemptsAllowed}
        </span>
        <span className="text-sm text-slate-600" data-testid="answered-count">
          {answered} of {view.questions.length} answered
        </span>
        {deadline !== null && (
          <span
            className={`ml-auto font-mono text-lg ${deadline - now < 60_000 ? "text-red-700" : "text-slate-800"}`}
            role="timer"
            aria-label="Time left"
          >
            {formatRemaining(deadline - now)}
          </span>
        )}
      </div>

      <ol className="space-y-6">
        {view.questions.map((q, i) => {
          const single = q.kind === "single";
          return (
            <li key={q.id} className="rounded-xl bg-white p-5 ring-1 ring-slate-200" data-testid="quiz-question" data-question-id={q.id}>
              <fieldset>
                <legend className="mb-3 w-full">
                  <span className="text-sm font-semibold text-slate-500">
                    Question {i + 1} · {q.points} {q.points === 1 ? "point" : "points"} ·{" "}
                    {single ? "choose one" : "choose all that apply"}
                  </span>
                  <QuizMarkdown markdown={q.prompt} />
                </legend>
                <div className="space-y-2">
                  {q.choices.map((c) => {
                    const checked = answers[q.id]?.includes(c.id) ?? false;
                    return (
                      <label
                        key={c.id}
                        className={`flex cursor-pointer items-start gap-3 rounded-lg px-3 py-2 ring-1 ${checked ? "bg-brand-50 ring-brand-500" : "ring-slate-200 hover:bg-slate-50"}`}
                      >
                        <input
                          type={single ? "radio" : "checkbox"}
                          name={q.id}
                          value={c.id}
                          checked={checked}
                          onChange={() => toggle(q.id, c.id, single)}
                          className="mt-1"
                        />
                        <QuizMarkdown markdown={c.text} inline />
                      </label>
                    );
                  })}
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>

      {error && (
        <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800 ring-1 ring-red-200">
          <p className="font-semibold">{error.message}</p>
          {error.issues && (
            <ul className="mt-2 list-disc pl-5">
              {error.issues.map((issue) => (
                <li key={issue.path + issue.message}>
                  {issue.path}: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div className="flex items-center gap-4">
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg bg-brand-600 px-6 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Submitting…" : "Submit answers"}
        </button>
        <span className="text-sm text-slate-600">
          Once submitted, an attempt is final. {answered < view.questions.length && `${view.questions.length - answered} unanswered.`}
        </span>
      </div>
    </form>
  );
}
