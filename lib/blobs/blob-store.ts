import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { blobKeySchema } from "./blob-key";

export { BLOB_AREAS, blobKeySchema, folderKey, newBlobKey, type BlobArea } from "./blob-key";

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No blob is stored under ${key}.`);
    this.name = "BlobNotFoundError";
  }
}

/** What a blob is written from: bytes in memory, or a file on this machine (an upload spooled to disk) that the store takes over. */
export type BlobBody = Uint8Array | { file: string };

/**
 * Where uploads live. The local directory is the embedded default; several grader hosts need one
 * store they all reach (a shared directory mounted at the same DATA_DIR, or an object store behind
 * this same interface) — see the README's "Blob storage".
 */
export interface BlobStore {
  /** Stores `body` under `key` (replacing what was there). A `{ file }` body is moved, not copied, when the store can. */
  put(key: string, body: BlobBody): Promise<void>;
  /** The whole blob. @throws BlobNotFoundError */
  get(key: string): Promise<Buffer>;
  /** The blob as a web stream, for a response body, without reading it into memory first. @throws BlobNotFoundError */
  stream(key: string): Promise<ReadableStream<Uint8Array>>;
  /** Removes the blob, or every blob under a folder key. Removing what is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A file (or, for a folder key, a directory) on this machine holding the blob, for readers that
   * need a path (zip and dataset decoders, TF.js model loading). The local store returns its own
   * file; a remote store would download into a local cache. @throws BlobNotFoundError
   */
  localPath(key: string): Promise<string>;
}

function checkedKey(key: string): string {
  const parsed = blobKeySchema.safeParse(key);
  if (!parsed.success) throw new Error(`blob store: ${JSON.stringify(key)} is ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === "ENOENT";

/** The blob store in a directory of this machine: key `a/b/c` is the file `<root>/a/b/c`. */
export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private fileOf(key: string): string {
    return path.join(this.root, ...checkedKey(key).split("/"));
  }

  async put(key: string, body: BlobBody): Promise<void> {
    const file = this.fileOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    if (body instanceof Uint8Array) {
      await fs.writeFile(file, body);
      return;
    }
    try {
      await fs.rename(body.file, file);
    } catch (e) {
      // Another filesystem (a spool on local disk, the store on a shared mount): copy, then remove.
      if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
      await fs.copyFile(body.file, file);
      await fs.rm(body.file, { force: true });
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.fileOf(key));
    } catch (e) {
      if (isMissing(e) || (e as NodeJS.ErrnoException).code === "EISDIR") throw new BlobNotFoundError(key);
      throw e;
    }
  }

  async stream(key: string): Promise<ReadableStream<Uint8Array>> {
    const file = this.fileOf(key);
    const stat = await fs.stat(file).catch((e: unknown) => (isMissing(e) ? null : Promise.reject(e)));
    if (!stat?.isFile()) throw new BlobNotFoundError(key);
    return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    const file = this.fileOf(key);
    await fs.rm(file, { recursive: true, force: true });
    // A one-file blob has a folder of its own (<area>/<uuid>/): remove it once it is empty.
    const parent = path.dirname(file);
    if (path.dirname(parent) !== this.root) {
      await fs.rmdir(parent).catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "ENOTEMPTY" && code !== "ENOENT" && code !== "EEXIST") throw e;
      });
    }
  }

  async localPath(key: string): Promise<string> {
    const file = this.fileOf(key);
    await fs.stat(file).catch((e: unknown) => Promise.reject(isMissing(e) ? new BlobNotFoundError(key) : e));
    return file;
  }
}
