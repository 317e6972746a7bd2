import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { getCurrentUser } from "@/app/_lib/auth/session";
import { SignOutButton } from "@/app/_components/sign-out-button";

export const metadata: Metadata = {
  title: { default: "Tensorgrade", template: "%s · Tensorgrade" },
  description: "Learn image classification and transfer learning, and get your models graded.",
};

// Every page depends on who is signed in: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

const STUDENT_LINKS = [
  { href: "/courses/cv-fundamentals", label: "Course" },
  { href: "/lessons/6", label: "Lesson 6" },
  { href: "/lessons/6/quiz", label: "Quiz" },
  { href: "/assignments/6", label: "Assignment 6" },
  { href: "/assignments/6/leaderboard", label: "Leaderboard" },
];

const INSTRUCTOR_LINKS = [
  { href: "/instructor", label: "Instructor" },
  { href: "/instructor/quizzes", label: "Quiz statistics" },
  { href: "/instructor/submissions", label: "Submissions" },
  { href: "/instructor/gradebook", label: "Gradebook" },
  { href: "/instructor/datasets", label: "Datasets" },
];

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  const links = user ? [...STUDENT_LINKS, ...(user.role === "instructor" ? INSTRUCTOR_LINKS : [])] : [];
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
