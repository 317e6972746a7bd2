import Link from "next/link";
import { notFound } from "next/navigation";
import { courseViewer, requireCourse } from "@/app/_lib/auth/course-access";
import { ClassCountsChart } from "@/app/_components/charts/class-counts-chart";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { DataTable } from "@/app/_components/ui/data-table";
import { LongText } from "@/app/_components/ui/long-text";
import { getDb } from "@/db";
import type { OwnDatasetRow } from "@/db/queries/own-datasets/find-own-dataset";
import { visibleOwnDataset } from "@/domain/own-datasets/visible-own-dataset";
import { NotFoundError } from "@/lib/errors";
import { DeleteDataset } from "./delete-dataset";
import { PracticeRuns } from "./practice-runs";

export const metadata = { title: "Dataset" };

/** Above this ratio of largest to smallest class, the panel suggests class weights or more images. */
const IMBALANCE_WORTH_NOTING = 1.5;

/** Classes that lost a quarter or more of their test images to near-duplicate removal. */
function thinnedClasses<C extends { name: string; test: number; removed: number }>(classes: C[]): C[] {
  return classes.filter((c) => c.removed > 0 && c.removed * 4 >= c.test + c.removed);
}

const PART_LABEL = { train: "train", validation: "validation", test: "test", removed: "removed from test" } as const;

/**
 * One own dataset: what the platform found in it (the data-quality panel a student writes "data preparation"
 * from) and, below, its practice runs. Its owner and the course's instructors only; anyone else gets a 404.
 */
