import { createWriteStream, openAsBlob } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { HttpError, ValidationError } from "@/lib/errors";
import { blobRoot } from "./blob-store";

/** 413: the upload is larger than allowed (said before or while reading it). */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, message);
  }
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** Caps on the parts of a form, beside its total size. Text fields are held in memory; files never are. */
export const FORM_PART_LIMITS = {
  /** A pasted spec is at most 1 MB; a text field past this is refused rather than truncated. */
  maxFieldBytes: 2 * 1024 * 1024,
  maxFields: 50,
  /** CIFAR-10 sends up to 6 batches and a meta file; a submission at most a model and a report. */
  maxFiles: 16,
} as const;

/** Where each form's files were spooled, so the handler can move one into the blob store and discard the rest. */
const spoolDirs = new WeakMap<FormData, string>();
const spooledFiles = new WeakMap<Blob, string>();

/**
 * Reads a multipart form with busboy, counting bytes as they arrive and stopping at `maxBytes`: a declared
 * Content-Length over the limit is refused before reading anything, and a body that turns out larger (chunked, or
 * lying about its length) is cut off the moment it passes the limit. File parts are streamed to disk under
 * `<DATA_DIR>/blobs/incoming/<id>/` as they arrive and appear in the FormData as file-backed `File`s, so a large
 * upload never sits in memory; text fields are capped (FORM_PART_LIMITS). The caller must `discardForm` when done.
 * @throws PayloadTooLargeError (413) over a limit; ValidationError (422) when it is not a multipart form
 */
export async function readLimitedFormData(req: Request, maxBytes: number, opts: { dataDir?: string } = {}): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new ValidationError("Send the submission as a multipart form (multipart/form-data).");
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new PayloadTooLargeError(`The upload is ${mb(declared)}; the limit is ${mb(maxBytes)} in total.`);
  }
  if (!req.body) throw new ValidationError("The form is empty.");
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": type },
      limits: { fieldSize: FORM_PART_LIMITS.maxFieldBytes, fields: FORM_PART_LIMITS.maxFields, files: FORM_PART_LIMITS.maxFiles, fileSize: maxBytes },
    });
  } catch {
    throw new ValidationError("The form could not be read; send it again as multipart/form-data.");
  }
  let seen = 0;
  const tooLarge = () => new PayloadTooLargeError(`The upload is larger than the limit of ${mb(maxBytes)} in total.`);
  const limited = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  const dir = path.join(blobRoot(opts.dataDir), "incoming", crypto.randomUUID());
  const form = new FormData();
  spoolDirs.set(form, dir);
  const parts: { name: string; value: string | Promise<File> }[] = [];
  const input = Readable.fromWeb(limited as unknown as NodeReadableStream<Uint8Array>);
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        input.unpipe(parser);
        input.destroy();
        reject(e);
      };
      input.on("error", (e: Error) => fail(e instanceof HttpError ? e : seen > maxBytes ? tooLarge() : new ValidationError("The upload was interrupted; send it again.")));
      parser.on("error", () => fail(new ValidationError("The form could not be read; send it again as multipart/form-data.")));
      parser.on("fieldsLimit", () => fail(new PayloadTooLargeError(`The form has more than ${FORM_PART_LIMITS.maxFields} fields.`)));
      parser.on("filesLimit", () => fail(new PayloadTooLargeError(`The form has more than ${FORM_PART_LIMITS.maxFiles} files.`)));
      parser.on("field", (name: string, value: string, info: busboy.FieldInfo) => {
        if (info.valueTruncated) fail(new PayloadTooLargeError(`The field "${name}" is longer than ${mb(FORM_PART_LIMITS.maxFieldBytes)}.`));
        else parts.push({ name, value });
      });
      parser.on("file", (name: string, stream: Readable, info: busboy.FileInfo) => {
        const file = path.join(dir, `part-${parts.length + 1}`);
        stream.on("limit", () => fail(tooLarge()));
        const saved = (async () => {
          await fs.mkdir(dir, { recursive: true });
          await pipeline(stream, createWriteStream(file));
          // A file-backed Blob: reading it goes to disk; nothing of it is held in memory until someone asks.
          const spooled = new File([await openAsBlob(file)], info.filename ?? "", { type: info.mimeType });
          spooledFiles.set(spooled, file);
          return spooled;
        })();
        saved.catch((e: unknown) => fail(e instanceof HttpError ? e : new ValidationError("The upload was interrupted; send it again.")));
        parts.push({ name, value: saved });
      });
      parser.on("close", () => {
        if (!failed) resolve();
      });
      input.pipe(parser);
    });
    for (const p of parts) {
      const value = await p.value;
      if (typeof value === "string") form.append(p.name, value);
      // Without a filename argument FormData keeps this very File, so spooledPath can find it again.
      else form.append(p.name, value);
    }
    return form;
  } catch (e) {
    await discardForm(form);
    if (e instanceof HttpError) throw e;
    throw new ValidationError("The form could not be read; send it again as multipart/form-data.");
  }
}

/** The file on disk behind a File that readLimitedFormData spooled (undefined for any other File). */
export function spooledPath(file: File): string | undefined {
  return spooledFiles.get(file);
}

/** Removes what readLimitedFormData spooled for this form (files already moved into the blob store stay). */
export async function discardForm(form: FormData): Promise<void> {
  const dir = spoolDirs.get(form);
  if (dir) await fs.rm(dir, { recursive: true, force: true });
}

/** Checks one file of a form against its own limit (the form as a whole was limited while streaming). */
export function checkFileSize(file: File, maxBytes: number, field: string, what: string): void {
  if (file.size > maxBytes) {
    throw new PayloadTooLargeError(`${what} is ${mb(file.size)}; the limit is ${mb(maxBytes)}.`);
  }
  if (file.size === 0) throw new ValidationError(`${what} is empty.`, [{ path: field, message: `${what} is empty.` }]);
}
