import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourse } from "@/app/_lib/auth/course-access";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { DataTable } from "@/app/_components/ui/data-table";
import { getDb } from "@/db";
import { findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { courseOutline } from "@/db/queries/courses/course-outline";
import { visibleOwnDatasets } from "@/domain/own-datasets/visible-own-dataset";
import { ownDatasetsOf } from "@/grader/assignment/schema";
import { OwnDatasetUploadForm, type UploadTarget } from "./upload-form";

export const metadata = { title: "My datasets" };

const MB = 1024 * 1024;

/**
 * "My datasets": a student's own image datasets in this course (instructors see every student's, with the owner),
 * and the form to upload another. Members of the course only; anyone else gets a 404.
 */
export default async function OwnDatasetsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, course, role } = await requireCourse(slug, `/courses/${slug}/datasets`);
  if (role === null) notFound();
  const db = await getDb();
  const teaches = role === "instructor";
  const [datasets, outline] = await Promise.all([
    visibleOwnDatasets(db, { id: user.id, role: teaches ? "instructor" : "student" }, course.id),
    courseOutline(db, course.id),
  ]);
  const targets: UploadTarget[] = [];
  for (const a of outline.assignments) {
    const caps = ownDatasetsOf((await findAssignmentInCourse(db, course.id, a.number)).config);
    if (!caps) continue;
    targets.push({
      number: a.number, title: a.title, inputSizes: caps.inputSizes, channels: caps.channels,
      maxUploadMb: Math.round((caps.maxUploadBytes / MB) * 10) / 10, maxImages: caps.maxImages,
      minClasses: caps.minClasses, maxClasses: caps.maxClasses, minImagesPerClass: caps.minImagesPerClass,
    });
  }
  const base = `/courses/${course.slug}/datasets`;
  const mine = datasets.filter((d) => d.userId === user.id).length;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">{course.title}</p>
        <h1 className="text-3xl font-bold">{teaches ? "Students' datasets" : "My datasets"}</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Bring your own images: a .zip with one folder per class, as Keras&apos; <code>flow_from_directory</code> reads them.
          The platform splits it into training, validation and test images (the same split for every run), keeps copies of
          training images out of the test part, and shows what it found in a data-quality report.
        </p>
      </div>
      <Card>
        <CardTitle>{teaches ? "All datasets in this course" : "Your datasets"}</CardTitle>
        <div className="mt-3">
          <DataTable
            label={teaches ? "Datasets of this course" : "Your datasets"}
            layout="cards"
            rows={datasets}
            rowKey={(d) => d.id}
            empty={<p className="text-slate-500">{teaches ? "No student has uploaded a dataset yet." : "You have not uploaded a dataset yet."}</p>}
            columns={[
              { header: "Name", cell: (d) => <Link href={`${base}/${d.id}`} className="[overflow-wrap:anywhere]">{d.name}</Link> },
              ...(teaches ? [{ header: "Owner", cell: (d: (typeof datasets)[number]) => d.ownerName }] : []),
              { header: "Assignment", cell: (d) => `Assignment ${d.assignmentNumber}` },
              { header: "Images", numeric: true, cell: (d) => d.imageCount.toLocaleString("en") },
              { header: "Classes", numeric: true, cell: (d) => d.classCount },
              { header: "Input", cell: (d) => `${d.inputSize}×${d.inputSize} ${d.channels === 3 ? "colour" : "grayscale"}` },
              { header: "Uploaded", cell: (d) => d.createdAt.toISOString().slice(0, 16).replace("T", " ") + " UTC" },
            ]}
          />
        </div>
      </Card>
      <Card>
        <CardTitle>Upload a dataset</CardTitle>
        {targets.length === 0 ? (
          <p className="mt-3 text-slate-600">No assignment of this course takes datasets of your own.</p>
        ) : (
          <OwnDatasetUploadForm uploadUrl={`/api/courses/${course.slug}/datasets`} datasetsUrl={base} targets={targets} kept={mine} />
        )}
      </Card>
    </div>
  );
}
