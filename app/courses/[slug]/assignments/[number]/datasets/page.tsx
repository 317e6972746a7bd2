import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourseInstructor } from "@/app/_lib/auth/course-access";
import { listDatasets } from "@/db/queries/datasets/list-datasets";
import { previewDataset, type DatasetPreview } from "./dataset-preview";
import { DatasetUploadForm, HeldoutSplitForm } from "./dataset-forms";

export const metadata = { title: "Datasets" };

async function safePreview(p: Promise<DatasetPreview>): Promise<DatasetPreview | string> {
  try {
    return await p;
  } catch (e) {
    // A set that no longer decodes (file removed, classes changed) is shown as such, not as a 500.
    console.error("[datasets] preview failed:", (e as Error).message);
    return (e as Error).message;
  }
}

function ClassTable({ preview, heldout }: { preview: DatasetPreview; heldout: boolean }) {
  return (
    <table className="w-full text-left text-sm" data-testid={heldout ? "heldout-classes" : "train-classes"}>
      <thead className="text-slate-500">
        <tr>
          <th className="p-2">Class</th><th className="p-2">Examples</th>
          {heldout ? <><th className="p-2">Public</th><th className="p-2">Private</th></> : <th className="p-2">First examples</th>}
        </tr>
      </thead>
      <tbody>
        {preview.classes.map((c) => (
          <tr key={c.name} className="border-t border-slate-100">
            <td className="p-2">{c.name}</td>
            <td className="p-2 tabular-nums">{c.count}</td>
            {heldout ? (
              <><td className="p-2 tabular-nums">{c.publicCount}</td><td className="p-2 tabular-nums">{c.privateCount}</td></>
            ) : (
              <td className="p-2">
                <span className="flex gap-1">
                  {c.thumbnails.map((t, i) => <img key={i} src={t} alt={`${c.name} example ${i + 1}`} width={48} height={48} className="rounded ring-1 ring-slate-200" style={{ imageRendering: "pixelated" }} />)}
                </span>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Dataset management for one assignment: the active training and held-out sets, uploads, and the
 * public/private split. For the instructors of its course only.
 */
export default async function DatasetsPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const base = `/courses/${slug}/assignments/${number}`;
  const { course } = await requireCourseInstructor(slug, `${base}/datasets`);
  const assignment = await courseAssignmentOr404(course, number);
  const db = await getDb();
  const [train, heldout, uploads] = await Promise.all([
    safePreview(previewDataset(assignment.config, "train")),
    safePreview(previewDataset(assignment.config, "heldout")),
    listDatasets(db, assignment.id),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">Assignment {assignment.number}</p>
        <h1 className="text-3xl font-bold">Datasets</h1>
        <p className="mt-1 text-sm text-slate-600">
          Images are decoded at the assignment&apos;s input size ({assignment.config.inputShape.join("×")}); classes must be {assignment.config.classes.join(", ")}.
          A new set applies to jobs graded from now on; regrade earlier submissions to score them on it.
        </p>
      </div>
      {(["train", "heldout"] as const).map((role) => {
        const p = role === "train" ? train : heldout;
        return (
          <section key={role} className="rounded-xl bg-white p-6 ring-1 ring-slate-200">
            <h2 className="text-xl font-semibold">{role === "train" ? "Training set" : "Held-out set"}</h2>
            {typeof p === "string" ? (
              <p role="alert" className="text-red-700">This set cannot be decoded: {p}</p>
            ) : (
              <>
                <p className="text-sm text-slate-600">{p.source} · {p.count} examples</p>
                <ClassTable preview={p} heldout={role === "heldout"} />
              </>
            )}
            {role === "heldout" && (
              <div className="mt-4">
                <h3 className="font-semibold">Public/private split</h3>
                <p className="mb-2 text-sm text-slate-600">The public part scores the live leaderboard; the private part decides after the deadline. Stratified per class, fixed by the seed.</p>
                <HeldoutSplitForm assignmentId={assignment.id} publicFraction={assignment.config.publicFraction} splitSeed={assignment.config.splitSeed} />
              </div>
            )}
          </section>
        );
      })}
      <section className="rounded-xl bg-white p-6 ring-1 ring-slate-200">
        <h2 className="text-xl font-semibold">Upload a set</h2>
        <DatasetUploadForm uploadUrl={`${base}/datasets/upload`} />
        {uploads.length > 0 && (
          <table className="mt-4 w-full text-left text-sm">
            <thead className="text-slate-500"><tr><th className="p-2">Uploaded</th><th className="p-2">Role</th><th className="p-2">Name</th><th className="p-2">Format</th><th className="p-2">Examples</th><th className="p-2">Active</th></tr></thead>
            <tbody>
              {uploads.map((d) => (
                <tr key={d.id} className="border-t border-slate-100">
                  <td className="p-2">{d.createdAt.toUTCString()}</td><td className="p-2">{d.role}</td><td className="p-2">{d.name}</td>
                  <td className="p-2">{d.format}</td><td className="p-2">{d.exampleCount}</td><td className="p-2">{d.active ? "yes" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
