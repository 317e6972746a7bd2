import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { requireCourse } from "@/app/_lib/auth/course-access";
import { loadComparedRuns, parseRunIds } from "@/domain/runs/load-runs";
import { runLetter, type RunView } from "@/domain/runs/run-view";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { CompareRuns } from "@/app/_components/runs/run-figures";
import { Card } from "@/app/_components/ui/card";

export const metadata = { title: "Compare runs" };

type Params = { slug: string; datasetId: string };

/**
 * Two to six runs on one of a student's datasets side by side (`?runs=<id>,<id>` or repeated `runs=`).
 * Only the dataset's owner and the course's instructors get here; another student's dataset or run is the
 * 404 page. Runs on other data, or not graded yet, are refused on the page with the reason.
 */
export default async function CompareRunsPage(props: { params: Promise<Params>; searchParams: Promise<{ runs?: string | string[] }> }) {
  const { slug, datasetId } = await props.params;
  const { runs: raw } = await props.searchParams;
  const datasetPath = `/courses/${slug}/datasets/${datasetId}`;
  const { user, course, role } = await requireCourse(slug, `${datasetPath}/compare`);
  const viewer = { id: user.id, role: role === "instructor" ? ("instructor" as const) : ("student" as const) };
  let runs: RunView[] | null = null;
  let refusal: ValidationError | null = null;
  try {
    runs = await loadComparedRuns(await getDb(), viewer, parseRunIds(raw), { datasetId, courseId: course.id });
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    if (!(e instanceof ValidationError)) throw e;
    refusal = e;
  }
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link href={datasetPath}>{runs?.[0]?.dataset.name ?? "The dataset"}</Link> · compare runs
        </p>
        <h1 className="text-3xl font-bold">Compare runs</h1>
        {runs && (
          <ul className="mt-2 space-y-1 text-sm text-slate-700" data-testid="compared-runs">
            {runs.map((r, i) => (
              <li key={r.id} className="[overflow-wrap:anywhere]">
                <strong>{runLetter(i)}</strong>: <Link href={`/submissions/${r.id}`}>{r.label}</Link> — {r.approach}
                {r.base ? ` on ${r.base}` : ""}, {r.purpose} run of {new Date(r.createdAt).toUTCString()}
              </li>
            ))}
          </ul>
        )}
      </div>
      {refusal && (
        <Card as="div" role="alert" className="bg-amber-50 ring-amber-200" data-testid="compare-refused">
          <h2 className="font-semibold text-amber-900">These runs cannot be compared</h2>
          <ul className="mt-2 list-disc pl-5 text-amber-900">
            {(refusal.issues?.length ? refusal.issues.map((i) => i.message) : [refusal.message]).map((m) => <li key={m}>{m}</li>)}
          </ul>
          <p className="mt-2 text-sm">
            Pick runs on <Link href={datasetPath}>the dataset&apos;s page</Link>: two to six graded runs of this dataset.
          </p>
        </Card>
      )}
      {runs && <CompareRuns runs={runs} />}
    </div>
  );
}
