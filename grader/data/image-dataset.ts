/**
 * A decoded image classification dataset held in memory as uint8 pixels (NHWC) and integer labels — the form the
 * on-disk cache stores and the trainer feeds to tf in batches. Labels index `classes`.
 */
export interface ImageDataset {
  classes: string[];
  /** [height, width, channels]. */
  shape: [number, number, number];
  count: number;
  /** count * h * w * c bytes, example-major. */
  images: Uint8Array;
  /** count labels, each in [0, classes.length). */
  labels: Uint8Array;
}

/**
 * Each label's example indices, in ascending order, under the labels in ascending order: the order every seeded,
 * stratified split walks them in, so one seed gives one split.
 */
export function indicesByClass(labels: ArrayLike<number>): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    let group = groups.get(l);
    if (!group) groups.set(l, (group = []));
    group.push(i);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

/** Examples per class, in class order. */
export function classCounts(ds: Pick<ImageDataset, "classes" | "labels">): number[] {
  const counts = new Array<number>(ds.classes.length).fill(0);
  for (const l of ds.labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}

/** A new dataset with the examples at `indices`, in that order. */
export function subset(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const px = ds.shape[0] * ds.shape[1] * ds.shape[2];
  const images = new Uint8Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(ds.images.subarray(j * px, (j + 1) * px), i * px);
    labels[i] = ds.labels[j]!;
  }
  return { classes: ds.classes, shape: ds.shape, count: indices.length, images, labels };
}
