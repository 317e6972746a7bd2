import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { DatasetArchiveError } from "../errors";

/**
 * Limits on an uploaded archive. They are checked twice: against what the central directory declares, before a
 * byte is inflated (so a bomb is refused at once), and against the bytes actually inflated (so an archive that lies
 * about its sizes is stopped at the limit, never after).
 */
export interface ZipLimits {
  /** Every entry counts, directories included (a zip of 100,000 empty folders is an attack too). */
  maxEntries: number;
  /** Inflated bytes of the whole archive. */
  maxTotalBytes: number;
  /** Inflated bytes of one entry. */
  maxEntryBytes: number;
  /**
   * Largest inflated/compressed ratio, for an entry and for the archive as a whole, once past RATIO_GRACE_BYTES.
   * Weights and images barely compress (~1–3×), JSON ~10×; deflate tops out near 1,032× on zeros.
   */
  maxRatio?: number;
}

export const DEFAULT_MAX_RATIO = 100;

/** Below this many inflated bytes the ratio is not checked: a tiny, very compressible file is no bomb. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 50_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntryBytes: 32 * 1024 * 1024,
  maxRatio: DEFAULT_MAX_RATIO,
};

/** Makes archive errors carry the right user-facing error class (dataset vs model upload). */
export type ArchiveErrorFactory = (message: string, files: string[]) => Error;

const datasetError: ArchiveErrorFactory = (m, f) => new DatasetArchiveError(m, f);

/** True for names that would escape the extraction root: absolute, drive-letter, or containing a `..` segment. */
export function isUnsafePath(name: string): boolean {
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[\\/]+/).some((seg) => seg === "..");
}

/** One entry of the central directory, as declared (the reads below hold the archive to these sizes). */
export interface ZipEntryInfo {
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  declaredSize: number;
}

/** An opened archive whose central directory passed the limits; entries are inflated one at a time, counted. */
export interface SafeZip {
  readonly entries: readonly ZipEntryInfo[];
  /** Inflated bytes so far, over every read (what the limits are held against). */
  readonly inflatedBytes: number;
  /** Inflates one entry into memory, stopping at the limits or at `maxBytes` if that is smaller. */
  read(entry: ZipEntryInfo, maxBytes?: number): Promise<Buffer>;
  /** Inflates one entry and throws the bytes away: proves it is readable and within the limits, holding nothing. */
  drain(entry: ZipEntryInfo): Promise<number>;
  close(): void;
}

const count = (n: number): string => n.toLocaleString("en-US");
const size = (bytes: number): string => (bytes >= 1024 * 1024 ? `${count(Math.round(bytes / 1024 / 102.4) / 10)} MB` : `${count(bytes)} bytes`);

function openYauzl(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error("unknown error"));
      else resolve(zip);
    });
  });
}

