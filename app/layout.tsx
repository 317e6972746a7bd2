import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { getCurrentUser, type CurrentUser } from "@/app/_lib/auth/session";
import { getDb } from "@/db";
import { listMyCourses } from "@/db/queries/courses/my-courses";
import { SignOutButton } from "@/app/_components/sign-out-button";

export const metadata: Metadata = {
  title: { default: "Tensorgrade", template: "%s · Tensorgrade" },
  description: "Learn image classification and transfer learning, and get your models graded.",
};

// Every page depends on who is signed in: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

type NavLink = { href: string; label: string };

/**
 * The signed-in user's links, built from their courses: with one course, its page, each lesson and
 * each assignment; with several, each course's page (its lessons and assignments are listed there).
 * Instructors also get their dashboard and the quiz statistics.
 */
async function navLinks(user: CurrentUser): Promise<NavLink[]> {
  const mine = await listMyCourses(await getDb(), user.id);
  const links: NavLink[] = [];
  if (mine.length === 1) {
    const c = mine[0]!;
    const base = `/courses/${c.slug}`;
    links.push({ href: base, label: "Course" });
    for (const l of c.lessons) links.push({ href: `${base}/lessons/${l.number}`, label: `Lesson ${l.number}` });
    for (const a of c.assignments) links.push({ href: `${base}/assignments/${a.number}`, label: `Assignment ${a.number}` });
    links.push({ href: `${base}/datasets`, label: "My datasets" });
  } else {
    links.push(...(mine.length === 0 ? [{ href: "/courses", label: "Join a course" }] : mine.map((c) => ({ href: `/courses/${c.slug}`, label: c.title }))));
  }
  if (user.role === "instructor") {
    links.push({ href: "/instructor", label: "Instructor" }, { href: "/instructor/quizzes", label: "Quiz statistics" });
  }
  return links;
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  const links = user ? await navLinks(user) : [];
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-3">
            <Link href="/" className="mr-4 text-lg font-semibold text-slate-900 no-underline">
              Tensor<span className="text-brand-600">grade</span>
            </Link>
            {links.map((l) => (
              <Link key={l.href} href={l.href} className="text-sm text-slate-700">
                {l.label}
              </Link>
            ))}
            <span className="ml-auto flex items-center gap-3 text-sm">
              {user ? (
                <>
                  <span data-testid="signed-in-as" className="text-slate-600">
                    {user.name} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{user.role}</span>
                  </span>
                  <SignOutButton />
                </>
              ) : (
                <>
                  <Link href="/signin">Sign in</Link>
                  <Link href="/signup">Create account</Link>
                </>
              )}
            </span>
          </nav>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
