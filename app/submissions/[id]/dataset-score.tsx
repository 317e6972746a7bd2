import Link from "next/link";
import type { DatasetScoreState } from "@/domain/grading/dataset-score-state";
import { Card, CardTitle } from "@/app/_components/ui/card";

const BASELINE_STATUS: Record<string, string> = {
  queued: "waiting in the grading queue",
  running: "training now",
  succeeded: "finished",
  failed: "failed",
  rejected: "refused",
};

/**
 * A run on a student's own dataset: which dataset, the platform's baseline on it and where it stands, whether this
 * run's score still waits for it, and — for an uploaded model — that the student had the test images.
 */
export function DatasetScoreCard({ state, courseSlug, isInstructor }: { state: DatasetScoreState; courseSlug: string; isInstructor: boolean }) {
  const b = state.baseline;
  const whose = isInstructor ? "the student's" : "your";
  return (
    <Card data-testid="dataset-baseline">
      <CardTitle>{state.purpose === "baseline" ? "The platform's baseline" : "Dataset and baseline"}</CardTitle>
      <div className="mt-2 space-y-2 text-sm">
        <p>
          Trained on the train part of {whose} dataset{" "}
          <Link href={`/courses/${courseSlug}/datasets/${state.datasetId}`} className="[overflow-wrap:anywhere]">{state.datasetName}</Link> and
          scored on its test part. The report below holds totals only (metrics, confusion matrix): no prediction for a single test image.
        </p>
        {state.purpose === "baseline" ? (
          <p>
            This run is the lesson&apos;s reference CNN, trained once by the platform on this dataset. Graded submissions on the dataset are
            scored by how much they improve on its {b?.metric ?? "metric"}; it uses none of the student&apos;s quota.
          </p>
        ) : b ? (
          <p data-testid="baseline-state">
            The platform&apos;s baseline on this dataset is {BASELINE_STATUS[b.status] ?? b.status}
            {b.value !== null ? <>: {b.metric} <strong>{b.value.toFixed(3)}</strong></> : ""}.{" "}
            <Link href={`/submissions/${b.submissionId}`}>Its report</Link>.
          </p>
        ) : (
          <p data-testid="baseline-state">The platform&apos;s baseline on this dataset has not been queued yet: the first graded submission on it queues it.</p>
        )}
        {state.waitingForBaseline && (
          <p role="status" data-testid="waiting-for-baseline" className="rounded-md bg-amber-50 p-3 text-amber-900">
            {b?.status === "failed" || b?.status === "rejected"
              ? `This submission has no score yet: the baseline it is measured against ${b.status === "failed" ? "failed" : "was refused"}` +
                `${b.errorMessage ? ` (${b.errorMessage})` : ""}. ${isInstructor ? "Regrade the baseline" : "Your instructor can regrade it"} to score it.`
              : "This submission is graded, and its score waits for the baseline: it is computed the moment the baseline finishes. Nothing else is needed from you."}
          </p>
        )}
        {state.hadTestImages && state.purpose !== "baseline" && (
          <p role="note" data-testid="had-test-images" className="rounded-md bg-amber-50 p-3 text-amber-900">
            This is an uploaded, already trained model, and the test images are part of {whose} own upload: {isInstructor ? "the student" : "you"} had
            them while training it. Its score cannot show that the model never saw them.
          </p>
        )}
      </div>
    </Card>
  );
}