export default async function OwnDatasetPage({ params }: { params: Promise<{ slug: string; datasetId: string }> }) {
  const { slug, datasetId } = await params;
  const { user, course, role } = await requireCourse(slug, `/courses/${slug}/datasets/${datasetId}`);
  if (role === null) notFound();
  const db = await getDb();
  const viewer = await courseViewer(user, { courseId: course.id });
  let dataset: OwnDatasetRow;
  try {
    dataset = await visibleOwnDataset(db, viewer, course.id, datasetId);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
  const listUrl = `/courses/${course.slug}/datasets`;
  const thumb = (i: number) => `/api/courses/${course.slug}/datasets/${dataset.id}/thumbnails/${i}.png`;
  const q = dataset.quality;
  const thinned = thinnedClasses(q.classes);
  const own = dataset.userId === user.id;
  const fileOf = new Map<number, string>();
  for (const d of q.duplicates) {
    fileOf.set(d.image, d.imageFile);
    fileOf.set(d.of, d.ofFile);
  }
  const sizes = q.originalSizes;
  const sameSize = sizes.distinct === 1;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm"><Link href={listUrl}>{own ? "My datasets" : "Students' datasets"}</Link></p>
        <h1 className="text-3xl font-bold [overflow-wrap:anywhere]">{dataset.name}</h1>
        <p className="mt-1 text-slate-600">
          {!own && <>{dataset.ownerName} · </>}
          For <Link href={`/courses/${course.slug}/assignments/${dataset.assignmentNumber}`}>{dataset.assignmentTitle}</Link> ·{" "}
          {dataset.imageCount.toLocaleString("en")} images in {dataset.classes.length} classes · read at {dataset.inputSize}×{dataset.inputSize} pixels,{" "}
          {dataset.channels === 3 ? "colour" : "grayscale"} · uploaded {dataset.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
        </p>
      </div>

      <Card aria-labelledby="quality-heading" data-testid="quality-panel">
        <CardTitle id="quality-heading">Data quality</CardTitle>
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4">
          <div><dt className="text-sm text-slate-500">Images used</dt><dd className="text-lg font-semibold tabular-nums">{dataset.imageCount.toLocaleString("en")}</dd></div>
          <div><dt className="text-sm text-slate-500">Classes</dt><dd className="text-lg font-semibold tabular-nums">{dataset.classes.length}</dd></div>
          <div>
            <dt className="text-sm text-slate-500">Imbalance (largest ÷ smallest class)</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="imbalance">{q.imbalanceRatio.toFixed(2)}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">Split (train / validation / test)</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="split-sizes">{q.split.train} / {q.split.validation} / {q.split.test}</dd>
          </div>
        </dl>
        <p className="mt-3 text-sm text-slate-600">
          {q.imbalanceRatio > IMBALANCE_WORTH_NOTING
            ? `The largest class has ${q.imbalanceRatio.toFixed(1)} times the images of the smallest: accuracy alone will flatter a model that favours the large classes. Look at macro-F1 and per-class recall, and consider class weights or more images of the small classes.`
            : "The classes are close to balanced."}{" "}
          The split is stratified (each class split in the same proportions) and seeded (seed {q.split.seed}), so every run on this dataset trains, validates and tests on the same images.
          {q.split.removedFromTest > 0 && ` ${q.split.removedFromTest} test image${q.split.removedFromTest === 1 ? " was" : "s were"} taken out because ${q.split.removedFromTest === 1 ? "it copies" : "they copy"} a training or validation image.`}
        </p>
        <div className="mt-4">
          <ClassCountsChart
            title="Images per class, by split part"
            caption="Images per class, each bar split into the training, validation and test parts (and test images removed as duplicates)."
            classes={q.classes.map((c) => ({ name: c.name, train: c.train, validation: c.validation, test: c.test, removed: c.removed }))}
          />
        </div>

        <h3 className="mt-6 text-lg font-semibold">Original image sizes</h3>
        <p className="mt-1 text-sm text-slate-600" data-testid="original-sizes">
          {sameSize
            ? `Every image is ${sizes.minWidth}×${sizes.minHeight} pixels.`
            : `Widths from ${sizes.minWidth} to ${sizes.maxWidth} pixels and heights from ${sizes.minHeight} to ${sizes.maxHeight}, in ${sizes.distinct} different sizes.`}{" "}
          Each is resized to {dataset.inputSize}×{dataset.inputSize}
          {sizes.maxWidth !== sizes.maxHeight || sizes.minWidth !== sizes.minHeight || !sameSize ? " (stretched, not cropped, where it is not square)" : ""}
          {sizes.maxWidth < dataset.inputSize || sizes.maxHeight < dataset.inputSize ? "; images smaller than that are enlarged, which adds no detail" : ""}.
        </p>
        {!sameSize && (
          <div className="mt-2 max-w-md">
            <DataTable label="Most common original sizes" rows={sizes.common} rowKey={(s) => `${s.width}x${s.height}`}
              columns={[{ header: "Size (pixels)", cell: (s) => `${s.width}×${s.height}` }, { header: "Images", numeric: true, cell: (s) => s.images }]} />
          </div>
        )}

        <h3 className="mt-6 text-lg font-semibold">Files skipped</h3>
        {q.skippedTotal === 0 ? (
          <p className="mt-1 text-sm text-slate-600">None: every file in the class folders was a readable image.</p>
        ) : (
          <div className="mt-2" data-testid="skipped-files">
            <p className="text-sm text-slate-600">{q.skippedTotal} file{q.skippedTotal === 1 ? " was" : "s were"} not used{q.skippedTotal > q.skipped.length ? ` (the first ${q.skipped.length} are listed)` : ""}:</p>
            <DataTable label="Files skipped" layout="cards" rows={q.skipped} rowKey={(s, i) => `${i}-${s.file}`}
              columns={[
                { header: "File", cell: (s) => <code className="[overflow-wrap:anywhere]">{s.file}</code> },
                { header: "Why", cell: (s) => <LongText text={s.reason} /> },
              ]} />
          </div>
        )}

        <h3 className="mt-6 text-lg font-semibold">Duplicates</h3>
        {q.duplicatesTotal === 0 ? (
          <p className="mt-1 text-sm text-slate-600">No exact or near duplicates were found (compared by perceptual hash, then pixel by pixel).</p>
        ) : (
          <div className="mt-2" data-testid="duplicates">
            <p className="text-sm text-slate-600">
              {q.duplicatesTotal} pair{q.duplicatesTotal === 1 ? "" : "s"} of images are copies or near copies of each other
              {q.duplicatesTotal > q.duplicates.length ? ` (the first ${q.duplicates.length} are shown)` : ""}. A test image that copies a
              training or validation image would let a model score by memory, so such copies are taken out of the test part:{" "}
              {q.split.removedFromTest === 0
                ? "no pair here has one image in the test part and the other outside it, so none was."
                : `${q.split.removedFromTest} ${q.split.removedFromTest === 1 ? "was" : "were"}.`}
            </p>
            {thinned.length > 0 && (
              <p className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" data-testid="thinned-classes">
                <strong>Check these classes:</strong>{" "}
                {thinned.map((c) => `${c.name} lost ${c.removed} of ${c.test + c.removed} test images (${c.test} left)`).join("; ")}.
                When most images of a class look alike at this size — thin strokes such as handwritten 1s — different photos can
                be as close as a re-saved copy, and are taken out as near duplicates. Their per-class figures rest on fewer test
                images; a larger input size or more varied photos help.
              </p>
            )}
            <ul className="mt-3 grid gap-3 sm:grid-cols-2">
              {q.duplicates.map((d) => (
                <li key={`${d.image}-${d.of}`} className="flex min-w-0 gap-3 rounded-lg border border-slate-200 p-3">
                  <div className="flex shrink-0 items-start gap-1">
                    {[d.image, d.of].map((i) => (
                      <img key={i} src={thumb(i)} alt={fileOf.get(i) ?? `image ${i}`} width={48} height={48} className="h-12 w-12 rounded ring-1 ring-slate-200" style={{ imageRendering: "pixelated" }} />
                    ))}
                  </div>
                  <div className="min-w-0 text-sm">
                    <p className="[overflow-wrap:anywhere]"><code>{d.imageFile}</code> ({PART_LABEL[d.imagePart]})</p>
                    <p className="[overflow-wrap:anywhere]">{d.exact ? "is an exact copy of" : "nearly copies"} <code>{d.ofFile}</code> ({PART_LABEL[d.ofPart]})</p>
                    <p className="text-slate-500">
                      {d.exact ? "same pixels" : `hash ${d.distance} bits apart, pixels differ by ${d.meanDiff.toFixed(1)} on average`}
                      {d.imageClass !== d.ofClass && ` · different classes (${d.imageClass}, ${d.ofClass}): check the labels`}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          </div>
        )}

        <h3 className="mt-6 text-lg font-semibold">Examples per class</h3>
        <p className="mt-1 text-sm text-slate-600">As the model sees them: {dataset.inputSize}×{dataset.inputSize}, {dataset.channels === 3 ? "colour" : "grayscale"}.</p>
        <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="class-thumbnails">
          {q.classes.map((c) => (
            <li key={c.name} className="min-w-0">
              <p className="text-sm font-medium [overflow-wrap:anywhere]">{c.name} <span className="font-normal text-slate-500">({c.images})</span></p>
              <div className="mt-1 flex flex-wrap gap-1">
                {c.thumbnails.map((i, n) => (
                  <img key={i} src={thumb(i)} alt={`${c.name} example ${n + 1}`} width={48} height={48} className="h-12 w-12 rounded ring-1 ring-slate-200" style={{ imageRendering: "pixelated" }} />
                ))}
              </div>
            </li>
          ))}
        </ul>
      </Card>

      <PracticeRuns dataset={dataset} own={own} courseSlug={course.slug} />

      <Card aria-labelledby="delete-heading">
        <CardTitle id="delete-heading">Delete</CardTitle>
        <p className="mt-2 text-sm text-slate-600">Deleting removes the dataset, its files and its practice runs. A dataset a graded submission uses cannot be deleted.</p>
        <div className="mt-3">
          <DeleteDataset deleteUrl={`/api/courses/${course.slug}/datasets/${dataset.id}`} listUrl={listUrl} name={dataset.name} />
        </div>
      </Card>
    </div>
  );
}
