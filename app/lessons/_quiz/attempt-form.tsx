"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { AttemptView } from "@/domain/quiz/attempt-view";
import { QuizMarkdown } from "./quiz-markdown";
import { markJustSubmitted } from "./just-submitted";

/** Selected choices per question, under the attempt's own opaque choice ids (choice-tokens.ts). */
type Answers = Record<string, string[]>;

/** How long the answers must be still before they are saved: one request per burst of clicks. */
const SAVE_DELAY_MS = 300;

function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

const questionsWord = (n: number) => `${n} ${n === 1 ? "question" : "questions"}`;

/**
 * An open attempt: the questions, a countdown, and a submit button. When the countdown reaches
 * zero the form submits itself with whatever is selected (the server allows a short grace period
 * for the request to arrive). Grading happens on the server; this component never sees a key.
 *
 * A submission is final, so nothing submits by accident (issue 14 §1): Enter in an answer does
 * nothing (browsers otherwise submit a form from a radio button), Submit asks first while questions
 * are unanswered, and the answers are saved on the server as they are picked (a draft in the
 * attempt's row, PUT to the attempt) so a reload, or another device, does not lose them.
 */
export function AttemptForm({ view, serverNow }: { view: AttemptView; serverNow: number }) {
  const router = useRouter();
  // The deadline is in server time; a client clock that runs behind would submit too late. The
  // offset is measured when the page loads (page latency makes it err towards submitting early).
  const [clockOffset] = useState(() => serverNow - Date.now());
  const [answers, setAnswers] = useState<Answers>(() => view.draft);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; issues?: { path: string; message: string }[] } | null>(null);
  const [now, setNow] = useState(() => serverNow);
  const [confirming, setConfirming] = useState(false);
  const [saveState, setSaveState] = useState<{ kind: "idle" | "saving" | "saved" } | { kind: "failed"; message: string }>({ kind: "idle" });
  // Only answers the student changed are saved (the first ones came from the saved draft).
  const changed = useRef(false);
  const confirmDialog = useRef<HTMLDialogElement>(null);
  const submitted = useRef(false);
  /** The draft save on its way, which a submit waits for: else the save lands after the submit and is refused (409). */
  const saving = useRef<Promise<unknown> | null>(null);
  const answersRef = useRef(answers);
  answersRef.current = answers;

  const deadline = view.deadlineAt ? new Date(view.deadlineAt).getTime() : null;

  useEffect(() => {
    if (!changed.current) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      // The submit carries these answers itself.
      if (submitted.current) return;
      setSaveState({ kind: "saving" });
      try {
        const request = fetch(`/api/quizzes/${view.quizId}/attempts/${view.attemptId}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ answers }),
          signal: controller.signal,
        });
        saving.current = request.catch(() => undefined);
        const res = await request;
        if (submitted.current) return;
        if (res.ok) return setSaveState({ kind: "saved" });
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        setSaveState({ kind: "failed", message: body.error ?? `The server answered ${res.status}.` });
        // Submitted elsewhere or out of time: the server has changed the attempt; show it as it is.
        if (res.status === 409) router.refresh();
      } catch (e) {
        if (controller.signal.aborted) return;
        setSaveState({ kind: "failed", message: e instanceof Error ? e.message : String(e) });
      }
    }, SAVE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [answers, router, view.attemptId, view.quizId]);

  useEffect(() => {
    const dialog = confirmDialog.current;
    if (!dialog) return;
    if (confirming && !dialog.open) dialog.showModal();
    if (!confirming && dialog.open) dialog.close();
  }, [confirming]);

  const submit = useCallback(async () => {
    if (submitted.current) return;
    submitted.current = true;
    setConfirming(false);
    setPending(true);
    setError(null);
    try {
      await saving.current;
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
      // The result replaces this form; it brings the score into view (see ScoreSummary).
      markJustSubmitted(view.attemptId);
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
  const unanswered = view.questions.length - answered;

  function toggle(questionId: string, choiceId: string, single: boolean) {
    changed.current = true;
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
        if (unanswered > 0) setConfirming(true);
        else void submit();
      }}
      onKeyDown={(e) => {
        // Enter in a radio button or checkbox would submit the whole attempt (implicit submission).
        if (e.key === "Enter" && e.target instanceof HTMLInputElement) e.preventDefault();
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
        <span className={`text-sm ${saveState.kind === "failed" ? "text-red-700" : "text-slate-600"}`} data-testid="draft-status" role="status">
          {saveState.kind === "saving" && "Saving…"}
          {saveState.kind === "saved" && "Answers saved"}
          {saveState.kind === "failed" && `Not saved: ${saveState.message}`}
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
          Once submitted, an attempt is final. {unanswered > 0 && `${unanswered} unanswered.`}
        </span>
      </div>

      <dialog
        ref={confirmDialog}
        aria-labelledby="confirm-submit-title"
        aria-describedby="confirm-submit-text"
        onClose={() => setConfirming(false)}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl bg-white p-6 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
      >
        <h2 id="confirm-submit-title" className="text-lg font-semibold">
          Submit with {questionsWord(unanswered)} unanswered?
        </h2>
        <p id="confirm-submit-text" className="mt-2 text-slate-700">
          You have answered {answered} of {questionsWord(view.questions.length)}. Unanswered questions score
          nothing, and once submitted this attempt is final.
        </p>
        <div className="mt-5 flex flex-wrap justify-end gap-3">
          {/* First and focused: the safe choice is the one a stray Enter or Space picks. */}
          <button
            type="button"
            autoFocus
            onClick={() => setConfirming(false)}
            className="rounded-lg px-4 py-2 font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Keep answering
          </button>
          <button
            type="button"
            onClick={() => void submit()}
            className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Submit anyway
          </button>
        </div>
      </dialog>
    </form>
  );
}
