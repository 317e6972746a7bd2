import yauzl from "yauzl";
import { DatasetArchiveError } from "../errors";

/** Limits on an uploaded archive, enforced on bytes actually inflated (never on the sizes the archive claims). */
export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 50_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntryBytes: 32 * 1024 * 1024,
};

/** Makes archive errors carry the right user-facing error class (dataset vs model upload). */
export type ArchiveErrorFactory = (message: string, files: string[]) => Error;

const datasetError: ArchiveErrorFactory = (m, f) => new DatasetArchiveError(m, f);

/** True for names that would escape the extraction root: absolute, drive-letter, or containing a `..` segment. */
export function isUnsafePath(name: string): boolean {
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[\\/]+/).some((seg) => seg === "..");
}

/**
 * Reads the files of a zip archive into memory, refusing unsafe paths and stopping as soon as the entry count or the
 * number of inflated bytes passes a limit. Directory entries appear with a trailing `/` and no bytes.
 * @throws the factory's error (DatasetArchiveError by default) naming the offending entry
 */
export function readZipSafely(
  file: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  makeError: ArchiveErrorFactory = datasetError,
): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (err, zip) => {
      if (err || !zip) {
        reject(makeError(`The archive could not be opened as a zip file (${err?.message ?? "unknown error"})`, []));
        return;
      }
      const files = new Map<string, Buffer>();
      let entries = 0;
      let total = 0;
      let done = false;
      const fail = (e: Error): void => {
        if (done) return;
        done = true;
        zip.close();
        reject(e);
      };
      zip.on("error", (e: Error) => fail(makeError(`The archive is corrupt: ${e.message}`, [])));
      zip.on("end", () => {
        if (!done) {
          done = true;
          resolve(files);
        }
      });
      zip.on("entry", (entry: yauzl.Entry) => {
        if (done) return;
        const name = (entry.fileName as unknown as Buffer).toString("utf8");
        if (isUnsafePath(name)) {
          fail(makeError(`The archive entry "${name}" has an absolute path or "..": refused for safety`, [name]));
          return;
        }
        if (name.endsWith("/")) {
          // Kept (empty) so callers can report empty folders.
          files.set(name, Buffer.alloc(0));
          zip.readEntry();
          return;
        }
        if (++entries > limits.maxEntries) {
          fail(makeError(`The archive has more than ${limits.maxEntries} files`, [name]));
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            fail(makeError(`The archive entry "${name}" cannot be read: ${e?.message ?? "no data"}`, [name]));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on("data", (chunk: Buffer) => {
            size += chunk.length;
            total += chunk.length;
            if (size > limits.maxEntryBytes) {
              stream.destroy();
              fail(makeError(`The archive entry "${name}" inflates to more than ${limits.maxEntryBytes} bytes`, [name]));
            } else if (total > limits.maxTotalBytes) {
              stream.destroy();
              fail(makeError(`The archive inflates to more than ${limits.maxTotalBytes} bytes in total`, [name]));
            } else {
              chunks.push(chunk);
            }
          });
          stream.on("error", (se: Error) => fail(makeError(`The archive entry "${name}" is corrupt: ${se.message}`, [name])));
          stream.on("end", () => {
            if (done) return;
            files.set(name, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
