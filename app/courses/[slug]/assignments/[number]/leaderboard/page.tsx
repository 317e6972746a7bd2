import Link from "next/link";
import { forbidden } from "next/navigation";
import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourse } from "@/app/_lib/auth/course-access";
import { getLeaderboard, type LeaderboardRow } from "@/domain/grading/leaderboard";
import { countedScores } from "@/db/queries/leaderboard/ranked-counted-submissions";
import { ScoreHistogram } from "@/app/_components/charts/score-histogram";
import { AnonymousToggle } from "./anonymous-toggle";
import { Card } from "@/app/_components/ui/card";
import { ScrollArea } from "@/app/_components/ui/data-table";
import { isStudentDatasetMode } from "@/grader/assignment/schema";
import { currentCountedScore } from "@/domain/grading/current-counted-score";

export const metadata = { title: "Leaderboard" };

function RankChange({ change }: { change: number | null }) {
  if (change === null) return <span>—</span>;
  if (change === 0) return <span className="text-slate-500">=</span>;
  return change > 0 ? <span className="text-green-700">▲ {change}</span> : <span className="text-red-700">▼ {-change}</span>;
}

/**
 * The leaderboard: each student's submission that counts (the one the gradebook takes), ranked by
 * its public score until the deadline and its private score after, ties to the earlier submission;
 * the top rows and the viewer's own. Private scores and rank changes after the deadline (always for
 * instructors); instructors also get the score distribution and the anonymity switch.
 */
export default async function LeaderboardPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const base = `/courses/${slug}/assignments/${number}`;
  const { user, course, role } = await requireCourse(slug, `${base}/leaderboard`);
  // Classmates' scores are for the course's members; its instructors see what instructors see.
  if (role === null) forbidden();
  const assignment = await courseAssignmentOr404(course, number);
  const db = await getDb();
  if (isStudentDatasetMode(assignment.config)) {
    // No ranking here: each student's points were earned on their own data, against a baseline trained on it.
    const mine = role === "student" ? await currentCountedScore(db, assignment, user.id) : null;
    return (
      <div className="space-y-6">
        <div>
          <p className="text-sm text-slate-500"><Link href={base}>Assignment {assignment.number}</Link></p>
          <h1 className="text-3xl font-bold">Leaderboard</h1>
        </div>
        <Card data-testid="no-leaderboard">
          <p>
            This assignment has no class ranking. Every student trains and is scored on their own dataset, against a baseline the
            platform trained on that same dataset, so one student&apos;s 80 and another&apos;s 60 were earned on different problems: a
            ranking would compare how hard the datasets are, not how good the models are. What each score means is the improvement
            over the baseline on the student&apos;s own data.
          </p>
          {role === "student" && (
            <p className="mt-3" data-testid="own-standing">
              {mine ? (
                <>Your submission that counts: <Link href={`/submissions/${mine.submissionId}`}>score {mine.score.toFixed(2)}</Link>.</>
              ) : (
                "None of your submissions is scored yet."
              )}
            </p>
          )}
          {role === "instructor" && (
            <p className="mt-3">Every student&apos;s score, with their metric and their baseline&apos;s, is in the <Link href={`${base}/gradebook`}>gradebook</Link>.</p>
          )}
        </Card>
      </div>
    );
  }
  const viewer = { id: user.id, role };
  const board = await getLeaderboard(db, assignment, viewer);
  const isInstructor = role === "instructor";
  const byPrivate = board.split === "private";
  const { entries: first, viewerBelow } = board;
  const distribution = isInstructor ? await countedScores(db, assignment.id) : [];
  // Cell padding, rules and tabular figures are set once on the table (see its className), not on each of its cells.
  const row = (e: LeaderboardRow) => (
    <tr key={e.handle} {...(e.isViewer ? { className: "bg-brand-50" } : {})}>
      <td>{e.rank}</td>
      <td>
        {isInstructor ? <Link href={`/submissions/${e.submissionId}`}>{e.displayName}</Link> : e.displayName}
        {e.isViewer && <span className="ml-2 text-xs text-brand-700">(you)</span>}
      </td>
      <td>
        {e.score.toFixed(2)}
        {e.overridden && <span className="ml-1 text-xs text-amber-700">(override)</span>}
      </td>
      {board.showPrivate && (
        <>
          <td>{(byPrivate ? e.publicScore : e.privateScore)?.toFixed(2) ?? "—"}</td>
          <td>{(byPrivate ? e.publicRank : e.privateRank) ?? "—"}</td>
          <td><RankChange change={e.rankChange} /></td>
        </>
      )}
      <td className="text-sm">{e.submittedAt.toUTCString()}</td>
    </tr>
  );
  const scoreLabel = byPrivate ? "Private score" : "Public score";
  const otherLabel = byPrivate ? "Public" : "Private";
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500"><Link href={base}>Assignment {assignment.number}</Link></p>
        <h1 className="text-3xl font-bold">Leaderboard</h1>
        <p className="mt-1 text-sm text-slate-600">
          {board.pastDeadline
            ? "The deadline has passed: final ranks are by the private part of the held-out set."
            : `Ranked by the public part of the held-out set until the deadline (${assignment.dueAt.toUTCString()}); the private part decides the final ranking.`}{" "}
          Each student&apos;s submission that counts is ranked (<Link href={`${base}#counting`}>which one counts</Link>); ties go to the earlier submission.
        </p>
      </div>
      {isInstructor && <AnonymousToggle assignmentId={assignment.id} anonymous={board.anonymous} />}
      <Card as="div" padding="none">
      <ScrollArea label="Leaderboard">
      <table className="data-table w-full text-left tabular-nums [&>*>tr>*]:p-3" data-testid="leaderboard">
        <caption className="p-3 text-left text-sm text-slate-500" data-testid="leaderboard-count">
          {board.total > first.length ? `The top ${first.length} of ${board.total} students.` : `${board.total} student${board.total === 1 ? "" : "s"}.`}
        </caption>
        <thead className="text-sm text-slate-500">
          <tr>
            <th>Rank</th><th>Student</th><th>{scoreLabel}</th>
            {board.showPrivate && <><th>{otherLabel} score</th><th>{otherLabel} rank</th><th>Change</th></>}
            <th>Submitted</th>
          </tr>
        </thead>
        <tbody>
          {board.entries.length === 0 && (
            <tr><td colSpan={7} className="text-slate-500">No graded submissions yet.</td></tr>
          )}
          {first.map(row)}
          {viewerBelow && (
            <tr><td colSpan={7} className="text-center text-slate-500" aria-label="rows left out">⋯</td></tr>
          )}
          {viewerBelow && row(viewerBelow)}
        </tbody>
      </table>
      </ScrollArea>
      </Card>
      {isInstructor && (
        <ScoreHistogram
          title="Distribution of the scores that count, every student"
          series={[
            { label: "public score", colour: "#4e79a7", scores: distribution.map((d) => d.publicScore) },
            { label: "private score", colour: "#f28e2b", scores: distribution.map((d) => d.privateScore) },
          ]}
        />
      )}
    </div>
  );
}
