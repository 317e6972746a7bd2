import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openZipSafely, readZipSafely, type ZipLimits } from "@/grader/archive/read-zip";
import { DatasetArchiveError, ModelArchiveError } from "@/grader/errors";
import { deflatedZip, folderZip, lyingZip } from "../helpers/hostile-zips";

const MB = 1024 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), "tg-zip-limits-"));
let n = 0;
const onDisk = (bytes: Buffer): string => {
  const file = path.join(dir, `${++n}.zip`);
  writeFileSync(file, bytes);
  return file;
};
const generous: ZipLimits = { maxEntries: 1000, maxTotalBytes: 512 * MB, maxEntryBytes: 256 * MB, maxRatio: 100 };

describe("opening an uploaded zip checks its central directory before inflating anything", () => {
  it("refuses a bomb of zeros (240 KB that would inflate to 240 MB) from its declared ratio, naming the entry", async () => {
    const file = onDisk(await deflatedZip([{ name: "model.json", data: "{}" }, { name: "weights.bin", zeros: 240 * MB }]));
    const error = await openZipSafely(file, generous, (m) => new ModelArchiveError(m)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelArchiveError);
    expect((error as Error).message).toMatch(/"weights\.bin" inflates 1,0\d\d times its compressed size \(the limit is 100×\): refused as a zip bomb/);
  });

  it("refuses an archive of many small very compressible files by the ratio of the whole archive", async () => {
    // Each entry stays under the 1 MB below which a single file's ratio is not checked; together they are a bomb.
    const parts = Array.from({ length: 8 }, (_, i) => ({ name: `w${i}.bin`, zeros: 1000 * 1024 }));
    const error = await openZipSafely(onDisk(await deflatedZip(parts)), generous).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetArchiveError);
    expect((error as Error).message).toMatch(/inflates more than 100 times its own size: refused as a zip bomb/);
  });

  it("counts folders against the entry cap, and refuses 100,000 of them from the end record alone", async () => {
    const few = onDisk(folderZip(5, [["model.json", Buffer.from("{}")]]));
    await expect(openZipSafely(few, { ...generous, maxEntries: 3 })).rejects.toThrow(/more than 3 files and folders/);
    const many = onDisk(folderZip(100_000));
    await expect(openZipSafely(many, generous)).rejects.toThrow(/more than 1000 files and folders \(100,000 entries\)/);
  });

  it("refuses two entries with the same name (one reader could take the first, another the last)", async () => {
    const file = onDisk(await deflatedZip([{ name: "model.json", data: "{}" }, { name: "model.json", data: "{\"x\":1}" }]));
    await expect(readZipSafely(file, generous)).rejects.toThrow(/two entries named "model\.json"/);
  });

  it("refuses an entry whose declared size is over the per-file cap before inflating it", async () => {
    const file = onDisk(await deflatedZip([{ name: "big.bin", data: Buffer.alloc(3 * MB, 7) }]));
    await expect(openZipSafely(file, { ...generous, maxEntryBytes: 2 * MB, maxRatio: 10_000 })).rejects.toThrow(/"big\.bin" inflates to more than 2097152 bytes \(2 MB\), the limit per file: it says 3 MB/);
  });
});

describe("inflating counts the bytes that actually come out", () => {
  it("stops an entry that lies about its size as soon as it passes what it declared, never inflating the rest", async () => {
    // Claims 1 KB everywhere, really holds 100 MB of zeros.
    const zip = await openZipSafely(onDisk(await lyingZip("weights.bin", 100 * MB, 1024)), generous);
    try {
      const error = await zip.drain(zip.entries[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetArchiveError);
      expect((error as Error).message).toMatch(/"weights\.bin" (is corrupt|inflates)/);
      // A zlib chunk (64 KB) at most past the declared size: the other ~99.9 MB were never inflated.
      expect(zip.inflatedBytes).toBeLessThanOrEqual(1024 + 64 * 1024);
    } finally {
      zip.close();
    }
  });

  it("caps a read below the archive's own limits (model.json at its own cap) by bytes inflated", async () => {
    const text = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `{"layer_${i}":${i}}`).join(","));
    const zip = await openZipSafely(onDisk(await deflatedZip([{ name: "model.json", data: text }])), generous);
    try {
      await expect(zip.read(zip.entries[0]!, MB)).rejects.toThrow(/"model\.json" inflates to more than 1048576 bytes \(1 MB\), the limit$/);
      expect(zip.inflatedBytes).toBeGreaterThan(MB);
      expect(zip.inflatedBytes).toBeLessThanOrEqual(MB + 64 * 1024);
    } finally {
      zip.close();
    }
  });

  it("drains every entry of a sound archive without keeping it, counting what it inflated", async () => {
    const zip = await openZipSafely(onDisk(await deflatedZip([{ name: "a.bin", data: Buffer.alloc(3000, 1) }, { name: "b/c.txt", data: "hello" }])), generous);
    try {
      let total = 0;
      for (const e of zip.entries) total += await zip.drain(e);
      expect(total).toBe(3005);
      expect(zip.inflatedBytes).toBe(3005);
    } finally {
      zip.close();
    }
  });
});