/** Reads the central directory only (no inflation), entry by entry, refusing as soon as a limit is passed. */
function readDirectory(
  zip: yauzl.ZipFile, archiveBytes: number, limits: Required<ZipLimits>, makeError: ArchiveErrorFactory,
): Promise<{ infos: ZipEntryInfo[]; raw: Map<ZipEntryInfo, yauzl.Entry> }> {
  return new Promise((resolve, reject) => {
    const infos: ZipEntryInfo[] = [];
    const raw = new Map<ZipEntryInfo, yauzl.Entry>();
    const seen = new Set<string>();
    let declaredTotal = 0;
    let done = false;
    const fail = (e: Error): void => {
      if (!done) {
        done = true;
        reject(e);
      }
    };
    zip.on("error", (e: Error) => fail(makeError(`The archive is corrupt: ${e.message}`, [])));
    zip.on("end", () => {
      if (done) return;
      done = true;
      resolve({ infos, raw });
    });
    zip.on("entry", (entry: yauzl.Entry) => {
      if (done) return;
      const name = (entry.fileName as unknown as Buffer).toString("utf8");
      if (infos.length + 1 > limits.maxEntries) {
        return fail(makeError(`The archive has more than ${limits.maxEntries} files and folders, the limit`, [name]));
      }
      if (isUnsafePath(name)) return fail(makeError(`The archive entry "${name}" has an absolute path or "..": refused for safety`, [name]));
      if (seen.has(name)) return fail(makeError(`The archive has two entries named "${name}"`, [name]));
      seen.add(name);
      const isDirectory = name.endsWith("/");
      const info: ZipEntryInfo = { name, isDirectory, compressedSize: entry.compressedSize, declaredSize: entry.uncompressedSize };
      if (isDirectory && info.declaredSize > 0) return fail(makeError(`The archive entry "${name}" is a folder with contents`, [name]));
      if (info.declaredSize > limits.maxEntryBytes) {
        return fail(makeError(`The archive entry "${name}" inflates to more than ${limits.maxEntryBytes} bytes (${size(limits.maxEntryBytes)}), the limit per file: it says ${size(info.declaredSize)}`, [name]));
      }
      declaredTotal += info.declaredSize;
      if (declaredTotal > limits.maxTotalBytes) {
        return fail(makeError(`The archive inflates to more than ${limits.maxTotalBytes} bytes in total (${size(limits.maxTotalBytes)}), the limit`, [name]));
      }
      if (info.declaredSize > RATIO_GRACE_BYTES && info.declaredSize > limits.maxRatio * info.compressedSize) {
        const ratio = Math.round(info.declaredSize / Math.max(1, info.compressedSize));
        return fail(makeError(`The archive entry "${name}" inflates ${count(ratio)} times its compressed size (the limit is ${limits.maxRatio}×): refused as a zip bomb`, [name]));
      }
      if (declaredTotal > RATIO_GRACE_BYTES && declaredTotal > limits.maxRatio * archiveBytes) {
        return fail(makeError(`The archive inflates more than ${limits.maxRatio} times its own size: refused as a zip bomb`, [name]));
      }
      infos.push(info);
      raw.set(info, entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/**
 * Opens a zip archive and checks its central directory against `limits` before inflating anything: entry count
 * (directories included, refused from the end record alone when it already says too many), unsafe or duplicate
 * names, declared sizes and compression ratios. Entries are then inflated one at a time through `read`/`drain`,
 * with every inflated byte counted against the same limits (yauzl also refuses an entry whose bytes differ from its
 * declared size).
 * @throws the factory's error (DatasetArchiveError by default) naming the offending entry
 */
export async function openZipSafely(
  file: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  makeError: ArchiveErrorFactory = datasetError,
): Promise<SafeZip> {
  const all: Required<ZipLimits> = { maxRatio: DEFAULT_MAX_RATIO, ...limits };
  let zip: yauzl.ZipFile;
  try {
    zip = await openYauzl(file);
  } catch (err) {
    throw makeError(`The archive could not be opened as a zip file (${(err as Error).message})`, []);
  }
  let archiveBytes = 0;
  try {
    if (zip.entryCount > all.maxEntries) {
      throw makeError(`The archive has more than ${all.maxEntries} files and folders (${count(zip.entryCount)} entries), the limit`, []);
    }
    archiveBytes = zip.fileSize;
  } catch (e) {
    zip.close();
    throw e;
  }
  let directory: Awaited<ReturnType<typeof readDirectory>>;
  try {
    directory = await readDirectory(zip, archiveBytes, all, makeError);
  } catch (e) {
    zip.close();
    throw e;
  }
  zip.removeAllListeners("entry");
  let inflated = 0;

  const inflate = (info: ZipEntryInfo, maxBytes: number, keep: boolean): Promise<{ bytes: number; chunks: Buffer[] }> => {
    const entry = directory.raw.get(info);
    if (!entry) return Promise.reject(new Error(`openZipSafely: "${info.name}" is not an entry of this archive`));
    if (info.isDirectory) return Promise.resolve({ bytes: 0, chunks: [] });
    const cap = Math.min(maxBytes, all.maxEntryBytes);
    return new Promise((resolve, reject) => {
      zip.openReadStream(entry, (e, stream: Readable | undefined) => {
        if (e || !stream) return reject(makeError(`The archive entry "${info.name}" cannot be read: ${e?.message ?? "no data"}`, [info.name]));
        const chunks: Buffer[] = [];
        let bytes = 0;
        let failed = false;
        const fail = (err: Error): void => {
          if (failed) return;
          failed = true;
          stream.destroy();
          reject(err);
        };
        stream.on("data", (chunk: Buffer) => {
          if (failed) return;
          bytes += chunk.length;
          inflated += chunk.length;
          if (bytes > cap) {
            return fail(makeError(`The archive entry "${info.name}" inflates to more than ${cap} bytes (${size(cap)}), the limit${cap < all.maxEntryBytes ? "" : " per file"}`, [info.name]));
          }
          if (inflated > all.maxTotalBytes) return fail(makeError(`The archive inflates to more than ${all.maxTotalBytes} bytes in total (${size(all.maxTotalBytes)}), the limit`, [info.name]));
          if (bytes > RATIO_GRACE_BYTES && bytes > all.maxRatio * info.compressedSize) {
            return fail(makeError(`The archive entry "${info.name}" inflates more than ${all.maxRatio} times its compressed size: refused as a zip bomb`, [info.name]));
          }
          if (keep) chunks.push(chunk);
        });
        stream.on("error", (se: Error) => fail(makeError(`The archive entry "${info.name}" is corrupt: ${se.message}`, [info.name])));
        stream.on("end", () => {
          if (!failed) resolve({ bytes, chunks });
        });
      });
    });
  };

  return {
    entries: directory.infos,
    get inflatedBytes() {
      return inflated;
    },
    async read(info, maxBytes = Infinity) {
      const { chunks } = await inflate(info, maxBytes, true);
      return Buffer.concat(chunks);
    },
    async drain(info) {
      return (await inflate(info, Infinity, false)).bytes;
    },
    close() {
      zip.close();
    },
  };
}

/**
 * Reads the files of a zip archive into memory, checked as `openZipSafely` checks them (central directory first,
 * then every inflated byte counted). Directory entries appear with a trailing `/` and no bytes. Only for archives
 * whose limits are small enough to hold in memory; prefer `openZipSafely` and one entry at a time.
 * @throws the factory's error (DatasetArchiveError by default) naming the offending entry
 */
export async function readZipSafely(
  file: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  makeError: ArchiveErrorFactory = datasetError,
): Promise<Map<string, Buffer>> {
  const zip = await openZipSafely(file, limits, makeError);
  try {
    const files = new Map<string, Buffer>();
    for (const entry of zip.entries) files.set(entry.name, entry.isDirectory ? Buffer.alloc(0) : await zip.read(entry));
    return files;
  } finally {
    zip.close();
  }
}
