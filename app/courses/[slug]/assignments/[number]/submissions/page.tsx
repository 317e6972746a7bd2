import Link from "next/link";
import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourseInstructor } from "@/app/_lib/auth/course-access";
import { submissionStatusEnum } from "@/db/schema/enums";
import { listSubmissions, submissionFiltersSchema } from "@/db/queries/submissions/list-submissions";
import { RegradeAllButton } from "./regrade-all-button";
import { Card } from "@/app/_components/ui/card";
import { Button } from "@/app/_components/ui/button";
import { DataTable } from "@/app/_components/ui/data-table";
import { LongText } from "@/app/_components/ui/long-text";

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
    purpose: first(raw.purpose),
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
      <Card as="div" padding="sm">
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filters">
        <label className="text-sm">Student<input name="student" defaultValue={filters.student ?? ""} placeholder="name or email" className="mt-1 block rounded border border-slate-300 px-2 py-1" /></label>
        <label className="text-sm">Status
          <select name="status" defaultValue={filters.status ?? ""} className="mt-1 block rounded border border-slate-300 px-2 py-1">
            <option value="">any</option>
            {submissionStatusEnum.enumValues.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label className="text-sm">Kind of run
          <select name="purpose" defaultValue={filters.purpose} className="mt-1 block rounded border border-slate-300 px-2 py-1">
            <option value="graded">graded</option>
            <option value="practice">practice (own datasets, ungraded)</option>
            <option value="baseline">platform baseline</option>
            <option value="all">all</option>
          </select>
        </label>
        <label className="text-sm">Public score from<input name="minScore" inputMode="decimal" defaultValue={filters.minScore ?? ""} className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1" /></label>
        <label className="text-sm">to<input name="maxScore" inputMode="decimal" defaultValue={filters.maxScore ?? ""} className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1" /></label>
        <Button type="submit" size="sm">Filter</Button>
        <Link href={`${base}/submissions`} className="text-sm">Clear</Link>
      </form>
      </Card>
      <Card as="div" padding="none" data-testid="submissions">
        <DataTable
          label="Submissions"
          layout="cards"
          rows={rows}
          rowKey={(r) => r.id}
          empty={<p className="p-3 text-slate-500">No submission matches these filters.</p>}
          columns={[
            { header: "Submitted", cell: (r) => <Link href={`/submissions/${r.id}`}>{r.createdAt.toUTCString()}</Link> },
            { header: "Student", cell: (r) => <span className="[overflow-wrap:anywhere]">{r.studentName}<span className="block text-xs text-slate-500">{r.studentEmail}</span></span> },
            {
              header: "What",
              cell: (r) => (
                <span className="[overflow-wrap:anywhere]">
                  {r.name ?? r.kind}
                  {r.purpose !== "graded" ? <span className="block text-xs font-medium text-amber-800">{r.purpose === "practice" ? "Practice run — ungraded" : "Platform baseline — ungraded"}</span> : null}
                </span>
              ),
            },
            { header: "Public", numeric: true, cell: (r) => r.publicScore?.toFixed(1) ?? "—" },
            { header: "Private", numeric: true, cell: (r) => r.privateScore?.toFixed(1) ?? "—" },
            { header: "Run", numeric: true, cell: (r) => r.run },
            {
              header: "Status",
              cell: (r) => (
                <div className="min-w-0">
                  {r.status}
                  {r.errorMessage && r.status !== "succeeded" ? <LongText text={r.errorMessage} limit={60} className="block text-xs text-slate-600" /> : null}
                </div>
              ),
            },
          ]}
        />
      </Card>
      <nav className="flex gap-4 text-sm" aria-label="Submission pages">
        {cursor && <Link href={`${base}/submissions${query(null)}`}>Newest</Link>}
        {nextCursor && <Link href={`${base}/submissions${query(nextCursor)}`} data-testid="next-page">Older submissions</Link>}
      </nav>
    </div>
  );
}
