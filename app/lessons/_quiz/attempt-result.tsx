import type { AttemptView } from "@/domain/quiz/attempt-view";
import { QuizMarkdown } from "./quiz-markdown";
import { ScoreSummary } from "./score-summary";

const pct = (score: number, max: number) => (max > 0 ? Math.round((score / max) * 1000) / 10 : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The review's mark for a choice, in the shape the question was answered with: a round radio mark for a
 * single-answer question, a square checkbox mark for a multiple-answer one (a student who picked one
 * answer should not be shown boxes that suggest several were allowed). Decorative: "your answer"
 * beside it says the same in words.
 */
function ChoiceMark({ single, chosen }: { single: boolean; chosen: boolean }) {
  return (
    <span
      aria-hidden
      data-mark={single ? "radio" : "checkbox"}
      className={`mt-1 inline-flex h-4 w-4 shrink-0 items-center justify-center border-2 border-slate-500 ${single ? "rounded-full" : "rounded-sm"} ${chosen && !single ? "bg-slate-700" : ""}`}
    >
      {chosen && (single ? <span className="h-2 w-2 rounded-full bg-slate-700" /> : <span className="text-[10px] leading-none text-white">✓</span>)}
    </span>
  );
}

/** A submitted attempt: the score, each answer with its credit and, once released, the key and explanations. */
export function AttemptResult({ view }: { view: AttemptView }) {
  const score = view.score ?? 0;
  return (
    <div className="space-y-6">
      <ScoreSummary attemptId={view.attemptId} labelledBy="attempt-score">
        <p className="text-sm uppercase tracking-wide text-slate-500">
          Attempt {view.attemptNumber} of {view.attemptsAllowed} · submitted{" "}
          {view.submittedAt ? new Date(view.submittedAt).toUTCString() : ""}
        </p>
        <p className="mt-1 text-3xl font-bold" id="attempt-score" data-testid="attempt-score">
          {round2(score)} / {view.maxScore} <span className="text-xl font-semibold text-slate-600">({pct(score, view.maxScore)}%)</span>
        </p>
        {view.expired && (
          <p className="mt-2 text-red-700">The time limit passed before this attempt was submitted, so it was closed with no answers.</p>
        )}
        {!view.answersReleased && view.answersReleaseAt && (
          <p className="mt-2 text-slate-700" data-testid="answers-held-back">
            Correct answers and explanations will be shown after {new Date(view.answersReleaseAt).toUTCString()}.
          </p>
        )}
      </ScoreSummary>

      {!view.expired && (
        <ol className="space-y-5">
          {view.questions.map((q, i) => {
            const result = q.result;
            const credit = result?.credit ?? 0;
            const badge =
              credit === 1
                ? { text: "correct", cls: "bg-green-100 text-green-800" }
                : credit > 0
                  ? { text: `partly correct (${Math.round(credit * 100)}%)`, cls: "bg-amber-100 text-amber-800" }
                  : { text: (result?.selected.length ?? 0) === 0 ? "not answered" : "incorrect", cls: "bg-red-100 text-red-800" };
            return (
              <li key={q.id} className="rounded-xl bg-white p-5 ring-1 ring-slate-200" data-testid="result-question" data-question-id={q.id}>
                <div className="mb-2 flex flex-wrap items-center gap-3">
                  <span className="text-sm font-semibold text-slate-500">Question {i + 1}</span>
                  <span className={`rounded px-2 py-0.5 text-xs font-semibold ${badge.cls}`}>{badge.text}</span>
                  <span className="text-sm text-slate-600">
                    {round2(credit * q.points)} / {q.points}
                  </span>
                </div>
                <QuizMarkdown markdown={q.prompt} />
                <ul className="mt-3 space-y-1.5">
                  {q.choices.map((c) => {
                    const chosen = result?.selected.includes(c.id) ?? false;
                    const right = result?.correct?.includes(c.id);
                    const tone =
                      right === true ? "ring-green-400 bg-green-50" : chosen && right === false ? "ring-red-300 bg-red-50" : "ring-slate-200";
                    return (
                      <li key={c.id} className={`flex items-start gap-2 rounded-lg px-3 py-1.5 ring-1 ${tone}`}>
                        <ChoiceMark single={q.kind === "single"} chosen={chosen} />
                        {/* min-w-0: a long word or inline code in a choice wraps instead of pushing the label off a phone's screen. */}
                        <span className="min-w-0 flex-1 [overflow-wrap:anywhere]">
                          <QuizMarkdown markdown={c.text} inline />
                        </span>
                        <span className="shrink-0 text-xs text-slate-600">
                          {chosen && "your answer"}
                          {chosen && right !== undefined && " · "}
                          {right === true && "correct"}
                        </span>
                      </li>
                    );
                  })}
                </ul>
                {result?.explanation && (
                  <div className="mt-3 rounded-lg bg-slate-50 p-3 text-sm" data-testid="question-explanation">
                    <p className="font-semibold">Why</p>
                    <QuizMarkdown markdown={result.explanation} />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
