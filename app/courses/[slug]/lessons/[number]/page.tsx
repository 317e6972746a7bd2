import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import "highlight.js/styles/github.css";
import "@/app/lessons/lesson.css";
import { requireCourse } from "@/app/_lib/auth/course-access";
import { getDb } from "@/db";
import { courseOutline } from "@/db/queries/courses/course-outline";
import { findLesson } from "@/app/lessons/_components/find-lesson";
import { LessonBlock } from "@/app/lessons/_components/lesson-block";
import { Card } from "@/app/_components/ui/card";

type Params = { params: Promise<{ slug: string; number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lesson = await findLesson((await params).number);
  return { title: lesson ? `Lesson ${lesson.number}: ${lesson.title}` : "Lesson not found" };
}

/** A lesson: table of contents, then each section with its Markdown, examples and figures. */
export default async function LessonPage({ params }: Params) {
  const { slug, number } = await params;
  const { course } = await requireCourse(slug, `/courses/${slug}/lessons/${number}`);
  const lesson = await findLesson(number);
  // The text is read from assignments/lesson-<n>/; the course shows only the lessons registered for it.
  const outline = await courseOutline(await getDb(), course.id);
  if (!lesson || !outline.lessons.some((l) => l.number === lesson.number)) notFound();
  const hasAssignment = outline.assignments.some((a) => a.number === lesson.number);
  const coursePath = `/courses/${course.slug}`;
  return (
    <div className="xl:grid xl:grid-cols-[12rem_minmax(0,1fr)] xl:gap-8">
      <nav aria-label="Table of contents" className="mb-8 xl:sticky xl:top-6 xl:mb-0 xl:self-start">
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">On this page</p>
        <ol className="mt-3 space-y-2 text-sm">
          {lesson.sections.map((s, i) => (
            <li key={s.id}>
              <a href={`#${s.id}`} className="text-slate-700">
                {i + 1}. {s.title}
              </a>
            </li>
          ))}
          <li className="pt-2">
            <Link href={`/lessons/${lesson.number}/quiz`} className="font-semibold">
              Take the quiz →
            </Link>
          </li>
        </ol>
      </nav>
      <article className="min-w-0">
        <header className="mb-8">
          <p className="text-sm uppercase tracking-wide text-slate-500">Lesson {lesson.number}</p>
          <h1 className="text-3xl font-bold">{lesson.title}</h1>
          <p className="mt-3 text-lg text-slate-700">{lesson.summary}</p>
          <div className="mt-4 rounded-lg bg-brand-50 p-4">
            <p className="font-semibold">By the end of this lesson you can:</p>
            <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-800">
              {lesson.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </div>
        </header>
        {lesson.sections.map((section, i) => (
          <section key={section.id} id={section.id} aria-labelledby={`${section.id}-heading`} className="mb-12 scroll-mt-4">
            <h2 id={`${section.id}-heading`} className="mb-4 border-b border-slate-200 pb-2 text-2xl font-semibold">
              <a href={`#${section.id}`} className="text-slate-900 no-underline hover:underline">
                {i + 1}. {section.title}
              </a>
            </h2>
            {section.blocks.map((block, j) => (
              <LessonBlock key={j} block={block} />
            ))}
          </section>
        ))}
        <Card as="footer">
          <p className="font-semibold">Ready?</p>
          <div className="mt-2 flex flex-wrap gap-4">
            <Link href={`${coursePath}/lessons/${lesson.number}/quiz`}>Take the Lesson {lesson.number} quiz</Link>
            {hasAssignment && <Link href={`${coursePath}/assignments/${lesson.number}`}>Go to Assignment {lesson.number}</Link>}
          </div>
        </Card>
      </article>
    </div>
  );
}
