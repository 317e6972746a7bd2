import Link from "next/link";

/** The line under a practice run's breadcrumb saying what it is: ungraded, and on which of the student's datasets. */
export function PracticeRunLabel({ purpose, dataset, courseSlug }: {
  purpose: string;
  dataset: { id: string; name: string } | null;
  courseSlug: string;
}) {
  const what = purpose === "baseline" ? "Platform baseline" : "Practice run";
  return (
    <p className="mt-1 inline-block rounded-md bg-amber-50 px-3 py-1 text-sm font-medium text-amber-900 ring-1 ring-amber-200 [overflow-wrap:anywhere]" data-testid="practice-label">
      {what} — ungraded, on{" "}
      {dataset ? <Link href={`/courses/${courseSlug}/datasets/${dataset.id}`}>{dataset.name}</Link> : "a dataset that was deleted"}
    </p>
  );
}
