import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourseInstructor } from "@/app/_lib/auth/course-access";
import { listDatasets } from "@/db/queries/datasets/list-datasets";
import { isStudentDatasetMode } from "@/grader/assignment/schema";
import { previewDataset, type DatasetPreview } from "./dataset-preview";
import { DatasetUploadForm, HeldoutSplitForm } from "./dataset-forms";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { DataTable, type Column } from "@/app/_components/ui/data-table";

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
  type Row = DatasetPreview["classes"][number];
  const columns: Column<Row>[] = [
    { header: "Class", cell: (c) => c.name },
    { header: "Examples", numeric: true, cell: (c) => c.count },
    ...(heldout
      ? [
          { header: "Public", numeric: true, cell: (c: Row) => c.publicCount },
          { header: "Private", numeric: true, cell: (c: Row) => c.privateCount },
        ]
      : [
          {
            header: "First examples",
            cell: (c: Row) => (
              <span className="flex flex-wrap gap-1">
                {c.thumbnails.map((t, i) => <img key={i} src={t} alt={`${c.name} example ${i + 1}`} width={48} height={48} className="rounded ring-1 ring-slate-200" style={{ imageRendering: "pixelated" }} />)}
              </span>
            ),
          },
        ]),
  ];
  return (
    <DataTable
      data-testid={heldout ? "heldout-classes" : "train-classes"}
      label={heldout ? "Held-out set per class" : "Training set per class"}
      layout="cards"
      columns={columns}
      rows={preview.classes}
      rowKey={(c) => c.name}
    />
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
  if (isStudentDatasetMode(assignment.config)) {
    return (
      <div className="space-y-6">
        <div>
          <p className="text-sm text-slate-500">Assignment {assignment.number}</p>
          <h1 className="text-3xl font-bold">Datasets</h1>
        </div>
        <Card data-testid="student-datasets-mode">
          <p>
            This assignment is graded on each student&apos;s own dataset (<code>datasets: student</code> in its
            assignment.yaml): there is no training or held-out set to upload here. Each graded submission names one of
            the student&apos;s datasets; the platform trains on its train part, scores on its test part, and trains the
            baseline the score is measured against once per dataset. The students&apos; datasets are listed on{" "}
            <a className="underline" href={`/courses/${slug}/datasets`}>the course&apos;s datasets page</a>.
          </p>
        </Card>
      </div>
    );
  }
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
          <Card key={role}>
            <CardTitle>{role === "train" ? "Training set" : "Held-out set"}</CardTitle>
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
          </Card>
        );
      })}
      <Card>
        <CardTitle>Upload a set</CardTitle>
        <DatasetUploadForm uploadUrl={`${base}/datasets/upload`} />
        {uploads.length > 0 && (
          <div className="mt-4">
            <DataTable
              label="Uploaded sets"
              layout="cards"
              rows={uploads}
              rowKey={(d) => d.id}
              columns={[
                { header: "Uploaded", cell: (d) => d.createdAt.toUTCString() },
                { header: "Role", cell: (d) => d.role },
                { header: "Name", cell: (d) => <span className="[overflow-wrap:anywhere]">{d.name}</span> },
                { header: "Format", cell: (d) => d.format },
                { header: "Examples", numeric: true, cell: (d) => d.exampleCount },
                { header: "Active", cell: (d) => (d.active ? "yes" : "") },
              ]}
            />
          </div>
        )}
      </Card>
    </div>
  );
}
