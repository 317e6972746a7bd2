import { HttpError, ValidationError } from "@/app/_lib/errors";

/** 413: the upload is larger than allowed (said before or while reading it). */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, message);
  }
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads a multipart form, counting bytes as they arrive and stopping at `maxBytes`: a declared
 * Content-Length over the limit is refused before reading anything, and a body that turns out larger
 * (chunked, or lying about its length) is cut off the moment it passes the limit — it is never read
 * to the end or held in memory beyond the limit.
 * @throws PayloadTooLargeError (413) over the limit; ValidationError (422) when it is not a multipart form
 */
export async function readLimitedFormData(req: Request, maxBytes: number): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new ValidationError("Send the submission as a multipart form (multipart/form-data).");
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new PayloadTooLargeError(`The upload is ${mb(declared)}; the limit is ${mb(maxBytes)} in total.`);
  }
  if (!req.body) throw new ValidationError("The form is empty.");
  let seen = 0;
  const limited = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          controller.error(new PayloadTooLargeError(`The upload is larger than the limit of ${mb(maxBytes)} in total.`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(limited, { headers: { "content-type": type } }).formData();
  } catch (e) {
    if (e instanceof PayloadTooLargeError) throw e;
    if (seen > maxBytes) throw new PayloadTooLargeError(`The upload is larger than the limit of ${mb(maxBytes)} in total.`);
    throw new ValidationError("The form could not be read; send it again as multipart/form-data.");
  }
}

/** Checks one file of a form against its own limit (the form as a whole was limited while streaming). */
export function checkFileSize(file: File, maxBytes: number, field: string, what: string): void {
  if (file.size > maxBytes) {
    throw new PayloadTooLargeError(`${what} is ${mb(file.size)}; the limit is ${mb(maxBytes)}.`);
  }
  if (file.size === 0) throw new ValidationError(`${what} is empty.`, [{ path: field, message: `${what} is empty.` }]);
}
