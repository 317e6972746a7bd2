import { z } from "zod";

/**
 * Uploaded files (trained models, written reports, datasets) are referenced everywhere — database
 * rows, dataset refs, job inputs — by a *key*, never by a path on one machine. A key is
 * `<area>/<uuid>` (a folder of files: CIFAR-10 batches, an IDX pair) or `<area>/<uuid>/<name>` (one
 * file), with every part chosen by the server, so a key can be stored, sent to another host and
 * checked there, and it can never point outside the store.
 */
export const BLOB_AREAS = ["submissions", "datasets"] as const;
export type BlobArea = (typeof BLOB_AREAS)[number];

/** A server-chosen file name: letters, digits, dot, dash, underscore; no path separators. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY = /^(submissions|datasets)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,2}$/;

export const blobKeySchema = z.string().regex(KEY, "not a blob key (<area>/<uuid>[/<name>])");

/** A fresh key in `area`: for one file when `name` is given, else for a folder of files (see {@link folderKey}). */
export function newBlobKey(area: BlobArea, name?: string): string {
  if (name !== undefined && !SAFE_NAME.test(name)) throw new Error(`newBlobKey: unsafe file name ${JSON.stringify(name)}`);
  return name === undefined ? `${area}/${crypto.randomUUID()}` : `${area}/${crypto.randomUUID()}/${name}`;
}

/** The key of file `name` inside the folder blob `folder`. */
export function folderKey(folder: string, name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`folderKey: unsafe file name ${JSON.stringify(name)}`);
  return `${folder}/${name}`;
}
