import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import "@/app/lessons/lesson.css";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { requireUser } from "@/app/_lib/auth/session";
import type { AttemptView } from "@/domain/quiz/attempt-view";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";
import { AttemptForm } from "@/app/lessons/_quiz/attempt-form";
import { AttemptResult } from "@/app/lessons/_quiz/attempt-result";

export const metadata: Metadata = { title: "Quiz attempt" };

/**
 * One attempt. Open: the questions (no answer key is read for an open attempt, see getAttemptView).
 * Submitted: the graded result.
 */
export default async function AttemptPage({ params }: { params: Promise<{ slug: string; number: string; attemptId: string }> }) {
  const { slug, number, attemptId } = await params;
  const quizPath = `/courses/${slug}/lessons/${number}/quiz`;
  const user = await requireUser(`${quizPath}/attempts/${attemptId}`);
  if (!z.string().uuid().safeParse(attemptId).success) notFound();
  let view: AttemptView;
  try {
    view = await getAttemptView(await getDb(), { attemptId, userId: user.id });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">
          <Link href={quizPath}>Quiz</Link> · attempt {view.attemptNumber}
        </p>
        <h1 className="text-2xl font-bold">{view.quizTitle}</h1>
      </div>
      {view.status === "open" ? <AttemptForm view={view} serverNow={Date.now()} /> : <AttemptResult view={view} />}
      {view.status === "submitted" && (
        <p>
          <Link href={quizPath}>Back to the quiz</Link>
        </p>
      )}
    </div>
  );
}
