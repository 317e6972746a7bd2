import Link from "next/link";
import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourseInstructor } from "@/app/_lib/auth/course-access";
import { submissionStatusEnum } from "@/db/schema/enums";
import { listSubmissions, submissionFiltersSchema } from "@/db/queries/submissions/list-submissions";
import { RegradeAllButton } from "./regrade-all-button";

export const metadata = { title: "Submissions" };

/**
 * Every submission to one assignment, filterable by student, status and score; for the instructors
 * of its course only (403 otherwise).
 */
export default async function InstructorSubmissionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; number: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, number } = await params;
  const base = `/courses/${slug}/assignments/${number}`;
  const { course } = await requireCourseInstructor(slug, `${base}/submissions`);
  const assignment = await courseAssignmentOr404(course, number);
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const filters = submissionFiltersSchema.parse({
    student: first(raw.student),
    status: first(raw.status),
    minScore: first(raw.minScore),
    maxScore: first(raw.maxScore),
  });
  const db = await getDb();
  const cursor = first(raw.after) ?? null;
  const { rows, nextCursor } = await listSubmissions(db, assignment.id, { filters, cursor });
  // The next page keeps the filters; only the cursor changes.
  const query = (after: string | null) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== undefined) q.set(k, String(v));
    if (after) q.set("after", after);
    const text = q.toString();
    return text ? `?${text}` : "";
  };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <p className="text-sm text-slate-500">Assignment {assignment.number}</p>
          <h1 className="text-3xl font-bold">All submissions</h1>
        </div>
        <span className="ml-auto flex items-center gap-4">
          <Link href={`${base}/leaderboard`}>Leaderboard</Link>
          <Link href={`${base}/gradebook`}>Gradebook</Link>
          <Link href={`${base}/datasets`}>Datasets</Link>
          <RegradeAllButton assignmentId={assignment.id} />
        </span>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-label="Filters">
        <label className="text-sm">Student<input name="student" defaultValue={filters.student ?? ""} placeholder="name or email" className="mt-1 block rounded border border-slate-300 px-2 py-1" /></label>
        <label className="text-sm">Status
          <select name="status" defaultValue={filters.status ?? ""} className="mt-1 block rounded border border-slate-300 px-2 py-1">
            <option value="">any</option>
            {submissionStatusEnum.enumValues.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label className="text-sm">Public score from<input name="minScore" inputMode="decimal" defaultValue={filters.minScore ?? ""} className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1" /></label>
        <label className="text-sm">to<input name="maxScore" inputMode="decimal" defaultValue={filters.maxScore ?? ""} className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1" /></label>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">Filter</button>
        <Link href={`${base}/submissions`} className="text-sm">Clear</Link>
      </form>
      <table className="w-full rounded-xl bg-white text-left text-sm ring-1 ring-slate-200" data-testid="submissions">
        <thead className="text-slate-500">
          <tr><th className="p-2">Submitted</th><th className="p-2">Student</th><th className="p-2">What</th><th className="p-2">Status</th><th className="p-2">Run</th><th className="p-2">Public</th><th className="p-2">Private</th></tr>
        </thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={7} className="p-3 text-slate-500">No submission matches these filters.</td></tr>}
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100">
              <td className="p-2"><Link href={`/submissions/${r.id}`}>{r.createdAt.toUTCString()}</Link></td>
              <td className="p-2">{r.studentName}<span className="block text-xs text-slate-500">{r.studentEmail}</span></td>
              <td className="p-2">{r.name ?? r.kind}</td>
              <td className="p-2">{r.status}{r.errorMessage && r.status !== "succeeded" ? <span className="block max-w-xs truncate text-xs text-slate-500" title={r.errorMessage}>{r.errorMessage}</span> : null}</td>
              <td className="p-2">{r.run}</td>
              <td className="p-2 tabular-nums">{r.publicScore?.toFixed(1) ?? "—"}</td>
              <td className="p-2 tabular-nums">{r.privateScore?.toFixed(1) ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="flex gap-4 text-sm" aria-label="Submission pages">
        {cursor && <Link href={`${base}/submissions${query(null)}`}>Newest</Link>}
        {nextCursor && <Link href={`${base}/submissions${query(nextCursor)}`} data-testid="next-page">Older submissions</Link>}
      </nav>
    </div>
  );
}
