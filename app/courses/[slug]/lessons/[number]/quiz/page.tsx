import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import "@/app/lessons/lesson.css";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { requireCourse, urlNumberSchema } from "@/app/_lib/auth/course-access";
import { findLessonQuizForUser, type LessonQuiz } from "@/db/queries/quiz/find-lesson-quiz";
import { listMyAttempts } from "@/domain/quiz/list-my-attempts";
import { StartAttemptButton } from "@/app/lessons/_quiz/start-attempt-button";
import { Card } from "@/app/_components/ui/card";
import { TableCard } from "@/app/_components/ui/table-card";

export const metadata: Metadata = { title: "Quiz" };

/** The quiz's landing page: its rules, the student's attempts so far, and a button to start or resume. */
export default async function QuizPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const lessonPath = `/courses/${slug}/lessons/${number}`;
  const { user, course } = await requireCourse(slug, `${lessonPath}/quiz`);
  const lessonNumber = urlNumberSchema.safeParse(number);
  if (!lessonNumber.success) notFound();
  const db = await getDb();
  let quiz: LessonQuiz;
  try {
    quiz = await findLessonQuizForUser(db, { userId: user.id, lessonNumber: lessonNumber.data, courseId: course.id });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return (
      <Card as="div" padding="lg">
        <h1 className="text-2xl font-bold">Lesson {lessonNumber.data} quiz</h1>
        <p className="mt-2 text-slate-700">{error.message}</p>
        <Link href={`/courses/${course.slug}`} className="mt-4 inline-block">
          Go to the course page
        </Link>
      </Card>
    );
  }
  const attempts = await listMyAttempts(db, { quizId: quiz.id, userId: user.id });
  const open = attempts.find((a) => a.submittedAt === null);
  const used = attempts.length;
  const left = quiz.settings.attemptsAllowed - used;
  const perAttempt = Object.values(quiz.settings.questionsPerTopic).reduce((a, b) => a + b, 0);
  const best = attempts.reduce<number | null>((b, a) => (a.score !== null && (b === null || a.score > b) ? a.score : b), null);

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">
          <Link href={lessonPath}>Lesson {quiz.lessonNumber}</Link> · Quiz
        </p>
        <h1 className="text-3xl font-bold">{quiz.title}</h1>
      </div>
      <Card aria-label="Rules">
        <ul className="grid gap-3 text-slate-800 sm:grid-cols-2">
          <li>
            <strong>{perAttempt} questions</strong> per attempt, drawn at random from the question bank for each attempt
          </li>
          <li>
            <strong>{quiz.settings.timeLimitMinutes === null ? "No time limit" : `${quiz.settings.timeLimitMinutes} minutes`}</strong>
            {quiz.settings.timeLimitMinutes !== null && " per attempt; the attempt submits itself when time runs out"}
          </li>
          <li>
            <strong>
              {quiz.settings.attemptsAllowed} attempt{quiz.settings.attemptsAllowed === 1 ? "" : "s"}
            </strong>{" "}
            allowed; your best score counts
          </li>
          <li>
            Answers and explanations are shown{" "}
            <strong>
              {quiz.settings.showAnswers === "after-attempt"
                ? "as soon as you submit"
                : `after the due date${quiz.dueAt ? ` (${quiz.dueAt.toUTCString()})` : ""}`}
            </strong>
          </li>
          <li className="sm:col-span-2 text-sm text-slate-600">
            Multiple-answer questions give partial credit: each right choice you tick earns its share, each wrong one
            costs its share, and the total never goes below zero.
          </li>
        </ul>
        <div className="mt-6">
          {open ? (
            <StartAttemptButton quizId={quiz.id} quizPath={`${lessonPath}/quiz`} label={`Continue attempt ${open.attemptNumber}`} />
          ) : left > 0 ? (
            <StartAttemptButton
              quizId={quiz.id}
              quizPath={`${lessonPath}/quiz`}
              label={used === 0 ? "Start the quiz" : `Start attempt ${used + 1} of ${quiz.settings.attemptsAllowed}`}
            />
          ) : (
            <p className="font-semibold text-slate-700">You have used all your attempts.</p>
          )}
        </div>
      </Card>

      {attempts.length > 0 && (
        <TableCard
          heading={<>Your attempts {best !== null && <span className="text-base font-normal text-slate-600">· best score {best}</span>}</>}
          label="Your attempts"
          layout="cards"
          rows={attempts}
          rowKey={(a) => a.id}
          columns={[
            { header: "#", label: "Attempt", numeric: true, cell: (a) => a.attemptNumber },
            { header: "Started", cell: (a) => a.startedAt.toUTCString() },
            { header: "Status", cell: (a) => (a.submittedAt ? "submitted" : "in progress") },
            { header: "Score", numeric: true, cell: (a) => (a.score === null ? "–" : `${Math.round(a.score * 100) / 100} / ${a.maxScore}`) },
            {
              header: <span className="sr-only">Open</span>,
              label: "",
              cell: (a) => <Link href={`${lessonPath}/quiz/attempts/${a.id}`}>{a.submittedAt ? "Review" : "Continue"}</Link>,
            },
          ]}
        />
      )}
    </div>
  );
}
