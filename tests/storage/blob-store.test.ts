import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobNotFoundError, LocalBlobStore, folderKey, newBlobKey, type BlobStore } from "@/lib/blobs/blob-store";
import { blobStore, localFileOf, streamOf } from "@/grader/storage/blob-store";
import { localDatasetRef } from "@/grader/storage/local-datasets";

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("the local blob store", () => {
  let dir: string;
  let store: BlobStore;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-blobs-"));
    store = new LocalBlobStore(path.join(dir, "blobs"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives back what was put, whole and as a stream, and forgets it once deleted", async () => {
    const key = newBlobKey("submissions", "report.md");
    expect(key).toMatch(/^submissions\/[0-9a-f-]{36}\/report\.md$/);
    await store.put(key, new TextEncoder().encode("# Report\n"));
    expect((await store.get(key)).toString("utf8")).toBe("# Report\n");
    expect(await text(await store.stream(key))).toBe("# Report\n");
    await store.delete(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.stream(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    // Its folder went with it: nothing is left under the area.
    expect(fs.readdirSync(path.join(dir, "blobs", "submissions"))).toEqual([]);
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it("takes over a spooled file without copying it, and names where it is on this machine", async () => {
    const spooled = path.join(dir, "spooled.zip");
    fs.writeFileSync(spooled, "PK\u0003\u0004 model");
    const key = newBlobKey("submissions", "model.zip");
    await store.put(key, { file: spooled });
    expect(fs.existsSync(spooled)).toBe(false);
    const local = await store.localPath(key);
    expect(local).toBe(path.join(dir, "blobs", key));
    expect(fs.readFileSync(local, "utf8")).toBe("PK\u0003\u0004 model");
  });

  it("keeps a folder blob (an IDX pair) under one key and removes it whole", async () => {
    const folder = newBlobKey("datasets");
    await store.put(folderKey(folder, "images-idx3"), new Uint8Array([1, 2, 3]));
    await store.put(folderKey(folder, "labels-idx1"), new Uint8Array([4]));
    const local = await store.localPath(folder);
    expect(fs.readdirSync(local).sort()).toEqual(["images-idx3", "labels-idx1"]);
    await store.delete(folder);
    await expect(store.localPath(folder)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("refuses anything that is not a key the server made: paths, traversal, unknown areas", async () => {
    for (const bad of ["/etc/passwd", "../secrets", "submissions/../../x", "uploads/3f2b7a4e-0000-4000-8000-000000000000/a", "submissions/not-a-uuid/model.zip", ""]) {
      await expect(store.get(bad), bad).rejects.toThrow(/not a blob key/);
      await expect(store.put(bad, new Uint8Array([1])), bad).rejects.toThrow(/not a blob key/);
    }
    expect(() => newBlobKey("datasets", "../x")).toThrow(/unsafe file name/);
    expect(() => folderKey(newBlobKey("datasets"), "a/b")).toThrow(/unsafe file name/);
  });

  it("serves rows stored before keys (an absolute path) and rows with a key alike", async () => {
    const shared = blobStore(dir);
    const key = newBlobKey("submissions", "report.md");
    await shared.put(key, new TextEncoder().encode("by key"));
    const legacy = path.join(dir, "old-report.md");
    fs.writeFileSync(legacy, "by path");
    expect(await text(await streamOf(key, shared))).toBe("by key");
    expect(await text(await streamOf(legacy, shared))).toBe("by path");
    expect(await localFileOf(legacy, shared)).toBe(legacy);
    await expect(localFileOf(path.join(dir, "gone.md"), shared)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("turns an uploaded dataset's key into a file the readers can open, and leaves other refs alone", async () => {
    const shared = blobStore(dir);
    const key = newBlobKey("datasets", "dataset.zip");
    await shared.put(key, new Uint8Array([0x50, 0x4b, 3, 4]));
    expect(await localDatasetRef({ format: "image-folder", blob: key }, shared)).toEqual({ format: "image-folder", path: path.join(dir, "blobs", key) });
    const builtin = { builtin: "mnist" as const, count: 10, offset: 0 };
    expect(await localDatasetRef(builtin, shared)).toBe(builtin);
  });
});
