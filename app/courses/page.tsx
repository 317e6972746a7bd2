import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { requireUser } from "@/app/_lib/auth/session";
import { listMyCourses } from "@/db/queries/courses/my-courses";
import { JoinCourseForm } from "@/app/courses/join/join-form";
import { Card, CardTitle } from "@/app/_components/ui/card";

export const metadata = { title: "Your courses" };

/**
 * Where signing in and "Go to the course" lead: the user's one course, a list when there are
 * several, or the join form when there is none yet.
 */
export default async function CoursesPage() {
  const user = await requireUser("/courses");
  const mine = await listMyCourses(await getDb(), user.id);
  if (mine.length === 1) redirect(`/courses/${mine[0]!.slug}`);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Your courses</h1>
      {mine.length > 0 && (
        <ul className="space-y-2">
          {mine.map((c) => (
            <li key={c.id}>
              <Card as="div" padding="sm">
                <Link href={`/courses/${c.slug}`} className="font-semibold">{c.title}</Link>
                <span className="ml-2 text-sm text-slate-600">{c.role}</span>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Card padding="lg">
        <CardTitle>Join a course</CardTitle>
        <p className="mt-2 text-slate-600">
          {mine.length === 0 ? "You are not enrolled in a course yet. " : ""}Enter the join code your instructor shared.
        </p>
        <JoinCourseForm />
      </Card>
    </div>
  );
}
