import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { DatasetArchiveError, ModelArchiveError } from "@/grader/errors";
import { isUnsafePath, openZipSafely, readZipSafely, type ZipLimits } from "@/grader/archive/read-zip";
import { attemptAsync, CASE_TIME_LIMIT_MS, fuzzParameters } from "./fuzz-settings";

/**
 * The zip reader on generated archives: duplicate names, `../` and absolute paths, many folders, entries past the
 * per-file and total caps, highly compressible entries, central directories that lie about sizes or are cut short
 * or scribbled on. Whatever the archive, the reader returns files that keep every limit or refuses with a typed
 * user error, within CASE_TIME_LIMIT_MS; and an honest archive within the limits comes back byte for byte.
 */

const LIMITS: ZipLimits = { maxEntries: 200, maxEntryBytes: 64 * 1024, maxTotalBytes: 256 * 1024 };

interface GenEntry {
  name: string;
  dir: boolean;
  content: Recipe;
  compress: boolean;
}

type Corruption =
  | { kind: "none" }
  | { kind: "truncate"; at: number }
  | { kind: "scribble"; inDirectory: boolean; at: number[]; bytes: number[] }
  | { kind: "lieSize"; entry: number; delta: number }
  | { kind: "hugeCount" };

const UNSAFE = ["../evil.txt", "/etc/passwd", "C:/win.ini", "a/../../b.txt", "\\\\server\\share.txt", "..\\up.txt", "d/../../x.png", "/abs/x.txt"];

const safeName = fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,2}\.(png|txt|json)$/);

/** Content as a recipe, so a failing case prints as `{zeros: 70000}` rather than 70,000 numbers. */
type Recipe = { bytes: number[] } | { zeros: number } | { repeat: string; times: number };

const contentArb: fc.Arbitrary<Recipe> = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }).map((bytes) => ({ bytes })),
  // Zeros: deflate squeezes 200 kB into a few hundred bytes, so the declared size is all that warns of them.
  fc.integer({ min: 1, max: 200_000 }).map((zeros) => ({ zeros })),
  fc.record({ repeat: fc.string({ minLength: 1, maxLength: 50 }), times: fc.integer({ min: 1, max: 2_000 }) }),
);

const sizeOf = (r: Recipe): number => ("bytes" in r ? r.bytes.length : "zeros" in r ? r.zeros : new TextEncoder().encode(r.repeat).length * r.times);

function materialize(r: Recipe): Uint8Array {
  if ("bytes" in r) return Uint8Array.from(r.bytes);
  if ("zeros" in r) return new Uint8Array(r.zeros);
  return new TextEncoder().encode(r.repeat.repeat(r.times));
}

const entryArb = fc.record({
  name: fc.oneof({ weight: 8, arbitrary: safeName }, { weight: 1, arbitrary: fc.constantFrom(...UNSAFE) }),
  content: contentArb,
  compress: fc.boolean(),
});

const archiveArb = fc
  .record({
    files: fc.array(entryArb, { maxLength: 12 }),
    folders: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 150, max: 300 })),
    duplicate: fc.option(fc.nat(), { nil: undefined }),
    corruption: fc.oneof(
      { weight: 4, arbitrary: fc.constant<Corruption>({ kind: "none" }) },
      { weight: 1, arbitrary: fc.double({ min: 0, max: 0.999, noNaN: true }).map((at): Corruption => ({ kind: "truncate", at })) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("scribble" as const), inDirectory: fc.boolean(),
          at: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 8 }),
          bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("lieSize" as const), entry: fc.nat(), delta: fc.oneof(fc.integer({ min: -1_000, max: -1 }), fc.integer({ min: 1, max: 1_000_000 })) }) },
      { weight: 1, arbitrary: fc.constant({ kind: "hugeCount" as const }) },
    ),
  })
  .map(({ files: recipes, folders, duplicate, corruption }) => {
    const files = recipes.map((f): GenEntry => ({ ...f, dir: false }));
    const entries: GenEntry[] = [...files];
    for (let i = 0; i < folders; i++) entries.push({ name: `folder${i}/`, dir: true, content: { bytes: [] }, compress: false });
    if (duplicate !== undefined && files.length > 0) entries.push({ ...files[duplicate % files.length]!, content: { bytes: [1, 2, 3] } });
    return { entries, corruption };
  });

/** Same-length stand-ins for unsafe names, which yazl refuses to write; patched back into the bytes afterwards. */
function placeholder(k: number, length: number): string {
  return `Q${k}Z`.padEnd(length, "q");
}

async function buildZip(entries: GenEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const patches: [string, string][] = [];
  entries.forEach((e, k) => {
    let name = e.name;
    if (isUnsafePath(name) || name.includes("\\")) {
      const stand = placeholder(k, Buffer.byteLength(name));
      patches.push([stand, name]);
      name = stand;
    }
    if (e.dir) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.from(materialize(e.content)), name, { compress: e.compress });
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  for (const [stand, real] of patches) {
    const from = Buffer.from(stand);
    const to = Buffer.from(real);
    expect(from.length).toBe(to.length);
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at);
  }
  return bytes;
}

/** Where the central directory starts and how many headers it has, from the end-of-central-directory record. */
function centralDirectory(bytes: Buffer): { start: number; count: number; eocd: number } | undefined {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > bytes.length) return undefined;
  return { start: bytes.readUInt32LE(eocd + 16), count: bytes.readUInt16LE(eocd + 10), eocd };
}

