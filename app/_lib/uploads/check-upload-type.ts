import { ValidationError } from "@/lib/errors";

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed", "application/octet-stream", ""]);
const MARKDOWN_TYPES = new Set(["text/markdown", "text/x-markdown", "text/plain", "application/octet-stream", ""]);

/**
 * A trained model must be a zip archive: the declared type must say so (or say nothing specific)
 * and the bytes must start like a zip. Both are checked because either alone can lie.
 */
export function checkZipUpload(file: File, bytes: Uint8Array, field: string): void {
  if (!ZIP_TYPES.has(file.type) || !startsWith(bytes, ZIP_MAGIC)) {
    const message = `Upload the trained model as a .zip of model.json and its weight files (got ${file.type || "an unknown type"}).`;
    throw new ValidationError(message, [{ path: field, message }]);
  }
}

/**
 * The written report: Markdown (UTF-8 text) or PDF, decided by the bytes and the declared type
 * together. Returns which one it is.
 */
export function checkReportUpload(file: File, bytes: Uint8Array, field: string): "markdown" | "pdf" {
  const fail = (message: string): never => {
    throw new ValidationError(message, [{ path: field, message }]);
  };
  if (file.type === "application/pdf" || /\.pdf$/i.test(file.name)) {
    if (!startsWith(bytes, PDF_MAGIC)) fail("The report says it is a PDF but is not one; export it again as PDF or upload Markdown.");
    return "pdf";
  }
  if (!MARKDOWN_TYPES.has(file.type) && !/\.(md|markdown|txt)$/i.test(file.name)) {
    fail(`The written report must be Markdown (.md) or PDF; ${file.type || "this file type"} is not accepted.`);
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    fail("The Markdown report is not UTF-8 text; save it as UTF-8 or upload a PDF.");
  }
  if (bytes.includes(0)) fail("The Markdown report contains binary data; upload a text .md file or a PDF.");
  return "markdown";
}
