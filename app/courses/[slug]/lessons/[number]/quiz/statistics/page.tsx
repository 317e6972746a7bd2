import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import "@/app/lessons/lesson.css";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { requireCourseInstructor, urlNumberSchema } from "@/app/_lib/auth/course-access";
import { findLessonQuizForUser, type LessonQuiz } from "@/db/queries/quiz/find-lesson-quiz";
import { quizStatistics } from "@/domain/quiz/quiz-statistics";
import { bestScores } from "@/db/queries/quiz/best-scores";
import { QuizMarkdown } from "@/app/lessons/_quiz/quiz-markdown";
import { markdownSummary } from "@/app/_lib/text/markdown-summary";
import { Card } from "@/app/_components/ui/card";
import { DataTable } from "@/app/_components/ui/data-table";

export const metadata: Metadata = { title: "Quiz statistics" };

const searchSchema = z.object({ attempts: z.enum(["all", "first"]).catch("all") });

const percent = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)}%`);
const signed = (x: number | null) => (x === null ? "–" : x.toFixed(2));

/** How to read a discrimination index; bands as commonly used in classical item analysis. */
function discriminationNote(d: number | null): { text: string; cls: string } {
  if (d === null) return { text: "too few attempts", cls: "text-slate-500" };
  if (d < 0) return { text: "negative: check the key", cls: "text-red-700" };
  if (d < 0.2) return { text: "weak", cls: "text-amber-700" };
  if (d < 0.4) return { text: "fair", cls: "text-slate-700" };
  return { text: "good", cls: "text-green-700" };
}

/**
 * Item analysis in the manner of Moodle's quiz statistics: facility, discrimination index (top vs
 * bottom third) and the distribution of chosen options per question, plus each student's best
 * score and a CSV export.
 */
export default async function QuizStatisticsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; number: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, number } = await params;
  const { user, course } = await requireCourseInstructor(slug, `/courses/${slug}/lessons/${number}/quiz/statistics`);
  const lessonNumber = urlNumberSchema.safeParse(number);
  if (!lessonNumber.success) notFound();
  const { attempts } = searchSchema.parse(await searchParams);
  const db = await getDb();
  let quiz: LessonQuiz;
  try {
    quiz = await findLessonQuizForUser(db, { userId: user.id, role: "instructor", lessonNumber: lessonNumber.data, courseId: course.id });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const quizId = quiz.id;
  const [stats, students] = await Promise.all([
    quizStatistics(db, { quizId, firstAttemptsOnly: attempts === "first" }),
    bestScores(db, quizId),
  ]);

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">
          <Link href="/instructor/quizzes">Quiz statistics</Link> · {course.title} · Lesson {quiz.lessonNumber}
        </p>
        <h1 className="text-3xl font-bold">{quiz.title}</h1>
      </div>

      <Card className="flex flex-wrap items-center gap-6" aria-label="Summary">
        <div>
          <p className="text-sm text-slate-500">Graded attempts</p>
          <p className="text-2xl font-bold" data-testid="stats-attempts">{stats.attemptCount}</p>
        </div>
        <div>
          <p className="text-sm text-slate-500">Students</p>
          <p className="text-2xl font-bold">{stats.studentCount}</p>
        </div>
        <div>
          <p className="text-sm text-slate-500">Mean score</p>
          <p className="text-2xl font-bold">{percent(stats.meanFraction)}</p>
        </div>
        <nav className="ml-auto flex gap-3 text-sm" aria-label="Which attempts">
          <Link href="?attempts=all" aria-current={attempts === "all" ? "page" : undefined} className={attempts === "all" ? "font-bold" : ""}>
            All attempts
          </Link>
          <Link href="?attempts=first" aria-current={attempts === "first" ? "page" : undefined} className={attempts === "first" ? "font-bold" : ""}>
            First attempts only
          </Link>
        </nav>
      </Card>

      <section aria-labelledby="items-heading">
        <h2 id="items-heading" className="text-xl font-semibold">Questions</h2>
        <p className="mt-1 text-sm text-slate-600">
          <strong>Facility</strong>: mean credit of the attempts that drew the question (higher is easier).{" "}
          <strong>Discrimination</strong>: mean credit of the top third of those attempts (by total score) minus the
          bottom third; near 0 or negative means the question does not separate strong from weak students.
        </p>
        <Card as="div" padding="none" className="mt-3">
          <DataTable
            data-testid="item-statistics"
            label="Questions"
            rows={stats.questions}
            rowKey={(q) => q.questionId}
            rowProps={(q) => ({ "data-question-id": q.questionId })}
            columns={[
              {
                header: "Question",
                className: "max-w-md min-w-60",
                cell: (q) => (
                  <>
                    {/* The question in words first; the bank id (what the CSV and stored answers use) beneath it. */}
                    <p className="text-slate-900">{markdownSummary(q.prompt)}</p>
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-slate-600">
                        <span className="font-mono">{q.questionId}</span> · whole question
                      </summary>
                      <div className="mt-2 text-sm">
                        <QuizMarkdown markdown={q.prompt} />
                      </div>
                    </details>
                  </>
                ),
              },
              { header: "Topic", className: "text-slate-600", cell: (q) => q.topic },
              { header: "Attempts", numeric: true, cell: (q) => q.attempts },
              { header: "Facility", numeric: true, cell: (q) => <span data-testid="facility">{percent(q.facility)}</span> },
              {
                header: "Discrimination",
                cell: (q) => {
                  const note = discriminationNote(q.discrimination);
                  return (
                    <>
                      <span data-testid="discrimination">{signed(q.discrimination)}</span> <span className={`text-xs ${note.cls}`}>{note.text}</span>
                    </>
                  );
                },
              },
              {
                header: "Chosen options",
                className: "min-w-56",
                cell: (q) => (
                  <ul className="space-y-1">
                    {q.options.map((o) => {
                      const text = q.choices.find((c) => c.id === o.choiceId)?.text ?? o.choiceId;
                      return (
                        <li key={o.choiceId} className="grid grid-cols-[1fr_auto] items-center gap-x-2">
                          <span className={`col-span-2 text-xs ${o.correct ? "font-semibold text-green-800" : "text-slate-800"}`}>
                            <QuizMarkdown markdown={text} inline />
                            {o.correct && <span className="sr-only"> (correct)</span>}{" "}
                            <span className="font-mono text-slate-500" title="choice id in the bank">
                              ({o.choiceId})
                            </span>
                          </span>
                          <span className="relative h-3 w-28 overflow-hidden rounded bg-slate-100" aria-hidden>
                            <span
                              className={`absolute inset-y-0 left-0 ${o.correct ? "bg-green-500" : "bg-slate-400"}`}
                              style={{ width: `${o.proportion * 100}%` }}
                            />
                          </span>
                          <span className="text-xs text-slate-700">
                            {o.count} ({percent(o.proportion)})
                          </span>
                        </li>
                      );
                    })}
                    {q.unanswered > 0 && <li className="text-xs text-slate-500">{q.unanswered} left blank</li>}
                  </ul>
                ),
              },
            ]}
          />
        </Card>
      </section>

      <section aria-labelledby="students-heading">
        <div className="flex items-center gap-4">
          <h2 id="students-heading" className="text-xl font-semibold">Students' best scores</h2>
          <a href={`/api/quizzes/${quiz.id}/scores.csv`} className="text-sm" download>
            Download CSV
          </a>
        </div>
        <Card as="div" padding="none" className="mt-3">
          <DataTable
            data-testid="best-scores"
            label="Students' best scores"
            layout="cards"
            rows={students}
            rowKey={(st) => st.userId}
            columns={[
              {
                header: "Student",
                cell: (st) => (
                  <span className="[overflow-wrap:anywhere]">
                    {st.name} <span className="text-slate-500">{st.email}</span>
                  </span>
                ),
              },
              { header: "Attempts", numeric: true, cell: (st) => st.attempts },
              { header: "Best score", numeric: true, cell: (st) => (st.bestScore === null ? "–" : `${Math.round(st.bestScore * 100) / 100} / ${st.maxScore}`) },
              { header: "Last submitted", cell: (st) => st.lastSubmittedAt?.toUTCString() ?? "–" },
            ]}
          />
        </Card>
      </section>
    </div>
  );
}
