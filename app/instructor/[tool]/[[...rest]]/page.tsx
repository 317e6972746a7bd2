import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { requireInstructor } from "@/app/_lib/auth/session";
import { queryOf } from "@/app/_lib/http/legacy-redirect";
import { listMyCourses } from "@/db/queries/courses/my-courses";

const MOVED_TOOLS = new Set(["submissions", "gradebook", "datasets"]);

type Props = { params: Promise<{ tool: string; rest?: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * `/instructor/{submissions,gradebook,datasets}` were Assignment 6's; they are per assignment now
 * (`/courses/<slug>/assignments/<n>/…`). When the instructor teaches exactly one assignment this
 * goes to its page; otherwise to the dashboard, which lists each assignment's pages.
 */
export default async function MovedInstructorPage({ params, searchParams }: Props) {
  const { tool, rest } = await params;
  if (!MOVED_TOOLS.has(tool)) notFound();
  const user = await requireInstructor(`/instructor/${tool}`);
  const taught = (await listMyCourses(await getDb(), user.id))
    .filter((c) => c.role === "instructor")
    .flatMap((c) => c.assignments.map((a) => `/courses/${c.slug}/assignments/${a.number}`));
  if (taught.length !== 1) redirect("/instructor");
  const tail = [tool, ...(rest ?? [])].map(encodeURIComponent).join("/");
  redirect(`${taught[0]}/${tail}${queryOf(await searchParams)}`);
}
