import Link from "next/link";
import { forbidden } from "next/navigation";
import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourse } from "@/app/_lib/auth/course-access";
import { getLeaderboard } from "@/db/queries/leaderboard/leaderboard";
import { ScoreHistogram } from "@/app/_components/charts/score-histogram";
import { AnonymousToggle } from "./anonymous-toggle";

export const metadata = { title: "Leaderboard" };

function RankChange({ change }: { change: number | null }) {
  if (change === null) return <span>—</span>;
  if (change === 0) return <span className="text-slate-500">=</span>;
  return change > 0 ? <span className="text-green-700">▲ {change}</span> : <span className="text-red-700">▼ {-change}</span>;
}

/**
 * The leaderboard: best public score per student, ties to the earlier submission. After the deadline
 * (and always for instructors) the private scores, the final ranks and the rank changes; instructors
 * also get the score distribution and the anonymity switch.
 */
export default async function LeaderboardPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const base = `/courses/${slug}/assignments/${number}`;
  const { user, course, role } = await requireCourse(slug, `${base}/leaderboard`);
  // Classmates' scores are for the course's members; its instructors see what instructors see.
  if (role === null) forbidden();
  const assignment = await courseAssignmentOr404(course, number);
  const db = await getDb();
  const viewer = { id: user.id, role };
  const board = await getLeaderboard(db, assignment, viewer);
  const isInstructor = role === "instructor";
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500"><Link href={base}>Assignment {assignment.number}</Link></p>
        <h1 className="text-3xl font-bold">Leaderboard</h1>
        <p className="mt-1 text-sm text-slate-600">
          {board.pastDeadline
            ? "The deadline has passed: final ranks are by the private part of the held-out set."
            : `Ranked by the public part of the held-out set until the deadline (${assignment.dueAt.toUTCString()}); the private part decides the final ranking.`}{" "}
          Ties go to the earlier submission.
        </p>
      </div>
      {isInstructor && <AnonymousToggle assignmentId={assignment.id} anonymous={board.anonymous} />}
      <table className="w-full rounded-xl bg-white text-left ring-1 ring-slate-200" data-testid="leaderboard">
        <thead className="text-sm text-slate-500">
          <tr>
            <th className="p-3">Rank</th><th className="p-3">Student</th><th className="p-3">Public score</th>
            {board.showPrivate && <><th className="p-3">Private score</th><th className="p-3">Private rank</th><th className="p-3">Change</th></>}
            <th className="p-3">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {board.entries.length === 0 && (
            <tr><td colSpan={7} className="p-3 text-slate-500">No graded submissions yet.</td></tr>
          )}
          {board.entries.map((e) => (
            <tr key={e.handle} className={`border-t border-slate-100 tabular-nums ${e.isViewer ? "bg-brand-50" : ""}`}>
              <td className="p-3">{e.publicRank}</td>
              <td className="p-3">
                {isInstructor ? <Link href={`/submissions/${e.submissionId}`}>{e.displayName}</Link> : e.displayName}
                {e.isViewer && <span className="ml-2 text-xs text-brand-700">(you)</span>}
              </td>
              <td className="p-3">{e.publicScore.toFixed(2)}</td>
              {board.showPrivate && (
                <>
                  <td className="p-3">{e.privateScore?.toFixed(2) ?? "—"}</td>
                  <td className="p-3">{e.privateRank ?? "—"}</td>
                  <td className="p-3"><RankChange change={e.rankChange} /></td>
                </>
              )}
              <td className="p-3 text-sm">{e.submittedAt.toUTCString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {isInstructor && (
        <ScoreHistogram
          title="Distribution of students' best scores"
          series={[
            { label: "public score", colour: "#4e79a7", scores: board.entries.map((e) => e.publicScore) },
            { label: "private score", colour: "#f28e2b", scores: board.entries.flatMap((e) => (e.privateScore === null ? [] : [e.privateScore])) },
          ]}
        />
      )}
    </div>
  );
}
