import Link from "next/link";
import type { SubmissionListRow } from "@/db/queries/submissions/list-submissions";
import { DataTable, type Column } from "@/app/_components/ui/data-table";
import { LongText } from "@/app/_components/ui/long-text";

/**
 * A student's submissions to the assignment, newest first, each with "submit again from this one".
 * A refusal's reasons are clipped behind "more", and on a phone each submission is a card, so a
 * long message never pushes the score out of view (issue 14 §8).
 */
export function SubmissionHistory({ rows, assignmentPath, showPrivate }: { rows: SubmissionListRow[]; assignmentPath: string; showPrivate: boolean }) {
  const columns: Column<SubmissionListRow>[] = [
    { header: "Submitted", cell: (r) => <Link href={`/submissions/${r.id}`}>{r.createdAt.toUTCString()}</Link> },
    { header: "What", cell: (r) => <span className="[overflow-wrap:anywhere]">{r.name ?? r.kind}</span> },
    { header: "Public score", numeric: true, cell: (r) => r.publicScore?.toFixed(1) ?? "—" },
    ...(showPrivate ? [{ header: "Private score", numeric: true, cell: (r: SubmissionListRow) => r.privateScore?.toFixed(1) ?? "—" }] : []),
    {
      header: "Status",
      cell: (r) => (
        <div className="min-w-0">
          {r.status}
          {r.status === "rejected" && r.errorMessage ? <LongText text={r.errorMessage} className="block text-xs text-amber-800" /> : null}
        </div>
      ),
    },
    { header: <span className="sr-only">Resubmit</span>, label: "", cell: (r) => r.kind !== "model" && <Link href={`${assignmentPath}?from=${r.id}#submit`}>Submit again from this one</Link> },
  ];
  return (
    <DataTable
      data-testid="history"
      label="Your submissions"
      layout="cards"
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      empty={<p className="text-slate-500">No submissions yet.</p>}
    />
  );
}