function corrupt(bytes: Buffer, c: Corruption, entries: GenEntry[]): { bytes: Buffer; lied: boolean } {
  const cd = centralDirectory(bytes);
  switch (c.kind) {
    case "none":
      return { bytes, lied: false };
    case "truncate":
      return { bytes: bytes.subarray(0, Math.floor(c.at * bytes.length)), lied: false };
    case "scribble": {
      const from = c.inDirectory && cd ? cd.start : 0;
      c.at.forEach((p, i) => (bytes[from + Math.floor(p * (bytes.length - from))] = c.bytes[i]!));
      return { bytes, lied: false };
    }
    case "lieSize": {
      // Change the uncompressed size the central directory declares for one file that has bytes.
      const files = entries.map((e, i) => ({ e, i })).filter(({ e }) => !e.dir && sizeOf(e.content) > 0);
      if (!cd || files.length === 0) return { bytes, lied: false };
      const target = files[c.entry % files.length]!.i;
      let at = cd.start;
      for (let k = 0; k < target; k++) at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
      const declared = bytes.readUInt32LE(at + 24);
      const lie = Math.max(0, declared + c.delta);
      if (lie === declared) return { bytes, lied: false };
      bytes.writeUInt32LE(lie, at + 24);
      return { bytes, lied: true };
    }
    case "hugeCount":
      if (!cd) return { bytes, lied: false };
      bytes.writeUInt16LE(0xfffe, cd.eocd + 8);
      bytes.writeUInt16LE(0xfffe, cd.eocd + 10);
      return { bytes, lied: true };
  }
}

/** Whether an archive written honestly from `entries` is one the reader must accept under LIMITS. */
function withinLimits(entries: GenEntry[]): boolean {
  const names = entries.map((e) => e.name);
  const total = entries.reduce((n, e) => n + sizeOf(e.content), 0);
  return names.every((n) => !isUnsafePath(n))
    && new Set(names).size === names.length
    && entries.length <= LIMITS.maxEntries
    && entries.every((e) => sizeOf(e.content) <= LIMITS.maxEntryBytes)
    && total <= LIMITS.maxTotalBytes;
}

let dir = "";
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "tg-zip-fuzz-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeArchive(bytes: Buffer): Promise<string> {
  const file = path.join(dir, `case-${counter++}.zip`);
  await writeFile(file, bytes);
  return file;
}

describe("isUnsafePath", () => {
  it("passes only names that stay inside the extraction folder under both POSIX and Windows path rules", () => {
    const nameArb = fc.array(fc.constantFrom("a", ".", "..", "/", "\\", ":", "C", " ", "\u0000", "%2e", "~"), { minLength: 1, maxLength: 8 }).map((p) => p.join(""));
    const inside = (name: string): boolean => {
      const posix = path.posix.resolve("/root", name);
      const win = path.win32.resolve("C:\\root", name).toLowerCase();
      return (posix === "/root" || posix.startsWith("/root/")) && (win === "c:\\root" || win.startsWith("c:\\root\\"));
    };
    fc.assert(fc.property(nameArb, (name) => isUnsafePath(name) || inside(name)), fuzzParameters(10));
  });
});

describe("readZipSafely on generated archives", () => {
  it("returns only files within the limits, or refuses with a typed error, within 2 s; honest archives come back byte for byte", async () => {
    await fc.assert(
      fc.asyncProperty(archiveArb, fc.boolean(), async ({ entries, corruption }, forModel) => {
        const written = await buildZip(entries);
        const { bytes, lied } = corrupt(written, corruption, entries);
        const file = await writeArchive(bytes);
        const o = await attemptAsync(() => readZipSafely(file, LIMITS, forModel ? (m) => new ModelArchiveError(m) : undefined));
        await rm(file, { force: true });
        expect(o.ms, `one archive took ${Math.round(o.ms)} ms`).toBeLessThan(CASE_TIME_LIMIT_MS);
        if (o.ok) {
          const files = o.value;
          let total = 0;
          for (const [name, data] of files) {
            expect(isUnsafePath(name), `returned the unsafe entry ${name}`).toBe(false);
            expect(data.length).toBeLessThanOrEqual(LIMITS.maxEntryBytes);
            total += data.length;
          }
          expect(files.size).toBeLessThanOrEqual(LIMITS.maxEntries);
          expect(total).toBeLessThanOrEqual(LIMITS.maxTotalBytes);
          expect(lied, "an archive whose central directory lies about a size was accepted").toBe(false);
        } else {
          expect(o.error).toBeInstanceOf(forModel ? ModelArchiveError : DatasetArchiveError);
        }
        if (corruption.kind === "none") {
          if (withinLimits(entries)) {
            expect(o.ok, o.ok ? "" : o.error.message).toBe(true);
            if (o.ok) {
              expect([...o.value.keys()].sort()).toEqual(entries.map((e) => e.name).sort());
              for (const e of entries) expect(Buffer.compare(o.value.get(e.name)!, Buffer.from(materialize(e.content)))).toBe(0);
            }
          } else {
            expect(o.ok, "an archive past a limit (unsafe or duplicate name, too many entries, too many bytes) was accepted").toBe(false);
          }
        }
      }),
      fuzzParameters(0.5),
    );
  });

  it("keeps the inflated-byte count within the total when entries are drained one at a time", async () => {
    await fc.assert(
      fc.asyncProperty(archiveArb, async ({ entries, corruption }) => {
        const { bytes } = corrupt(await buildZip(entries), corruption, entries);
        const file = await writeArchive(bytes);
        const o = await attemptAsync(async () => {
          const zip = await openZipSafely(file, LIMITS);
          try {
            for (const entry of zip.entries) await zip.drain(entry);
            return zip.inflatedBytes;
          } finally {
            zip.close();
          }
        });
        await rm(file, { force: true });
        expect(o.ms).toBeLessThan(CASE_TIME_LIMIT_MS);
        if (o.ok) expect(o.value).toBeLessThanOrEqual(LIMITS.maxTotalBytes);
      }),
      fuzzParameters(0.3),
    );
  });
});
