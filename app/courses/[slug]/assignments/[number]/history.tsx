import Link from "next/link";
import type { SubmissionListRow } from "@/db/queries/submissions/list-submissions";

/** A student's submissions to the assignment, newest first, each with "submit again from this one". */
export function SubmissionHistory({ rows, assignmentPath, showPrivate }: { rows: SubmissionListRow[]; assignmentPath: string; showPrivate: boolean }) {
  if (rows.length === 0) return <p className="text-slate-500">No submissions yet.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="history">
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">Submitted</th><th className="p-2">What</th><th className="p-2">Status</th><th className="p-2">Public score</th>
          {showPrivate && <th className="p-2">Private score</th>}
          <th className="p-2" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className="border-t border-slate-100">
            <td className="p-2"><Link href={`/submissions/${r.id}`}>{r.createdAt.toUTCString()}</Link></td>
            <td className="p-2">{r.name ?? r.kind}</td>
            <td className="p-2">{r.status}{r.status === "rejected" && r.errorMessage ? <span className="block text-xs text-amber-800">{r.errorMessage}</span> : null}</td>
            <td className="p-2 tabular-nums">{r.publicScore?.toFixed(1) ?? "—"}</td>
            {showPrivate && <td className="p-2 tabular-nums">{r.privateScore?.toFixed(1) ?? "—"}</td>}
            <td className="p-2">
              {r.kind !== "model" && <Link href={`${assignmentPath}?from=${r.id}#submit`}>Submit again from this one</Link>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
